"""Who may watch the figures and lights, issue 督办单 and answer them. Same grants as
permissions.access (one place for sites and cases); e-supervision is decided here.

supervised_codes(*, user) -> list[str] | None
    Codes of the sites the user supervises (`supervise_site` there or above); None when the
    user supervises the root (every hall: no filter). Anonymous or no grant: [].
access_supervision(*, user, code) -> Site
    The site when the user supervises it (held there or above); AccessNotFound (no such
    site) / AccessDenied otherwise. Sites are public configuration: refusing says nothing.
can_issue_order(*, user) -> bool        `supervise_site` at a county-tier site.
hall_feed_codes(*, user, here) -> list[str]
    At a hall: the sites whose lights and orders the user may see here — the hall and its
    subtree for staff viewing cases here (`view_site_cases`) or supervising it.
feed_codes(*, user, here) -> list[str] | None
    The lights feed: supervised_codes at the county, hall_feed_codes at a hall; raises
    AccessDenied when the user may see none.
can_answer_order(*, user, order, here) -> bool
    The order's hall is this one, the user acts here (`act_at_site`) and, when the user sits
    at a window, it is a window of the order's department.
"""

from __future__ import annotations

from permissions.access import (
    DENIED_MESSAGE,
    NOT_FOUND_MESSAGE,
    AccessDenied,
    AccessNotFound,
    has_site_perm,
    user_active,
    user_site_grants,
)
from permissions.roles import SitePerm
from sites.registry.models import Site, Tier
from sites.registry.selectors import site_current


def supervised_codes(*, user) -> list[str] | None:
    if not user_active(user):
        return []
    paths = user_site_grants(user=user).subtree_paths(SitePerm.SUPERVISE)
    if not paths:
        return []
    if any(p.count("/") == 1 for p in paths):  # the root's path is "county/"
        return None
    codes = set()
    for path in paths:
        codes.update(Site.objects.filter(path__startswith=path).values_list("code", flat=True))
    return sorted(codes)


def access_supervision(*, user, code: str) -> Site:
    # bounded before the database: a value no site code can be (too long, NUL) is unknown
    fits = len(code) <= Site._meta.get_field("code").max_length and "\x00" not in code
    site = Site.objects.filter(code=code).first() if fits else None
    if site is None:
        raise AccessNotFound(NOT_FOUND_MESSAGE)
    paths = user_site_grants(user=user).subtree_paths(SitePerm.SUPERVISE)
    if not user_active(user) or not any(site.path.startswith(p) for p in paths):
        raise AccessDenied(DENIED_MESSAGE)
    return site


def can_issue_order(*, user) -> bool:
    if not user_active(user):
        return False
    return any(
        g.perm == SitePerm.SUPERVISE and g.site_tier == Tier.COUNTY
        for g in user_site_grants(user=user).rows
    )


def hall_feed_codes(*, user, here: Site) -> list[str]:
    if not user_active(user):
        return []
    grants = user_site_grants(user=user)
    supervises = any(here.path.startswith(p) for p in grants.subtree_paths(SitePerm.SUPERVISE))
    if here.pk in grants.view_site_ids or supervises:
        return sorted(
            Site.objects.filter(path__startswith=here.path).values_list("code", flat=True)
        )
    return []


def feed_codes(*, user, here: Site) -> list[str] | None:
    if here.tier == Tier.COUNTY:
        codes = supervised_codes(user=user)
    else:
        codes = hall_feed_codes(user=user, here=here)
    if codes == []:
        raise AccessDenied(DENIED_MESSAGE)
    return codes


def can_answer_order(*, user, order, here: Site) -> bool:
    if not user_active(user) or order.site_code != here.code:
        return False
    if not has_site_perm(user=user, site=here, perm=SitePerm.ACT):
        return False
    staff = getattr(user, "staff", None)
    window = getattr(staff, "window", None) if staff else None
    return window is None or window.department.code == order.department_code


def sms_supervised_codes(*, user) -> list[str] | None:
    """The halls whose notification outcomes this person sees at the county (None: all;
    [] refuses)."""
    if site_current().tier != Tier.COUNTY:
        return []
    return supervised_codes(user=user)
