"""The front page after login: where each person starts, by the roles they hold here.

One grants read (cached on the user for the request) decides which starts to show; the
clerk's counts are one aggregate query. Anonymous visitors get the login and the citizen's
query instead (deploy/templates/deploy/home.html)."""

from __future__ import annotations

from django.db.models import Count

from permissions import access
from permissions.access import SitePerm
from sites.cases.models import OPEN_STATUSES, ClockState
from sites.cases.selectors import case_list_for_user

COUNTED = (
    ClockState.NOT_STARTED,  # filed, not yet accepted: the clock has not started
    ClockState.OVERDUE,
    ClockState.WARNING,
    ClockState.ON_TIME,
    ClockState.SUSPENDED,
)
LABELS = {ClockState.NOT_STARTED: "待受理"}


def start_for(*, user, here) -> dict:
    """{"name", "clerk": counts or None, "agent", "chief", "supervisor", "catalogue", ...}."""
    grants = access.user_site_grants(user=user)
    start = {
        "name": getattr(getattr(user, "staff", None), "name", "") or user.get_username(),
        "clerk": None,
        "agent": grants.has(SitePerm.FILE_AS_AGENT, here.id),
        "chief": grants.has(SitePerm.DECIDE, here.id),
        "supervisor": grants.has_anywhere(SitePerm.SUPERVISE)
        or grants.has_anywhere(SitePerm.REASSIGN_TASKS),
        "catalogue": grants.has_anywhere(SitePerm.MANAGE_CATALOGUE),
        "viewer": bool(grants.view_site_ids),
        "county": here.tier == "county",
    }
    if grants.has(SitePerm.ACT, here.id):
        rows = (
            case_list_for_user(user=user)
            .filter(owner_site=here, status__in=OPEN_STATUSES)
            .values("clock_state")
            .annotate(n=Count("pk"))
            .order_by()
        )
        found = {r["clock_state"]: r["n"] for r in rows}
        start["clerk"] = [
            (state, LABELS.get(state, state.label), found.get(state, 0)) for state in COUNTED
        ]
        start["clerk_total"] = sum(n for _, _, n in start["clerk"])  # the counters add up
    return start
