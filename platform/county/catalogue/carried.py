"""What an item version carries: the one definition the release, the REST API, GraphQL and
the admin read, so a field added to ItemVersion reaches the halls and every view of it.

It is the model's own fields in declaration order, minus the internal ones. The item is the
version's identity and travels as its code; departments travel as their codes.
"""

from __future__ import annotations

from county.catalogue.models import ItemVersion

# Local bookkeeping of the county: not part of the rules a hall applies.
INTERNAL = frozenset({"id", "item", "created_at", "created_by"})
# Relations to departments: carried as department codes.
DEPARTMENT_FIELDS = frozenset({"department", "co_departments"})
# Set by publishing, not by the author's form: the number, the departments (chosen apart)
# and the change note.
NOT_AUTHORED = frozenset({"number", "change_note"}) | DEPARTMENT_FIELDS


def _forward_fields():
    meta = ItemVersion._meta
    return sorted([*meta.fields, *meta.many_to_many], key=lambda f: f.creation_counter)


ITEM_VERSION_FIELDS: tuple[str, ...] = tuple(
    f.name for f in _forward_fields() if f.name not in INTERNAL
)
# The rules an author sets on a version (the services' and the admin form's fields).
AUTHORED_FIELDS: tuple[str, ...] = tuple(
    name for name in ITEM_VERSION_FIELDS if name not in NOT_AUTHORED
)
JSON_TYPES = (str, int, float, bool, list, dict, type(None))


def version_data(version: ItemVersion) -> dict:
    """A version as it travels in a release (prefetch item, department, co_departments)."""
    data: dict = {"code": version.item.code}
    for name in ITEM_VERSION_FIELDS:
        if name == "department":
            data[name] = version.department.code
        elif name == "co_departments":
            data[name] = sorted(d.code for d in version.co_departments.all())
        else:
            field = ItemVersion._meta.get_field(name)
            value = field.value_from_object(version)
            data[name] = value if isinstance(value, JSON_TYPES) else field.value_to_string(version)
    return data


def version_values(data: dict) -> dict:
    """The plain fields of a received version, ready for ItemVersion(**values); a field an
    older county does not send yet keeps its default."""
    return {
        name: data[name]
        for name in ITEM_VERSION_FIELDS
        if name in data and name not in DEPARTMENT_FIELDS and name != "number"
    }
