"""A rating given at a village reaches the county exactly once: the inbox keeps one row per
message id, and a second message for the same case (rated again elsewhere) changes nothing."""

from county.assessment.models import PointEntry
from sites.feedback.models import Rating
from sync.inbox import inbox_apply
from tests.support.inject import envelope_dict, signed


def rating_payload(**over):
    payload = {
        "case_number": "v-shiqiao-20261102-0001",
        "item_name": "临时救助",
        "window_site": "v-shiqiao",
        "window_site_name": "石桥村便民服务站",
        "window_number": "1",
        "window_name": "综合窗口",
        "department_code": "mzj",
        "department_name": "民政局",
        "staff_username": "v-shiqiao-clerk",
        "staff_name": "刘七",
        "level": "very_dissatisfied",
        "channel": "window",
        "comment": "等了很久",
        "given_at": "2026-11-02T10:00:00+08:00",
        "given_site": "v-shiqiao",
    }
    return payload | over


def body(payload, origin="v-shiqiao", msg_id=None):
    data = envelope_dict(
        origin=origin, dest="county", type="feedback.rating", payload=payload, msg_id=msg_id
    )
    return signed(data).encode()


def test_a_village_rating_delivered_twice_counts_once(halls, db):
    once = body(rating_payload())
    inbox_apply(bodies=[once])
    inbox_apply(bodies=[once])  # the broker redelivers
    again = rating_payload(given_site="t-maan", level="satisfied")
    inbox_apply(bodies=[body(again, origin="t-maan")])  # rated again at the township
    rating = Rating.objects.get()
    assert (rating.level, rating.given_site) == ("very_dissatisfied", "v-shiqiao")
    entry = PointEntry.objects.get()
    assert (entry.points, entry.window.site_code, entry.window.number) == (-2, "v-shiqiao", "1")


def test_a_rating_claiming_another_hall_is_quarantined(halls, db):
    from sync.models import QuarantinedMessage

    inbox_apply(bodies=[body(rating_payload(given_site="t-maan"))])
    assert not Rating.objects.exists()
    assert QuarantinedMessage.objects.count() == 1
