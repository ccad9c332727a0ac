"""Who may see and do what: roles, site grants and the set-based case filter. REST, GraphQL,
pages and message handlers ask this module or the access module of the app that owns the
rows (sites/cases/access.py, sites/joint/access.py, county/catalogue/access.py, ...), which
build on it; none decides on its own. This module imports no domain app: it sits below them
(docs/decisions/0025-layers.md).

API (all keyword-only; `user` is a Django user, possibly anonymous)
-------------------------------------------------------------------
Cases (the rule; sites.cases.access applies it to Case rows: case_queryset_for_user,
access_case, can_handle_case)
    case_visibility_q(*, user) -> Q | None
        The cases the user may view, as one set-based filter (no per-row checks, no case
        ids in Python): cases owned by a site at or below a site where the user holds
        `view_site_cases` (clerk, chief representative, department reviewer, supervisor,
        auditor), plus, for a village agent, the cases the agent filed wherever they are now.
        None (nothing) for anonymous or inactive users.
    case_records_for_user(*, user, queryset, site_field="owner_site") -> QuerySet
        The same view rule for rows naming their site by code (the county read model).
Sites
    user_site_grants(*, user) -> Grants      what the user holds at which sites (cached)
    has_site_perm(*, user, site, perm) -> bool            held at exactly this site
    has_site_perm_over(*, user, site, perm) -> bool       held here or at a site above
    site_queryset_for_user(*, user, perm) -> QuerySet[Site]   sites where the user holds perm
    access_site(*, user, code, perm, subtree=False) -> Site   AccessNotFound / AccessDenied
Delegated items: county.catalogue.access (can_accept_item_here); who signs there:
county.rules.signatures (can_decide_item_here)
Other
    is_read_only(*, user) -> bool            holds only read-only roles (auditor)
    Action, SitePerm, CasePerm, DelegationPerm, Role   re-exported constants

404 versus 403 (docs/decisions/0006-permissions-access.md): an object the user may not even
view is reported exactly as one that does not exist (404), so outsiders learn nothing about
other halls' cases. An object the user may view but not change gives 403. Sites are public
configuration, so an action refused at a site gives 403. Anonymous callers get 401 from DRF.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.db import connections, router
from django.db.models import Q, QuerySet
from django.http import Http404

from permissions.models import (
    RoleGroup,
    SiteGroupObjectPermission,
    SiteUserObjectPermission,
)
from permissions.roles import (
    ROLES,
    WRITE_SITE_PERMS,
    Action,
    CasePerm,
    DelegationPerm,
    Role,
    SitePerm,
)
from sites.registry.models import Site

__all__ = [
    "AccessDenied",
    "AccessNotFound",
    "Action",
    "CasePerm",
    "DelegationPerm",
    "Grants",
    "Role",
    "SitePerm",
    "access_site",
    "case_records_for_user",
    "case_visibility_q",
    "has_site_perm",
    "has_site_perm_over",
    "is_read_only",
    "may_open_inbox",
    "may_open_intake",
    "site_queryset_for_user",
    "user_site_grants",
]


class AccessNotFound(Http404):
    """No such object, or one the caller may not view: the two look the same."""


class AccessDenied(PermissionDenied):
    """The caller may view the object but not do this to it."""


NOT_FOUND_MESSAGE = "未找到。"
DENIED_MESSAGE = "无权进行此操作。"


# --- the user's site grants -----------------------------------------------------------------


@dataclass(frozen=True)
class SiteGrant:
    perm: str
    site_id: int
    site_path: str
    site_tier: str


@dataclass(frozen=True)
class Grants:
    """A user's site-level object permissions: a handful of rows, read once per request."""

    rows: tuple[SiteGrant, ...] = ()
    # every site at or below a site where the user views cases (at most the whole tree)
    view_site_ids: frozenset[int] = field(default_factory=frozenset)
    view_site_codes: frozenset[str] = field(default_factory=frozenset)

    def site_ids(self, perm: SitePerm) -> set[int]:
        return {g.site_id for g in self.rows if g.perm == perm}

    def subtree_paths(self, perm: SitePerm) -> list[str]:
        """Paths of the sites holding perm, with nested ones dropped ('county/' covers all)."""
        paths = sorted({g.site_path for g in self.rows if g.perm == perm})
        kept: list[str] = []
        for path in paths:  # sorted: a prefix comes before what it covers
            if not any(path.startswith(k) for k in kept):
                kept.append(path)
        return kept

    def has(self, perm: SitePerm, site_id: int) -> bool:
        return any(g.perm == perm and g.site_id == site_id for g in self.rows)

    def has_anywhere(self, perm: SitePerm) -> bool:
        return any(g.perm == perm for g in self.rows)


