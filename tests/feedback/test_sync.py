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
    assert rating.follow_up == "open"  # once; no point before 查实 (seed 000 第十三条(六))
    assert not PointEntry.objects.exists()


def test_a_rating_claiming_another_hall_is_quarantined(halls, db):
    from sync.models import QuarantinedMessage

    inbox_apply(bodies=[body(rating_payload(given_site="t-maan"))])
    assert not Rating.objects.exists()
    assert QuarantinedMessage.objects.count() == 1


def answer(key, state, reply, origin="county", kind="complaint"):
    payload = {
        "kind": kind,
        "key": key,
        "state": state,
        "reply": reply,
        "at": "2026-11-10T10:00:00+08:00",
    }
    data = envelope_dict(origin=origin, dest="t-maan", type="feedback.answer", payload=payload)
    return signed(data).encode()


def test_a_complaint_filed_at_a_township_gets_its_reply_there(served, at_site, db):
    from sites.feedback import services
    from sites.feedback.models import Complaint
    from sync.models import OutboxMessage, QuarantinedMessage

    case, _, _ = served
    at_site("t-maan")
    number = services.complaint_file(facts=services.case_facts(case), content="推诿扯皮不办事")
    local = Complaint.objects.get(number=number)  # the township's copy, for its citizens
    assert local.step == "received" and local.reply_due
    assert OutboxMessage.objects.filter(type="feedback.complaint", dest="county").count() == 1
    inbox_apply(bodies=[answer(number, "replied", "已责令整改并致歉", origin="v-shiqiao")])
    assert QuarantinedMessage.objects.count() == 1  # only the county answers
    inbox_apply(bodies=[answer(number, "replied", "已责令整改并致歉")])
    local.refresh_from_db()
    assert (local.step, local.reply) == ("replied", "已责令整改并致歉")


def test_the_county_sends_its_progress_to_the_hall_where_it_was_filed(served, db):
    from county.assessment import feedback as assess
    from sites.feedback import services
    from sites.feedback.models import Complaint
    from sync.models import OutboxMessage

    case, user, _ = served
    payload = {
        **services.case_facts(case),
        "number": "TS20261102ABCDEF",
        "content": "推诿扯皮不办事",
        "filed_at": "2026-11-02T09:00:00+08:00",
        "filed_site": "t-maan",
    }
    complaint = services.complaint_arrive(payload=payload)
    assess.complaint_advance(complaint=complaint, step="accept", by=user)
    sent = OutboxMessage.objects.filter(type="feedback.answer", dest="t-maan")
    assert sent.count() == 1
    assert Complaint.objects.get().step == "accepted"


def test_a_complaint_number_another_hall_filed_first_is_refused_not_merged(served, db):
    """Issue 25: complaint numbers carry no hall prefix; the first hall's stands and a second
    hall's complaint with the same number is quarantined with the reason, not lost."""
    from sites.feedback import services
    from sites.feedback.models import Complaint
    from sync.models import QuarantinedMessage

    case, _, _ = served
    facts = services.case_facts(case)

    def filed(site: str, content: str) -> bytes:
        payload = {
            **facts,
            "number": "TS20261102ABCDEF",
            "content": content,
            "filed_at": "2026-11-02T09:00:00+08:00",
            "filed_site": site,
        }
        data = envelope_dict(origin=site, dest="county", type="feedback.complaint", payload=payload)
        return signed(data).encode()

    first = inbox_apply(bodies=[filed("t-maan", "推诿扯皮不办事")])
    second = inbox_apply(bodies=[filed("v-shiqiao", "另一件投诉的内容")])

    assert first.applied == 1 and second.quarantined == ["投诉编号已由t-maan使用"]
    complaint = Complaint.objects.get()
    assert (complaint.filed_site, complaint.content) == ("t-maan", "推诿扯皮不办事")
    assert QuarantinedMessage.objects.get().reason == "投诉编号已由t-maan使用"
