"""The part's hall: the lead's messages create, move and withdraw its working copy, and rights
follow; anything else is refused with a reason (sync quarantines it)."""

from types import SimpleNamespace

import pytest

from permissions.roles import Role
from sites.joint.access import can_give_opinion
from sites.joint.appliers import part_assigned, part_withdrawn
from sites.joint.models import Part, PartState
from sites.joint.services import part_opinion_give
from sync.api import Reject
from tests.joint.conftest import person, sent

pytestmark = pytest.mark.django_db
NUMBER = "county-20261123-0001"


def snapshot(generation=1, site="t-maan", window="3", reviewer=""):
    return {
        "key": f"{NUMBER}:hbj",
        "case_number": NUMBER,
        "lead_site": "county",
        "item_code": "test-joint-001",
        "item_name": "餐饮服务联审",
        "applicant_name": "李四",
        "materials": ["申请书"],
        "department": "hbj",
        "site": site,
        "window": window,
        "reviewer": reviewer,
        "generation": generation,
        "state": "open",
        "budget_days": 4,
        "start": "2026-11-23",
        "deadline": "2026-11-27",
        "deadline_provisional": False,
        "warning_from": "2026-11-26",
        "opened_at": "2026-11-23T09:00:00+08:00",
        "opinion": "",
        "reasons": "",
        "opinion_materials": [],
        "answered_at": None,
        "answered_by": "",
        "deemed_points": 0,
        "reassignments": [],
    }


def envelope(payload, origin="county"):
    return SimpleNamespace(origin=origin, payload=payload, aggregate="", dest="t-maan")


@pytest.fixture
def township(tree, at_site):
    at_site("t-maan")
    return tree["t-maan"]


def test_an_assigned_part_arrives_and_its_hall_may_answer(township):
    clerk = person(township, Role.CLERK, "赵六")
    other = person(township.parent, Role.CLERK, "县里")
    # when the lead's assignment arrives
    part_assigned(envelope(snapshot()))
    part = Part.objects.get()
    # then the hall holds a working copy (no case row here) and its clerks may answer
    assert (part.case_id, part.site.code, part.window_number) == (None, "t-maan", "3")
    assert can_give_opinion(user=clerk, part=part)
    assert not can_give_opinion(user=other, part=part)
    # and the answer travels back to the lead
    part_opinion_give(part=part, by=clerk, opinion="disagree", reasons="排污不达标")
    [message] = sent("joint.part.opinion", "county")
    assert message["payload"]["opinion"] == "disagree"
    assert message["payload"]["generation"] == 1
    assert message["payload"]["answered_by"] == "赵六"


def test_a_named_reviewer_alone_may_answer(township):
    clerk = person(township, Role.CLERK, "赵六")
    reviewer = person(township, Role.CLERK, "钱七", username="qianqi")
    part_assigned(envelope(snapshot(reviewer="qianqi")))
    part = Part.objects.get()
    assert can_give_opinion(user=reviewer, part=part)
    assert not can_give_opinion(user=clerk, part=part)


def test_a_withdrawal_takes_the_rights_away_and_old_messages_are_ignored(township):
    clerk = person(township, Role.CLERK, "赵六")
    part_assigned(envelope(snapshot(generation=2)))
    # an older assignment arriving late changes nothing
    part_assigned(envelope(snapshot(generation=1, window="9")))
    assert Part.objects.get().window_number == "3"
    # an older withdrawal neither
    part_withdrawn(envelope({"key": f"{NUMBER}:hbj", "generation": 1, "state": "moved"}))
    assert Part.objects.get().state == PartState.OPEN
    # the current one moves the part away: no more rights here
    part_withdrawn(envelope({"key": f"{NUMBER}:hbj", "generation": 2, "state": "moved"}))
    part = Part.objects.get()
    assert part.state == PartState.MOVED
    assert not can_give_opinion(user=clerk, part=part)


@pytest.mark.parametrize(
    ("origin", "payload", "reason"),
    [
        ("t-huangtan", snapshot(), "牵头站点与消息来源不符"),
        ("county", snapshot(site="t-huangtan"), "不是本站点"),
        ("county", {**snapshot(), "department": "nope"}, "未知部门"),
        ("county", {**snapshot(), "generation": "1"}, "分派次数"),
        ("county", {**snapshot(), "start": None}, "不完整"),
    ],
)
def test_bad_assignments_are_refused_with_a_reason(township, origin, payload, reason):
    with pytest.raises(Reject, match=reason):
        part_assigned(envelope(payload, origin=origin))


def test_a_withdrawal_from_another_lead_is_refused(township):
    part_assigned(envelope(snapshot()))
    with pytest.raises(Reject, match="牵头站点不是 t-huangtan"):
        part_withdrawn(
            envelope({"key": f"{NUMBER}:hbj", "generation": 1, "state": "moved"}, "t-huangtan")
        )


def test_staff_set_up_after_the_part_arrived_may_answer_it(township):
    # given the part arrives before the hall has any clerk
    part_assigned(envelope(snapshot()))
    # when a clerk is set up there (a new role group)
    clerk = person(township, Role.CLERK, "后来")
    # then the clerk may answer it
    assert can_give_opinion(user=clerk, part=Part.objects.get())


def test_a_deemed_part_reads_as_deemed_to_agree_at_its_hall(township):
    part_assigned(envelope(snapshot()))
    note = "逾期未出具意见(期限 2026-11-27)，按默认同意处理"
    part_withdrawn(
        envelope({"key": f"{NUMBER}:hbj", "generation": 1, "state": "deemed", "note": note})
    )
    part = Part.objects.get()
    assert (part.state, part.opinion, part.reasons) == ("deemed", "agree", note)