_NO_GRANTS = Grants()
_SUBTREE = "@subtree"  # marks the subtree rows in the grants query


def user_active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def _grants_sql(alias: str) -> str:
    """The user's site grants (direct UNION via groups) and, marked, every site at or below
    a site where the user views cases: one query, the user's id as both parameters.

    Hand-written: the ORM's form of it (a union with two correlated EXISTS per site) cost
    PostgreSQL 5-6 ms to plan and 4 ms to run on every request; this form, the grants once
    in a CTE and the subtree as one semi-join on path prefixes, about 1 ms in all. The
    subtree lets the case filter compare owner_site_id with literal ids (a site list,
    bounded by the tree: never case ids), so the planner walks the newest-first index
    instead of joining blind."""

    def table(model) -> str:
        return connections[alias].ops.quote_name(model._meta.db_table)

    def col(model, name: str) -> str:
        return model._meta.get_field(name).column

    direct, via_group = SiteUserObjectPermission, SiteGroupObjectPermission
    members = get_user_model().groups.through
    return f"""
WITH held AS (
  SELECT p.codename, o.{col(direct, "content_object")} AS site_id
    FROM {table(direct)} o JOIN {table(Permission)} p ON p.id = o.{col(direct, "permission")}
   WHERE o.{col(direct, "user")} = %s
  UNION ALL
  SELECT p.codename, o.{col(via_group, "content_object")}
    FROM {table(via_group)} o JOIN {table(Permission)} p ON p.id = o.{col(via_group, "permission")}
    JOIN {table(members)} m ON m.{col(members, "group")} = o.{col(via_group, "group")}
   WHERE m.{col(members, "user")} = %s
), grants AS (
  SELECT held.codename, s.id, s.path, s.tier FROM held JOIN {table(Site)} s ON s.id = held.site_id
)
SELECT codename, id, path, tier FROM grants
UNION ALL
SELECT '{_SUBTREE}', s.id, s.path, s.tier FROM {table(Site)} s
 WHERE EXISTS (SELECT 1 FROM grants g WHERE g.codename = '{SitePerm.VIEW_CASES.value}'
               AND substr(s.path, 1, length(g.path)) = g.path)"""


_grants_sql_of: dict[str, str] = {}  # per database alias, built once


def _grants_rows(user_id: int) -> list[tuple]:
    alias = router.db_for_read(SiteUserObjectPermission)
    sql = _grants_sql_of.get(alias) or _grants_sql_of.setdefault(alias, _grants_sql(alias))
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, [user_id, user_id])
        return cursor.fetchall()


def user_site_grants(*, user) -> Grants:
    """One query, cached on the user object: a request's user is built per request, so the
    cache lives exactly as long as the request."""
    if not user_active(user):
        return _NO_GRANTS
    cached = user.__dict__.get("_hall_grants")
    if cached is not None:
        return cached
    rows, view_ids, view_codes = [], set(), set()
    for row in _grants_rows(user.pk):
        if row[0] == _SUBTREE:
            view_ids.add(row[1])
            view_codes.add(row[2].rstrip("/").rsplit("/", 1)[-1])  # a path ends in the code
        else:
            rows.append(SiteGrant(*row))
    grants = Grants(
        rows=tuple(set(rows)),
        view_site_ids=frozenset(view_ids),
        view_site_codes=frozenset(view_codes),
    )
    user.__dict__["_hall_grants"] = grants
    return grants


