"""Every (action, status) pair of the lifecycle table, through the services and the API.

Given a case in each status at the township that decides the item, when each action runs,
then it succeeds exactly where `lifecycle.ACTIONS` allows it, and is refused with a
"status" error (400 through the API) everywhere else.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from sites.cases import lifecycle, services, transfer
from sites.cases.models import Case, CaseStatus
from tests.cases.factories import ID_NUMBER, PHONE, clerk
from tests.cases.test_api import client_for

pytestmark = pytest.mark.django_db

DEFERRED = "困难情况证明材料"  # mzj-002: may be supplied later (容缺)

# action -> (service call, API url name, API body)
CALLS = {
    "accept": (lambda c, u: services.case_accept(case=c, by=u), "case-accept", {}),
    "refuse": (
        lambda c, u: services.case_refuse(case=c, by=u, reasons="不属于救助范围"),
        "case-refuse",
        {"reasons": "不属于救助范围"},
    ),
    "supplement": (
        lambda c, u: services.case_supplement_request(case=c, by=u, items=["户籍证明"]),
        "case-supplement",
        {"items": ["户籍证明"]},
    ),
    "supplement_complete": (
        lambda c, u: services.case_supplement_complete(case=c, by=u),
        "case-supplement-complete",
        {},
    ),
    "materials": (
        lambda c, u: services.case_materials_supply(case=c, by=u, names=[DEFERRED]),
        "case-materials",
        {"names": [DEFERRED]},
    ),
    "extend": (
        lambda c, u: services.case_extend(case=c, by=u, days=2, reason="现场核查"),
        "case-extend",
        {"days": 2, "reason": "现场核查"},
    ),
    "decide": (
        lambda c, u: services.case_decide(case=c, by=u, outcome="denied"),
        "case-decide",
        {"outcome": "denied"},
    ),
    "return": (
        lambda c, u: services.case_return(case=c, by=u, reason="政策不允许"),
        "case-return",
        {"reason": "政策不允许"},
    ),
    "withdraw": (
        lambda c, u: services.case_withdraw(case=c, by=u, reason="申请人撤回"),
        "case-withdraw",
        {"reason": "申请人撤回"},
    ),
    "forward": (lambda c, u: transfer.case_forward(case=c, by=u), "case-forward", {}),
    "hand_back": (lambda c, u: transfer.case_hand_back(case=c, by=u), "case-hand-back", {}),
}
# Allowed by the table but refused for another, named reason in this set-up.
OTHER_REASON = {"hand_back": ("case", "无处退回")}  # the case was filed here, not forwarded


def case_in(status: str, user) -> Case:
    case = services.case_submit(
        by=user,
        item_code="mzj-002",
        applicant_name="李四",
        applicant_id_number=ID_NUMBER,
        applicant_phone=PHONE,
        materials=["申请人身份证", "临时救助申请书"],
    )
    if status == CaseStatus.SUBMITTED:
        return case
    ends = {
        CaseStatus.REFUSED: lambda: services.case_refuse(case=case, by=user, reasons="不符合"),
        CaseStatus.RETURNED: lambda: services.case_return(case=case, by=user, reason="政策"),
        CaseStatus.WITHDRAWN: lambda: services.case_withdraw(case=case, by=user, reason="撤回"),
    }
    if status in ends:
        return ends[status]()
    services.case_accept(case=case, by=user)
    case.refresh_from_db()
    if status == CaseStatus.SUSPENDED:
        return services.case_supplement_request(case=case, by=user, items=["户籍证明"])
    if status == CaseStatus.CONCLUDED:
        return services.case_decide(case=case, by=user, outcome="denied")
    assert status == CaseStatus.ACCEPTED
    return case


PAIRS = [(a, st) for a in CALLS for st in CaseStatus.values]


def test_the_table_covers_every_action_of_the_issue():
    expected = {
        "submit",
        "accept",
        "refuse",
        "supplement",
        "supplement_complete",
        "materials",
        "extend",
        "decide",
        "return",
        "withdraw",
        "forward",
        "hand_back",
        "parts_open",
        "countersign",
        "reassign",
    }
    assert expected <= set(lifecycle.ACTIONS)
    for act in lifecycle.ACTIONS.values():
        assert act.sources <= set(CaseStatus.values)
        assert act.target is None or act.target in CaseStatus.values


@pytest.mark.parametrize(("action", "status"), PAIRS)
def test_service_allows_exactly_what_the_table_says(township, action, status):
    user = clerk(township)
    case = case_in(status, user)
    assert case.status == status
    call = CALLS[action][0]
    allowed = lifecycle.ACTIONS[action].allows(status)
    if not allowed:
        with pytest.raises(ValidationError) as refused:
            call(case, user)
        assert "status" in refused.value.message_dict
        assert Case.objects.get(pk=case.pk).status == status  # nothing written
        return
    if action in OTHER_REASON:
        field, words = OTHER_REASON[action]
        with pytest.raises(ValidationError) as refused:
            call(case, user)
        assert words in " ".join(refused.value.message_dict[field])
        return
    before = case.seq
    call(case, user)
    after = Case.objects.get(pk=case.pk)
    assert after.seq > before  # an event was recorded
    target = lifecycle.ACTIONS[action].target
    if target is not None:
        assert after.status == target


@pytest.mark.parametrize(("action", "status"), PAIRS)
def test_api_allows_exactly_what_the_table_says(township, action, status):
    from permissions.roles import Role

    api, user = client_for(township, Role.CHIEF_REPRESENTATIVE)  # signs (seed 001 第十五条)
    case = case_in(status, user)
    _, name, body = CALLS[action]
    response = api.post(reverse(name, kwargs={"number": case.number}), body, format="json")
    allowed = lifecycle.ACTIONS[action].allows(status) and action not in OTHER_REASON
    if allowed:
        assert 200 <= response.status_code < 300, response.json()
    else:
        assert response.status_code == 400, response.content
        field = "status" if not lifecycle.ACTIONS[action].allows(status) else "case"
        assert field in response.json(), response.json()


def test_a_case_owned_elsewhere_is_refused_before_its_status_is_read(township, halls, at_site):
    user = clerk(township)
    case = case_in(CaseStatus.ACCEPTED, user)
    at_site("t-huangtan")
    with pytest.raises(ValidationError) as refused:
        lifecycle.transition(case=case, action="decide")
    assert "case" in refused.value.message_dict


def test_actions_available_follow_the_table_and_the_hall(township):
    user = clerk(township)
    accepted = case_in(CaseStatus.ACCEPTED, user)
    names = {a.name for a in lifecycle.actions_available(case=accepted, here=township)}
    assert {"decide", "supplement", "extend", "forward", "withdraw", "return"} <= names
    assert not names & {"accept", "refuse", "hand_back", "countersign", "parts_open"}
    concluded = case_in(CaseStatus.CONCLUDED, user)
    assert lifecycle.actions_available(case=concluded, here=township) == []


def test_one_rule_decides_after_a_withdrawal(township, at_site):
    from county.catalogue.models import Delegation
    from county.catalogue.selectors import delegation_decides
    from county.catalogue.services import delegation_withdraw
    from county.rules.signatures import can_decide_item_here
    from permissions.roles import Role
    from permissions.services import staff_create

    # given a case accepted at the township, then the delegation withdrawn
    user = staff_create(
        username="t-maan-decider",
        name="王五",
        site=township,
        roles=[Role.CHIEF_REPRESENTATIVE],  # the 首席代表 signs (seed 001 第十五条)
        password=None,
    )
    before = case_in(CaseStatus.ACCEPTED, user)
    at_site("county")  # the county withdraws it; the township applies the release
    delegation_withdraw(
        delegation=Delegation.objects.get(item__code="mzj-002", site=township, withdrawn_at=None)
    )
    at_site("t-maan")
    item, kind = before.item_version.item, before.item_version.handling_type
    # then the case accepted before it runs to the end here ...
    assert delegation_decides(item=item, handling_type=kind, site=township, at=before.accepted_at)
    assert lifecycle.may_decide(before, township)
    services.case_decide(case=before, by=user, outcome="denied")
    # ... and a new case is not decided here; permissions asks the same rule and agrees
    assert not delegation_decides(item=item, handling_type=kind, site=township)
    assert not can_decide_item_here(user=user, item=item, site=township)
    assert can_decide_item_here(user=user, item=item, site=township, at=before.accepted_at)
