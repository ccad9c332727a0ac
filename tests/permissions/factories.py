"""Staff and cases for the permissions tests; cases are made directly (state does not matter
here) and the cases app's signal is sent as its services do."""

from __future__ import annotations

import itertools

from django.utils import timezone

from permissions import services
from permissions.roles import Role
from sites.cases import signals
from sites.cases.models import Case
from sites.cases.querycode import query_code_hash

# profile key -> (role, site code): every role at every tier it may be held
PROFILES: dict[str, tuple[Role, str]] = {
    "catalogue_admin@county": (Role.CATALOGUE_ADMIN, "county"),
    "county_supervisor@county": (Role.COUNTY_SUPERVISOR, "county"),
    "department_reviewer@county": (Role.DEPARTMENT_REVIEWER, "county"),
    "auditor@county": (Role.AUDITOR, "county"),
    "chief_representative@county": (Role.CHIEF_REPRESENTATIVE, "county"),
    "chief_representative@t-maan": (Role.CHIEF_REPRESENTATIVE, "t-maan"),
    "clerk@county": (Role.CLERK, "county"),
    "clerk@t-maan": (Role.CLERK, "t-maan"),
    "clerk@v-shiqiao": (Role.CLERK, "v-shiqiao"),
    "village_agent@v-shiqiao": (Role.VILLAGE_AGENT, "v-shiqiao"),
}

# Relation of a target site to the actor's site -> target site code, per actor site.
# own: the actor's site; child: a site directly below; sibling: same parent;
# other_branch: under another township (another branch of the county tree).
RELATIONS = ("own", "child", "sibling", "other_branch")
TARGETS: dict[str, dict[str, str | None]] = {
    "county": {"own": "county", "child": "t-maan", "sibling": None, "other_branch": None},
    "t-maan": {
        "own": "t-maan",
        "child": "v-shiqiao",
        "sibling": "t-huangtan",
        "other_branch": "v-xiaohe",
    },
    "v-shiqiao": {
        "own": "v-shiqiao",
        "child": None,
        "sibling": "v-liujia",
        "other_branch": "v-xiaohe",
    },
}

ITEM = "mzj-002"
QUERY_CODE = "ABCD2345"
_seq = itertools.count(1)


def staff(site, role: Role, *, username: str | None = None, password: str | None = None):
    return services.staff_create(
        username=username or f"{site.code}-{role}-{next(_seq)}",
        name="测试人员",
        site=site,
        roles=[role],
        password=password,
    )


def case_at(site, *, filed_by=None, origin=None, number: str | None = None, when=None) -> Case:
    """A case owned by `site`, as the cases app creates one (and announces it)."""
    from county.catalogue.models import Item

    item = Item.objects.get(code=ITEM)
    number = number or f"{site.code}-{next(_seq):06d}"
    case = Case.objects.create(
        number=number,
        item_version=item.versions.get(number=item.current_version),
        origin_site=origin or site,
        owner_site=site,
        filed_by=filed_by,
        applicant_name="李四",
        applicant_id_number="11010519491231002X",
        applicant_phone="13812345678",
        query_code_hash=query_code_hash(number=number, code=QUERY_CODE),
        submitted_at=when or timezone.now(),
    )
    signals.case_created.send(sender=Case, case=case)
    return case


def case_move(case: Case, to) -> Case:
    """Ownership moves (forward / hand back), as the cases app does it."""
    old = case.owner_site
    case.owner_site = to
    case.save(update_fields=["owner_site"])
    signals.case_owner_changed.send(sender=Case, case=case, old_site=old, new_site=to)
    return case