def has_site_perm(*, user, site: Site | int, perm: SitePerm) -> bool:
    site_id = site if isinstance(site, int) else site.pk
    return user_site_grants(user=user).has(SitePerm(perm), site_id)


def may_open_inbox(*, user, site: Site) -> bool:
    """待办 (or, for a reader of cases, 办件查询): who acts here or reads some hall's cases."""
    grants = user_site_grants(user=user)
    return grants.has(SitePerm.ACT, site.pk) or bool(grants.view_site_ids)


def may_open_intake(*, user, site: Site) -> bool:
    """收件: who acts here or files for applicants here (an agent)."""
    grants = user_site_grants(user=user)
    return grants.has(SitePerm.ACT, site.pk) or grants.has(SitePerm.FILE_AS_AGENT, site.pk)


def site_queryset_for_user(*, user, perm: SitePerm) -> QuerySet[Site]:
    return Site.objects.filter(pk__in=user_site_grants(user=user).site_ids(SitePerm(perm)))


def has_site_perm_over(*, user, site: Site, perm: SitePerm) -> bool:
    """Held at `site` or at a site above it (a township over its villages)."""
    paths = user_site_grants(user=user).subtree_paths(SitePerm(perm))
    return any(site.path.startswith(p) for p in paths)


def access_site(*, user, code: str, perm: SitePerm, subtree: bool = False) -> Site:
    """The site, or AccessNotFound (no such code) / AccessDenied. The site tree is public
    configuration, so refusing with 403 reveals nothing. `subtree`: perm held at the site
    or any site above it counts."""
    site = Site.objects.filter(code=code).first()
    if site is None:
        raise AccessNotFound(NOT_FOUND_MESSAGE)
    check = has_site_perm_over if subtree else has_site_perm
    if not check(user=user, site=site, perm=perm):
        raise AccessDenied(DENIED_MESSAGE)
    return site


def is_read_only(*, user) -> bool:
    grants = user_site_grants(user=user)
    return not any(g.perm in WRITE_SITE_PERMS for g in grants.rows)


# --- cases ----------------------------------------------------------------------------------


def case_visibility_q(*, user) -> Q | None:
    """The filter behind case_queryset_for_user; None means "nothing". Exposed so the
    county read model can apply the same rule to its own rows via `owner_site`."""
    if not user_active(user):
        return None
    grants = user_site_grants(user=user)
    cond = Q()
    matched = False
    if grants.view_site_ids:
        cond |= Q(owner_site_id__in=sorted(grants.view_site_ids))
        matched = True
    if grants.has_anywhere(SitePerm.FILE_AS_AGENT):
        cond |= Q(filed_by_id=user.pk)
        matched = True
    return cond if matched else None


def case_records_for_user(*, user, queryset: QuerySet, site_field: str = "owner_site"):
    """The same view rule for rows that name their site by code (the county's read model,
    where users of other nodes do not exist, so an agent's "filed by me" has no meaning)."""
    codes = user_site_grants(user=user).view_site_codes
    if not user_active(user) or not codes:
        return queryset.none()
    return queryset.filter(**{f"{site_field}__in": sorted(codes)})


def roles_of(*, user) -> list[tuple[str, Role]]:
    """(site code, role) pairs the user holds, for display."""
    if not user_active(user):
        return []
    rows = RoleGroup.objects.filter(group__user=user.pk).values_list("site__code", "role")
    return [(code, Role(role)) for code, role in rows.order_by("site__path", "role")]


assert set(ROLES) == set(Role)
