"""Every hall's windows reach the county ranking by a sync message (issue 22): a window
opened, renamed or staffed at a township or village is announced to the county (fan-in),
which keeps it in its assessed list from that day, ranked at the base score before any
point. Windows are site data kept in step by events, never written when a page is read.

The county's own windows are taken in directly (receivers.py); every other hall announces
its own, and the county refuses a message about another hall's window.
"""

from __future__ import annotations

from django.db import transaction

from county.assessment.models import AssessedStaff, AssessedWindow
from sites.registry.models import Staff, Window
from sync import api

WINDOW_TYPE = "assessment.window"  # a hall → the county: this window of mine exists
STAFF_TYPE = "assessment.staff"  # a hall → the county: this person works at this window


def _f(model, name: str, **changes):
    return api.of(model._meta.get_field(name), **changes)


WINDOW = api.Obj(
    {
        "site_code": _f(AssessedWindow, "site_code", blank=False),
        "site_name": _f(AssessedWindow, "site_name"),
        "number": _f(AssessedWindow, "number", blank=False),
        "name": _f(AssessedWindow, "name"),
        "department_code": _f(AssessedWindow, "department_code"),
        "department_name": _f(AssessedWindow, "department_name"),
    }
)
STAFF = api.Obj(
    {
        "site_code": _f(AssessedStaff, "site_code", blank=False),
        "username": _f(AssessedStaff, "username", blank=False),
        "name": _f(AssessedStaff, "name"),
        "window_number": _f(AssessedWindow, "number", blank=False),
    }
)


def window_payload(window) -> dict:
    return {
        "site_code": window.site.code,
        "site_name": window.site.name,
        "number": window.number,
        "name": window.name,
        "department_code": window.department.code,
        "department_name": window.department.name,
    }


def window_announce(window) -> None:
    """Tell the county about one of this hall's windows (in the caller's transaction)."""
    with transaction.atomic():
        api.outbox_put(
            type=WINDOW_TYPE, aggregate="", dest=api.fanin(), payload=window_payload(window)
        )


def staff_announce(staff) -> None:
    """Tell the county who works at one of this hall's windows."""
    payload = {
        "site_code": staff.window.site.code,
        "username": staff.user.username,
        "name": staff.name,
        "window_number": staff.window.number,
    }
    with transaction.atomic():
        api.outbox_put(type=STAFF_TYPE, aggregate="", dest=api.fanin(), payload=payload)


def windows_announce_all() -> int:
    """Announce every window and placed person of this hall (after an upgrade: the county
    learns windows opened before the messages existed; a repeat changes nothing)."""

    count = 0
    for window in Window.objects.select_related("site", "department"):
        window_announce(window)
        count += 1
    for person in Staff.objects.filter(window__isnull=False).select_related("user", "window__site"):
        staff_announce(person)
    return count
