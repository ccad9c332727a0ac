"""Who may do what with 好差评, 投诉 and 窗口考核: named actions with descriptions, decided
here from the site grants (permissions.access) and nothing else.

The assessment lives at the county (its ledger hears every hall), so the hall office's work
(follow-ups, complaints, inspections, rankings) is done there by the holders of 电子监察
(SitePerm.SUPERVISE, the county supervisor: the hall's 督查室). Citizens have no account: they
rate and complain with the case number and query code (permissions.citizen).
"""

from __future__ import annotations

from enum import StrEnum

from django.conf import settings

from permissions.access import (
    DENIED_MESSAGE,
    AccessDenied,
    has_site_perm,
    is_read_only,
    user_site_grants,
)
from permissions.roles import SitePerm
from sites.registry.models import Site
from sites.registry.tier import here


class FeedbackAction(StrEnum):
    RATE_AT_WINDOW = "rate_at_window"
    HANDLE = "handle_feedback"
    VIEW_RANKINGS = "view_rankings"
    VIEW_OWN_WINDOW = "view_own_window_points"
    APPEAL = "appeal_rating"


FEEDBACK_ACTION_LABELS: dict[FeedbackAction, str] = {
    FeedbackAction.RATE_AT_WINDOW: "在窗口为本站办结的办件打开评价器(一次一评)",
    FeedbackAction.HANDLE: "差评回访整改、申诉复核、投诉处理、日检查与加减分登记(县中心督查室)",
    FeedbackAction.VIEW_RANKINGS: "查看月排名、季度评比、年度等次并导出(县中心，审计员只读)",
    FeedbackAction.VIEW_OWN_WINDOW: "窗口工作人员查看本窗口积分及扣分原因",
    FeedbackAction.APPEAL: "被评窗口对误评、恶意差评提出申诉复核",
}


def _here() -> Site | None:
    return Site.objects.filter(code=settings.HALL_SITE).first()


def _at_county() -> bool:
    return here().keeps_read_model


def may_rate_at_window(*, user, case) -> bool:
    """A clerk of this hall opens the rating device for a case this hall concluded."""
    if not getattr(user, "is_authenticated", False):
        return False
    here = _here()
    return bool(
        here
        and case.owner_site_id == here.pk
        and has_site_perm(user=user, site=here, perm=SitePerm.ACT)
    )


def may_handle_feedback(*, user) -> bool:
    if not (_at_county() and getattr(user, "is_authenticated", False)):
        return False
    here = _here()
    return bool(here and has_site_perm(user=user, site=here, perm=SitePerm.SUPERVISE))


def may_view_rankings(*, user) -> bool:
    if not (_at_county() and getattr(user, "is_authenticated", False)):
        return False
    here = _here()
    if here is None:
        return False
    grants = user_site_grants(user=user)
    return grants.has(SitePerm.SUPERVISE, here.pk) or grants.has(SitePerm.VIEW_CASES, here.pk)


def own_window(*, user) -> tuple[str, str] | None:
    """(site code, window number) of the window this person works at, if any."""
    staff = getattr(user, "staff", None) if getattr(user, "is_authenticated", False) else None
    window = getattr(staff, "window", None) if staff else None
    return (window.site.code, window.number) if window else None


def may_view_window(*, user, site_code: str, number: str) -> bool:
    """A window's ledger (names of its staff): the office, the auditor, its own staff. The
    ranking itself is published (seed 002 予以公示) to county staff."""
    if not _at_county() or not getattr(user, "is_authenticated", False):
        return False
    auditor = may_view_rankings(user=user) and is_read_only(user=user)
    return may_handle_feedback(user=user) or auditor or own_window(user=user) == (site_code, number)


def may_appeal(*, user, site_code: str, number: str) -> bool:
    """申诉复核 is asked by the window rated (its own staff) or by the office for it."""
    if not _at_county() or not getattr(user, "is_authenticated", False):
        return False
    return may_handle_feedback(user=user) or own_window(user=user) == (site_code, number)


def require(allowed: bool) -> None:
    if not allowed:
        raise AccessDenied(DENIED_MESSAGE)
