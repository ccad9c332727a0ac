"""Joint approvals at the lead hall: open, opinions, deemed consent, reassignment, countersign."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from permissions.roles import Role
from sites.cases import services
from sites.cases.models import CaseStatus, EventType
from sites.joint.models import JointRule, Part, PartRecord, PartState, WindowDeduction
from sites.joint.reassign import part_reassign
from sites.joint.services import (
    LateOpinion,
    part_opinion_give,
    part_opinion_receive,
)
from sites.joint.supervision import parts_deem_due
from tests.joint.conftest import CO, joint_case, person, sent

pytestmark = pytest.mark.django_db

SPREAD = {"hbj": {"site": "t-maan", "window": "3"}, "zrzy": {"site": "t-huangtan"}}


def parts(case):
    return {p.department.code: p for p in Part.objects.filter(case=case)}


def events(case):
    return list(case.events.order_by("seq").values_list("type", flat=True))


def test_accepting_a_joint_case_opens_one_part_per_co_department(lead_clerk):
    # when a joint case is accepted at the lead window with parts spread over halls
    case = joint_case(by=lead_clerk, assignments=SPREAD)
    # then each co-department has a part with its own clock, where it was assigned
    found = parts(case)
    assert sorted(found) == CO
    assert {c: p.site.code for c, p in found.items()} == {
        "hbj": "t-maan",
        "wjj": "county",
        "zrzy": "t-huangtan",
    }
    hbj = found["hbj"]
    assert hbj.budget_days == 4 and hbj.window_number == "3" and hbj.state == PartState.OPEN
    assert hbj.start == timezone.localdate() and hbj.warning_from < hbj.deadline
    # and the parts in other halls travel there by message (none for the county's own part)
    assert [m["payload"]["key"] for m in sent("joint.part.assign")] == [
        f"{case.number}:hbj",
        f"{case.number}:zrzy",
    ]
    assert [m["dest"] for m in sent("joint.part.assign")] == ["t-maan", "t-huangtan"]
    # and the timeline and the county's read model know them
    assert events(case) == ["submitted", "accepted", "parts_opened"]
    assert PartRecord.objects.filter(case_number=case.number).count() == 3


def test_assignment_to_a_department_not_in_the_item_is_refused(lead_clerk):
    with pytest.raises(ValidationError) as err:
        joint_case(by=lead_clerk, assignments={"mzj": {"site": "t-maan"}})
    assert "不是该事项的联办部门" in err.value.message_dict["assignments"][0]
    assert not Part.objects.exists()


def test_an_opinion_at_the_lead_is_recorded_and_reaches_the_read_model(lead_clerk, joint):
    case = joint_case(by=lead_clerk)
    reviewer = person(joint["county"], Role.DEPARTMENT_REVIEWER, "卫健审核")
    wjj = parts(case)["wjj"]
    # a disagreement without reasons is refused
    with pytest.raises(ValidationError) as err:
        part_opinion_give(part=wjj, by=reviewer, opinion="disagree", reasons=" ")
    assert "不同意的理由" in err.value.message_dict["reasons"][0]
    part_opinion_give(part=wjj, by=reviewer, opinion="conditional", reasons="须配备消毒设施")
    wjj.refresh_from_db()
    assert (wjj.state, wjj.opinion, wjj.answered_by) == ("answered", "conditional", "卫健审核")
    record = PartRecord.objects.get(key=wjj.key)
    assert (record.state, record.opinion, record.reasons) == (
        "answered",
        "conditional",
        "须配备消毒设施",
    )
    assert events(case)[-1] == EventType.OPINION_GIVEN
    # and a second opinion on the same part is refused
    with pytest.raises(ValidationError):
        part_opinion_give(part=wjj, by=reviewer, opinion="agree")


def test_an_opinion_for_a_part_handled_in_another_hall_is_refused_here(lead_clerk):
    case = joint_case(by=lead_clerk, assignments=SPREAD)
    with pytest.raises(ValidationError) as err:
        part_opinion_give(part=parts(case)["hbj"], by=lead_clerk, opinion="agree")
    assert "不在本站点办理" in err.value.message_dict["part"][0]


def answer(part, opinion="agree", reasons=""):
    """The opinion of a part's hall, as it arrives at the lead by message."""
    return part_opinion_receive(
        origin=part.site.code,
        payload={
            "key": part.key,
            "generation": part.generation,
            "opinion": opinion,
            "reasons": reasons,
            "materials": [],
            "answered_at": timezone.now().isoformat(),
            "answered_by": "马鞍镇赵六",
        },
    )


