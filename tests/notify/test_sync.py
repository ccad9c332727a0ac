"""notify.outcome at the county: one report per hall and key (a redelivery or the later
outcome updates it), a hall may not report for another, a malformed one is quarantined."""

from sites.notify.models import NotifyReport
from sync.inbox import inbox_apply
from sync.models import QuarantinedMessage
from tests.support.inject import envelope_dict, signed


def outcome(**over):
    payload = {
        "key": "t-maan-20261207-0001:decided:3",
        "site": "t-maan",
        "case_number": "t-maan-20261207-0001",
        "kind": "decided",
        "status": "failed",
        "attempts": 8,
        "error": "网关返回 500",
        "created_at": "2026-12-07T10:00:00+08:00",
        "done_at": "2026-12-07T11:00:00+08:00",
    }
    return payload | over


def body(payload, origin="t-maan"):
    data = envelope_dict(origin=origin, dest="county", type="notify.outcome", payload=payload)
    return signed(data).encode()


def test_an_outcome_counts_once_and_the_later_one_stands(halls, at_site, db):
    at_site("county")
    failed = body(outcome())
    inbox_apply(bodies=[failed])
    inbox_apply(bodies=[failed])  # the broker redelivers
    inbox_apply(bodies=[body(outcome(status="sent", attempts=9, error=""))])
    report = NotifyReport.objects.get()
    assert (report.site, report.status, report.attempts) == ("t-maan", "sent", 9)


def test_a_hall_reporting_for_another_or_nonsense_is_quarantined(halls, at_site, db):
    at_site("county")
    inbox_apply(bodies=[body(outcome(site="t-huangtan"))])
    inbox_apply(bodies=[body(outcome(status="pending"))])
    inbox_apply(bodies=[body(outcome(attempts="many"))])
    assert not NotifyReport.objects.exists()
    assert QuarantinedMessage.objects.count() == 3
