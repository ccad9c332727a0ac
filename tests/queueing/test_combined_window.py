"""综合窗口 (issue 26 item 4, seed 000: 「设置独立窗口和综合窗口」): one window calls the next
number across the departments it serves, in the queue rules' one order (transfers, then
appointment check-ins, then walk-ins by time taken); statistics and ratings stay with each
number's own department."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection  # noqa: F401  (read by the skipif condition)

from county.rules.models import Rule
from sites.feedback.services import ticket_facts
from sites.queueing import selectors, services
from sites.queueing.models import Ticket, TicketStatus
from sites.registry.models import Department
from sites.registry.services import window_open
from tests.queueing.test_concurrency import run_at_once

MORNING = datetime(2026, 12, 8, 1, 0, tzinfo=UTC)  # Tuesday 09:00 Beijing


def _combined(site):
    mzj, rsj, wjj = (Department.objects.get(code=c) for c in ("mzj", "rsj", "wjj"))
    window = window_open(site=site, department=mzj, number="9", name="综合窗口")
    services.window_departments_set(window=window, departments=[rsj, wjj])
    return window, mzj, rsj, wjj


@pytest.mark.django_db
def test_a_combined_window_calls_across_its_departments_in_order(hall, django_user_model):
    window, mzj, rsj, wjj = _combined(hall)
    clerk = django_user_model.objects.create_user(username="zonghe")
    order = [mzj, rsj, mzj, wjj, rsj]
    taken = [
        services.ticket_take(site=hall, department=d, at=MORNING + timedelta(minutes=i))
        for i, d in enumerate(order)
    ]
    called = [
        services.ticket_call_next(window=window, by=clerk, at=MORNING + timedelta(minutes=10 + i))
        for i in range(len(order))
    ]
    assert [t.label for t in called] == [t.label for t in taken]
    assert [t.department_id for t in called] == [d.pk for d in order]
    assert (
        services.ticket_call_next(window=window, by=clerk, at=MORNING + timedelta(hours=1)) is None
    )
    # attributed to each number's department, not to the window's own (民政局)
    served = Ticket.objects.select_related("window", "department", "site", "called_by")
    facts = [ticket_facts(t)["department_code"] for t in served.order_by("taken_at")]
    assert facts == [d.code for d in order]


@pytest.mark.django_db
def test_an_ordinary_window_still_calls_only_its_department(hall, django_user_model):
    _combined(hall)
    rsj_window = hall.windows.get(number="3")
    clerk = django_user_model.objects.create_user(username="rs")
    mzj = Department.objects.get(code="mzj")
    services.ticket_take(site=hall, department=mzj, at=MORNING)
    assert services.ticket_call_next(window=rsj_window, by=clerk, at=MORNING) is None


@pytest.mark.django_db
def test_the_hall_rule_may_forbid_or_bound_combined_windows(hall):
    window = hall.windows.get(number="1")
    rsj, wjj = Department.objects.get(code="rsj"), Department.objects.get(code="wjj")
    Rule.objects.create(
        key="queueing.combined_windows",
        scope=f"site:{hall.code}",
        value={"allowed": True, "max_departments": 2},
        changed_at=MORNING,
    )
    with pytest.raises(ValidationError):
        services.window_departments_set(window=window, departments=[rsj, wjj])
    services.window_departments_set(window=window, departments=[rsj])
    Rule.objects.filter(key="queueing.combined_windows").update(value={"allowed": False})
    with pytest.raises(ValidationError):
        services.window_departments_set(window=window, departments=[wjj])
    assert services.window_departments_set(window=window, departments=[]).department_ids() == [
        window.department_id
    ]


@pytest.mark.django_db
def test_a_department_served_only_by_a_combined_window_is_on_the_kiosk(hall):
    _combined(hall)
    codes = {d.code for d in selectors.departments_served(site=hall)}
    assert {"mzj", "rsj", "wjj"} <= codes


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    "connection.vendor != 'postgresql'",
    reason="concurrency needs PostgreSQL (HALL_TEST_DATABASE_URL)",
)
def test_combined_and_department_windows_calling_at_once_never_share_a_number(
    hall, django_user_model
):
    """40 numbers of 民政局 and 人社局; the 综合窗口 and the three department windows call at
    once until nobody waits: each number called exactly once, and the 综合窗口's own calls
    come in the queue's order."""
    window, mzj, rsj, _ = _combined(hall)
    clerk = django_user_model.objects.create_user(username="zh")
    for i in range(40):
        services.ticket_take(
            site=hall, department=(mzj, rsj)[i % 2], at=MORNING + timedelta(seconds=i)
        )
    windows = [window, *hall.windows.exclude(pk=window.pk)]
    calls: dict[int, list] = {w.pk: [] for w in windows}

    def caller(w):
        def run():
            for k in range(40):
                t = services.ticket_call_next(
                    window=w, by=clerk, at=MORNING + timedelta(minutes=5, seconds=k)
                )
                if t is None:
                    return
                calls[w.pk].append(t)

        return run

    results = run_at_once([caller(w) for w in windows])
    assert not [r for r in results if isinstance(r, Exception)], results
    ids = [t.pk for ts in calls.values() for t in ts]
    assert len(ids) == len(set(ids)) == 40
    own = calls[window.pk]
    assert own, "the combined window called nobody"
    assert [t.queued_at for t in own] == sorted(t.queued_at for t in own)
    assert not Ticket.objects.filter(status=TicketStatus.WAITING).exists()


@pytest.mark.django_db
def test_the_admin_form_asks_the_same_rule(hall):
    from sites.queueing.admin import WindowForm

    mzj, rsj, wjj = (Department.objects.get(code=c) for c in ("mzj", "rsj", "wjj"))
    Rule.objects.create(
        key="queueing.combined_windows",
        scope=f"site:{hall.code}",
        value={"allowed": True, "max_departments": 2},
        changed_at=MORNING,
    )
    data = {"site": hall.pk, "number": "8", "name": "综合窗口", "department": mzj.pk}
    assert WindowForm({**data, "departments": [rsj.pk]}).is_valid()
    form = WindowForm({**data, "departments": [rsj.pk, wjj.pk]})
    assert not form.is_valid() and "最多兼办2个部门" in str(form.errors["departments"])