def test_countersign_needs_every_opinion_and_a_resolution_when_one_disagreed(
    lead_clerk, lead_chief
):
    case = joint_case(by=lead_clerk, assignments=SPREAD)
    found = parts(case)
    part_opinion_give(part=found["wjj"], by=lead_clerk, opinion="agree")
    # given parts still open, concluding is refused and names them
    with pytest.raises(ValidationError) as err:
        services.case_decide(case=case, by=lead_chief, outcome="approved")
    assert "环保局、自然资源局" in err.value.message_dict["parts"][0]
    answer(found["hbj"], "disagree", "排污不达标")
    answer(found["zrzy"])
    # given a disagreement, a written resolution is required
    with pytest.raises(ValidationError) as err:
        services.case_decide(case=case, by=lead_chief, outcome="approved")
    assert "环保局不同意" in err.value.message_dict["resolution"][0]
    # when the lead writes it, the case is countersigned and concluded
    services.case_decide(
        case=case, by=lead_chief, outcome="approved", resolution="已整改，复核合格"
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.CONCLUDED
    sign = case.events.get(type=EventType.COUNTERSIGNED).data
    assert sign["resolution"] == "已整改，复核合格"
    assert [(p["department"], p["opinion"]) for p in sign["parts"]] == [
        ("hbj", "disagree"),
        ("wjj", "agree"),
        ("zrzy", "agree"),
    ]
    assert events(case)[-2:] == ["countersigned", "decided"]


def test_deemed_consent_when_the_time_runs_out(lead_clerk):
    JointRule.objects.create(deemed_points=7)
    case = joint_case(by=lead_clerk, assignments=SPREAD)
    found = parts(case)
    answer(found["hbj"])
    part_opinion_give(part=found["wjj"], by=lead_clerk, opinion="agree")
    deadline = found["zrzy"].deadline
    # not yet: on the deadline day the part still has time
    assert parts_deem_due(today=deadline) == {"deemed": 0}
    # when the tick runs after the deadline, only the silent part is deemed to agree
    assert parts_deem_due(today=deadline + timedelta(days=1)) == {"deemed": 1}
    zrzy = Part.objects.get(pk=found["zrzy"].pk)
    assert (zrzy.state, zrzy.opinion, zrzy.deemed, zrzy.deemed_points) == (
        "deemed",
        "agree",
        True,
        -7,
    )
    # and the window loses the county rule's points, once
    deduction = WindowDeduction.objects.get()
    assert (deduction.site.code, deduction.department.code, deduction.points) == (
        "t-huangtan",
        "zrzy",
        -7,
    )
    assert parts_deem_due(today=deadline + timedelta(days=2)) == {"deemed": 0}
    # and its hall is told, the timeline and the read model show it
    assert sent("joint.part.withdraw", "t-huangtan")[-1]["payload"]["state"] == "deemed"
    assert events(case)[-1] == EventType.DEEMED_CONSENT
    assert PartRecord.objects.get(key=zrzy.key).state == "deemed"
    # and a late answer from that hall is not applied
    with pytest.raises(LateOpinion, match="逾期默认同意"):
        answer(zrzy, "disagree", "太晚了")


def test_reassignment_moves_the_part_and_its_rights_by_message(lead_clerk, supervisor):
    case = joint_case(by=lead_clerk, assignments=SPREAD)
    hbj = parts(case)["hbj"]
    deadline = hbj.deadline
    # when the supervisor moves the stalled part from 马鞍镇 to 黄滩镇
    later = timezone.now() + timedelta(seconds=1)
    part_reassign(
        part=hbj, by=supervisor, site="t-huangtan", window="5", reason="马鞍镇停电", at=None
    )
    hbj.refresh_from_db()
    # then the part is at the new hall, a new assignment, the clock continues (default rule)
    assert (hbj.site.code, hbj.window_number, hbj.generation, hbj.deadline) == (
        "t-huangtan",
        "5",
        2,
        deadline,
    )
    move = hbj.reassignments[-1]
    assert move["from"]["site"] == "t-maan" and move["to"]["site"] == "t-huangtan"
    assert move["reason"] == "马鞍镇停电" and move["by"] == "监管" and move["restart"] is False
    # and the old hall loses it, the new one gets it
    assert sent("joint.part.withdraw", "t-maan")[-1]["payload"] == {
        "key": hbj.key,
        "generation": 1,
        "state": "moved",
        "note": "已改派至 黄滩镇便民服务中心：马鞍镇停电",
    }
    assert sent("joint.part.assign", "t-huangtan")[-1]["payload"]["generation"] == 2
    assert events(case)[-1] == EventType.PART_REASSIGNED
    assert PartRecord.objects.get(key=hbj.key).site == "t-huangtan"
    # and the old hall's late answer is refused with the reason
    with pytest.raises(LateOpinion, match="改派至 t-huangtan"):
        part_opinion_receive(
            origin="t-maan",
            payload={
                "key": hbj.key,
                "generation": 1,
                "opinion": "agree",
                "reasons": "",
                "materials": [],
                "answered_at": later.isoformat(),
                "answered_by": "马鞍镇赵六",
            },
        )
    hbj.refresh_from_db()
    assert hbj.state == PartState.OPEN


def test_reassignment_restarts_the_clock_when_the_rule_says_so(lead_clerk, supervisor):
    JointRule.objects.create(restart_on_reassign=True)
    case = joint_case(by=lead_clerk, when=timezone.now() - timedelta(days=3))
    wjj = parts(case)["wjj"]
    before = wjj.deadline
    part_reassign(part=wjj, by=supervisor, site="t-maan", reason="县卫健局人手不足")
    wjj.refresh_from_db()
    assert wjj.start == timezone.localdate() and wjj.deadline > before
    assert wjj.reassignments[-1]["restart"] is True


def test_reassignment_is_refused_once_the_part_is_answered(lead_clerk, supervisor):
    case = joint_case(by=lead_clerk, assignments=SPREAD)
    hbj = parts(case)["hbj"]
    answer(hbj)
    with pytest.raises(ValidationError) as err:
        part_reassign(part=hbj, by=supervisor, site="t-huangtan", reason="停滞")
    message = err.value.message_dict["part"][0]
    assert "马鞍镇赵六 出具意见" in message and "以意见为准" in message


def test_reassignment_to_a_department_not_in_the_item_is_refused(lead_clerk, supervisor):
    case = joint_case(by=lead_clerk)
    wjj = parts(case)["wjj"]
    with pytest.raises(ValidationError) as err:
        part_reassign(part=wjj, by=supervisor, department="mzj", reason="停滞")
    assert "民政局 不是该事项的联办部门" in err.value.message_dict["department"][0]
    with pytest.raises(ValidationError) as err:
        part_reassign(part=wjj, by=supervisor, department="hbj", reason="停滞")
    assert "已有联办环节" in err.value.message_dict["department"][0]
    with pytest.raises(ValidationError) as err:
        part_reassign(part=wjj, by=supervisor, site="county", reason="停滞")
    assert "相同" in err.value.message_dict["site"][0]
    with pytest.raises(ValidationError) as err:
        part_reassign(part=wjj, by=supervisor, site="t-maan", reason="")
    assert "reason" in err.value.message_dict


def test_withdrawing_the_case_cancels_its_open_parts_everywhere(lead_clerk):
    case = joint_case(by=lead_clerk, assignments=SPREAD)
    services.case_withdraw(case=case, by=lead_clerk, reason="申请人撤回")
    assert set(Part.objects.values_list("state", flat=True)) == {"cancelled"}
    assert {m["dest"] for m in sent("joint.part.withdraw")} == {"t-maan", "t-huangtan"}
    assert set(PartRecord.objects.values_list("state", flat=True)) == {"cancelled"}


def test_a_joint_case_led_by_a_township_is_not_forwarded(joint, at_site):
    from county.catalogue.models import Item
    from county.catalogue.services import delegation_grant
    from sites.cases.transfer import case_forward

    # given a joint item delegated to 马鞍镇 to accept and decide: the township leads
    delegation_grant(
        item=Item.objects.get(code="test-joint-001"), site=joint["t-maan"], mode="decide"
    )
    at_site("t-maan")
    clerk = person(joint["t-maan"], Role.CLERK, "镇")
    case = joint_case(by=clerk)
    assert {p.lead_site.code for p in Part.objects.filter(case=case)} == {"t-maan"}
    # when it would be forwarded up, it is refused: the lead countersigns
    with pytest.raises(ValidationError) as err:
        case_forward(case=case, by=clerk)
    assert "由牵头站点会签办结" in err.value.message_dict["case"][0]


def test_an_opinion_from_a_hall_that_never_had_the_part_is_refused(lead_clerk):
    case = joint_case(by=lead_clerk, assignments=SPREAD)
    hbj = parts(case)["hbj"]
    with pytest.raises(LateOpinion, match="t-huangtan 不是联办环节"):
        part_opinion_receive(
            origin="t-huangtan",
            payload={
                "key": hbj.key,
                "generation": 1,
                "opinion": "agree",
                "reasons": "",
                "materials": [],
                "answered_at": timezone.now().isoformat(),
                "answered_by": "冒充",
            },
        )


def test_the_timeline_masks_the_applicant_of_each_part(lead_clerk):
    # given a joint case accepted at the lead window
    case = joint_case(by=lead_clerk, assignments=SPREAD)
    # then the parts_opened event carries the name masked, as the case detail shows it
    opened = case.events.get(type=EventType.PARTS_OPENED)
    names = {p["applicant_name"] for p in opened.data["parts"]}
    assert names == {"李*"}, names
    # while the part's own hall receives the full name it reviews
    assert {m["payload"]["applicant_name"] for m in sent("joint.part.assign")} == {"李四"}
