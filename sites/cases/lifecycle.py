"""The case lifecycle: every action, the statuses it is allowed from, where it leads.

The action table (`ACTIONS`, declared in sites.cases.actions) says which action may run
from which status; one function
(`transition`) runs the common part of every write — lock the case, find this hall,
check that it owns the case, check the status against the table, check the time — and
`event_record` appends the event (clock refreshed, case saved, event published). Every
service in sites/cases and sites/joint goes through them.

Every recorded event is announced with the `case_changed` signal (sites.cases.signals): the
one way for other apps to follow a change. Case kinds take part in a transition with hooks
(`CaseHooks`, `hooks_register`) keyed by handling type, which may refuse it or use its input:
the joint approvals app (sites/joint) registers one for 联办件 in its AppConfig, so this
app never imports it. A hook runs inside the service's transaction with the case locked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

from county.catalogue.selectors import delegation_decides
from sites.cases import signals
from sites.cases.actions import ACTIONS, Action
from sites.cases.clocks import case_clock_refresh
from sites.cases.models import Case, CaseEvent
from sites.cases.outbound import event_publish
from sites.registry.models import Site
from sites.registry.selectors import site_current
from sites.registry.timefmt import people_time

CLOCK_SKEW = timedelta(minutes=2)


# ---------------------------------------------------------------- checks


def when(at: datetime | None) -> datetime:
    """The moment of an action: now, or a given aware time not in the future."""
    now = timezone.now()
    if at is None:
        return now
    if timezone.is_naive(at):
        raise ValidationError({"at": "时间须带时区。"})
    if at > now + CLOCK_SKEW:
        raise ValidationError({"at": "时间不能晚于当前时间。"})
    return at


def catalogue_time_check(*, version, delegation, at: datetime, what: str) -> None:
    """No filing or acceptance before the item version existed here, nor before the item was
    delegated to this hall (`delegation`; None at the county): a back-dated entry falls under
    the rules of its own day. The future is refused by `when`."""
    if at < version.created_at:
        raise ValidationError(
            {
                "at": f"{what}时间不能早于事项“{version.name}”第 {version.number} 版的发布时间"
                f"（{people_time(version.created_at)}）。"
            }
        )
    if delegation is not None and at < delegation.granted_at:
        raise ValidationError(
            {
                "at": f"{what}时间不能早于该事项下放到本站点的时间"
                f"（{people_time(delegation.granted_at)}）。"
            }
        )


def owner_check(case: Case, here: Site) -> None:
    if case.owner_site_id != here.id:
        raise ValidationError({"case": f"办件 {case.number} 不由本站点办理，不能操作。"})


def status_check(case: Case, action: str) -> None:
    act = ACTIONS[action]
    if act.allows(case.status):
        return
    special = dict(act.refusals).get(case.status)
    raise ValidationError(
        {"status": special or f"办件当前状态为“{case.get_status_display()}”，不能{act.label}。"}
    )


def may_decide(case: Case, here: Site) -> bool:
    """May this hall decide the case? The catalogue's one rule, at the acceptance time."""
    version = case.item_version
    return delegation_decides(
        item=version.item, handling_type=version.handling_type, site=here, at=case.accepted_at
    )


def text_clean(value: str | None, field: str, what: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: f"请填写{what}。"})
    return value[:500]


def person_name(user) -> str:
    if user is None:
        return "系统"
    staff = getattr(user, "staff", None)
    return staff.name if staff else user.get_username()


# ---------------------------------------------------------------- running a transition


@dataclass
class Step:
    """A transition under way: the locked case, this hall, the moment."""

    case: Case
    here: Site
    at: datetime


def transition(*, case: Case, action: str, at: datetime | None = None) -> Step:
    """Lock the case, check owner, status (from the table) and time; inside the caller's
    transaction. The service then changes the case and calls `event_record`."""
    at = when(at)
    locked = Case.objects.select_for_update().get(pk=case.pk)
    here = site_current()
    owner_check(locked, here)
    status_check(locked, action)
    return Step(case=locked, here=here, at=at)


def event_record(
    case: Case,
    *,
    type: str,
    by,
    here: Site,
    at: datetime,
    data: dict | None = None,
    actor_name: str | None = None,
) -> CaseEvent:
    """Refresh the clock, save the case and append one event; publish it (fan-in).

    `actor_name`: the person when they acted at another hall (a part's opinion)."""
    case_clock_refresh(case=case)
    case.seq += 1
    case.save()
    event = CaseEvent.objects.create(
        case=case,
        seq=case.seq,
        type=type,
        at=at,
        site=here,
        actor=by,
        actor_name=actor_name or person_name(by),
        data=data or {},
    )
    event_publish(case=case, event=event, here=here)
    signals.case_changed.send(sender=Case, case=case, event=event, here=here)
    return event


def actions_available(*, case: Case, here: Site) -> list[Action]:
    """What the table allows now for `case` at `here` (the person's rights come on top)."""
    if case.owner_site_id != here.id:
        return []
    kind = case.item_version.handling_type
    decides = None  # asked once, only when a deciding action is in reach (one query)
    found = []
    for act in ACTIONS.values():
        if not act.sources or not act.allows(case.status):
            continue
        if (act.only_kind and kind != act.only_kind) or (act.not_kind and kind == act.not_kind):
            continue
        if act.decides:
            if decides is None:
                decides = may_decide(case, here)
            if not decides:
                continue
        if act.offered_if is not None and not act.offered_if(case, here):
            continue
        found.append(act)
    return found


# ---------------------------------------------------------------- hooks for case kinds


class CaseHooks:
    """What a case kind adds to the lifecycle; every method is optional (no-op here).

    accepted:      after acceptance is recorded; return True when it used `assignments`.
    before_decide: before the decision is recorded (may record its own event, or refuse
                   with a ValidationError).
    closed:        the case ended without a decision (returned, withdrawn).
    """

    def accepted(self, *, case: Case, by, here: Site, at: datetime, assignments) -> bool:
        return False

    def before_decide(
        self, *, case: Case, by, here: Site, at: datetime, outcome: str, resolution: str
    ) -> None:
        return None

    def closed(self, *, case: Case, here: Site) -> None:
        return None


_HOOKS: dict[str, list[CaseHooks]] = {}


def hooks_register(handling_type: str, hooks: CaseHooks) -> None:
    """Plug a case kind in (idempotent per hooks class)."""
    found = _HOOKS.setdefault(handling_type, [])
    if not any(type(h) is type(hooks) for h in found):
        found.append(hooks)


def hooks_for(case: Case) -> list[CaseHooks]:
    return _HOOKS.get(case.item_version.handling_type, [])
