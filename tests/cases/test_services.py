"""The lifecycle at one hall: every transition and every refusal (given / when / then)."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from county.catalogue.models import Delegation
from sites.cases import services, signals
from sites.cases.models import Case, CaseEvent, CaseStatus, ClockEntry, EventType
from sites.cases.querycode import query_code_matches
from tests.cases.factories import ALL_MATERIALS, ID_NUMBER, PHONE, at, case_make, clerk

pytestmark = pytest.mark.django_db


def submit(by, **over):
    args = dict(
        by=by,
        item_code="mzj-002",
        applicant_name="李四",
        applicant_id_number=ID_NUMBER,
        applicant_phone=PHONE,
        materials=ALL_MATERIALS,
    )
    args.update(over)
    return services.case_submit(**args)


def refused(field, call):
    with pytest.raises(ValidationError) as info:
        call()
    assert field in info.value.message_dict, info.value.message_dict
    return info.value.message_dict[field][0]


# ---------------------------------------------------------------- submit


def test_submit_numbers_by_site_and_day_and_records_who_where_when(township):
    # given a clerk at the township
    user = clerk(township)
    # when two cases are filed
    first, second = submit(user), submit(user)
    # then the numbers carry the site code, the date and a sequence
    day = timezone.localdate().strftime("%Y%m%d")
    assert first.number == f"t-maan-{day}-0001"
    assert second.number == f"t-maan-{day}-0002"
    event = first.events.get()
    assert (event.type, event.site, event.actor, event.actor_name) == (
        EventType.SUBMITTED,
        township,
        user,
        "张三",
    )
    assert first.owner_site == first.origin_site == township


def test_submit_with_deferred_material_records_its_due_date(township):
    user = clerk(township)
    case = submit(user, materials=["申请人身份证", "临时救助申请书"])
    assert [m["name"] for m in case.materials_deferred] == ["困难情况证明材料"]
    assert case.materials_deferred[0]["due"] > timezone.localdate().isoformat()


@pytest.mark.parametrize(
    ("over", "field", "words"),
    [
        ({"item_code": "nope-001"}, "item_code", "未知事项"),
        ({"item_code": "mzj-004"}, "item_code", "未下放"),
        ({"materials": ["申请人身份证"]}, "materials", "临时救助申请书"),
        ({"materials": [*ALL_MATERIALS, "结婚证"]}, "materials", "不是该事项"),
        ({"applicant_id_number": "110105194912310021"}, "applicant_id_number", "校验位"),
        ({"applicant_id_number": "11010519491331002X"}, "applicant_id_number", "出生日期"),
        ({"applicant_id_number": "1101051949"}, "applicant_id_number", "18位"),
        ({"applicant_phone": "12345"}, "applicant_phone", "手机号"),
        ({"applicant_name": " "}, "applicant_name", "姓名"),
        ({"at": timezone.now() + timezone.timedelta(days=1)}, "at", "晚于当前"),
    ],
)
def test_submit_refuses_bad_input_and_writes_nothing(township, over, field, words):
    user = clerk(township)
    message = refused(field, lambda: submit(user, **over))
    assert words in message
    assert Case.objects.count() == 0 and CaseEvent.objects.count() == 0


def test_submit_refuses_item_whose_delegation_was_withdrawn(township):
    user = clerk(township)
    Delegation.objects.filter(item__code="mzj-002", site=township).update(
        withdrawn_at=timezone.now()
    )
    assert "已收回" in refused("item_code", lambda: submit(user))


def test_county_accepts_its_own_items_without_delegation(halls, at_site):
    at_site("county")
    case = submit(
        clerk(halls["county"]),
        item_code="mzj-004",
        materials=["双方身份证", "双方户口簿", "近期半身免冠合影照片"],
    )
    assert case.number.startswith("county-")


# ---------------------------------------------------------------- accept / refuse


def test_accept_starts_the_clock_and_returns_a_code_kept_only_as_hash(township):
    user = clerk(township)
    case = submit(user)
    code = services.case_accept(case=case, by=user)
    case.refresh_from_db()
    assert case.status == CaseStatus.ACCEPTED and case.clerk == user
    assert code not in case.query_code_hash
    assert query_code_matches(number=case.number, code=code, stored=case.query_code_hash)
    assert not query_code_matches(number=case.number, code="WRONG123", stored=case.query_code_hash)
    budget = ClockEntry.objects.get(case=case)
    assert budget.days == 7 and case.deadline is not None and case.clock_state == "on_time"


def test_accept_sends_assignment_signal_inside_transaction(township):
    user = clerk(township)
    case = submit(user)
    seen = []
    handler = lambda **kw: seen.append(kw["new_clerk"])  # noqa: E731
    signals.case_assigned.connect(handler)
    try:
        services.case_accept(case=case, by=user)
    finally:
        signals.case_assigned.disconnect(handler)
    assert seen == [user]


def test_accept_after_withdrawal_is_refused_but_running_cases_run_on(township):
    user = clerk(township)
    running = case_make(by=user, state="accepted")
    waiting = submit(user)
    Delegation.objects.filter(item__code="mzj-002", site=township).update(
        withdrawn_at=timezone.now()
    )
    assert "收回" in refused("case", lambda: services.case_accept(case=waiting, by=user))
    decided = services.case_decide(case=running, by=user, outcome="approved")
    assert decided.status == CaseStatus.CONCLUDED


def test_accept_twice_is_refused(township):
    user = clerk(township)
    case = case_make(by=user, state="accepted")
    assert "已受理" in refused("status", lambda: services.case_accept(case=case, by=user))


def test_refuse_needs_reasons_and_closes_the_case(township):
    user = clerk(township)
    case = submit(user)
    assert "理由" in refused(
        "reasons", lambda: services.case_refuse(case=case, by=user, reasons="")
    )
    case = services.case_refuse(case=case, by=user, reasons="不符合条件")
    assert case.status == CaseStatus.REFUSED and case.closed_at is not None
    assert case.events.last().data == {"reasons": "不符合条件"}


# ---------------------------------------------------------------- supplement (补办件)


def test_supplement_stops_the_clock_until_complete(township):
    user = clerk(township)
    case = case_make(by=user, state="accepted")
    case = services.case_supplement_request(case=case, by=user, items=["户籍证明", "收入证明"])
    assert case.status == CaseStatus.SUSPENDED and case.clock_state == "suspended"
    assert case.deadline is None
    case = services.case_supplement_complete(case=case, by=user)
    assert case.status == CaseStatus.ACCEPTED and case.clock_state == "on_time"
    assert "户籍证明" in case.materials_received
    assert ClockEntry.objects.get(case=case, kind="suspension").end == timezone.localdate()


def test_second_supplement_may_not_add_items(township):
    user = clerk(township)
    case = case_make(by=user, state="accepted")
    services.case_supplement_request(case=case, by=user, items=["户籍证明"])
    services.case_supplement_complete(case=case, by=user)
    message = refused(
        "items",
        lambda: services.case_supplement_request(case=case, by=user, items=["户籍证明", "房产证"]),
    )
    assert "房产证" in message and "一次性告知" in message
    again = services.case_supplement_request(case=case, by=user, items=["户籍证明"])
    assert again.status == CaseStatus.SUSPENDED


def test_supplement_needs_items_and_an_accepted_case(township):
    user = clerk(township)
    case = case_make(by=user, state="accepted")
    refused("items", lambda: services.case_supplement_request(case=case, by=user, items=[]))
    submitted = submit(user)
    refused(
        "status", lambda: services.case_supplement_request(case=submitted, by=user, items=["x"])
    )
    refused("status", lambda: services.case_supplement_complete(case=case, by=user))


# ---------------------------------------------------------------- extend / decide


def test_extend_needs_a_reason_and_moves_the_deadline(township):
    user = clerk(township)
    case = case_make(by=user, state="accepted")
    before = case.deadline
    refused("reason", lambda: services.case_extend(case=case, by=user, days=3, reason=""))
    refused("days", lambda: services.case_extend(case=case, by=user, days=0, reason="现场核查"))
    case = services.case_extend(case=case, by=user, days=3, reason="需现场核查")
    assert case.deadline > before
    assert case.events.last().data == {"days": 3, "reason": "需现场核查"}


def test_decide_before_accept_is_refused(township):
    user = clerk(township)
    case = submit(user)
    message = refused(
        "status", lambda: services.case_decide(case=case, by=user, outcome="approved")
    )
    assert "尚未受理" in message


def test_decide_records_seal_time_and_stops_the_clock(township):
    user = clerk(township)
    case = case_make(by=user, state="accepted")
    sealed = timezone.now()
    case = services.case_decide(
        case=case, by=user, outcome="denied", opinion="不符合条件", at=sealed
    )
    assert case.status == CaseStatus.CONCLUDED and case.outcome == "denied"
    assert case.concluded_at == sealed and case.clock_state == "stopped"


def test_decide_refuses_bad_outcome_and_outstanding_deferred_material(township):
    user = clerk(township)
    case = case_make(by=user, state="accepted")
    refused("outcome", lambda: services.case_decide(case=case, by=user, outcome="maybe"))
    deferred = case_make(by=user, state="accepted", materials=["申请人身份证", "临时救助申请书"])
    assert "容缺" in refused(
        "outcome", lambda: services.case_decide(case=deferred, by=user, outcome="approved")
    )
    services.case_materials_supply(case=deferred, by=user, names=["困难情况证明材料"])
    deferred.refresh_from_db()
    assert services.case_decide(case=deferred, by=user, outcome="approved").outcome == "approved"


def test_village_may_not_decide_a_forward_only_item(village):
    user = clerk(village)
    case = case_make(by=user, state="accepted")
    assert "上报" in refused(
        "case", lambda: services.case_decide(case=case, by=user, outcome="approved")
    )


def test_instant_item_is_due_the_same_working_day(township):
    user = clerk(township)
    case = submit(user, item_code="rsj-001", materials=["申请人身份证", "户口簿"])
    services.case_accept(case=case, by=user)
    case.refresh_from_db()
    assert case.deadline >= timezone.localdate()
    assert case.days_left == 0 and case.clock_state in ("warning", "overdue")


def test_instant_item_not_decided_the_same_day_is_overdue(township):
    user = clerk(township)
    case = case_make(
        by=user, state="accepted", item="rsj-001", materials=["申请人身份证", "户口簿"], when=at(7)
    )
    assert case.clock_state == "overdue"


# ---------------------------------------------------------------- return / withdraw / owner


def test_return_and_withdraw(township):
    user = clerk(township)
    case = case_make(by=user, state="accepted")
    refused("reason", lambda: services.case_return(case=case, by=user, reason=""))
    case = services.case_return(case=case, by=user, reason="不符合政策", policy="《办法》第五条")
    assert case.status == CaseStatus.RETURNED
    refused("status", lambda: services.case_withdraw(case=case, by=user, reason="不办了"))
    other = case_make(by=user, state="suspended")
    assert services.case_withdraw(case=other, by=user, reason="申请人撤回").status == "withdrawn"


def test_actions_on_a_case_this_hall_does_not_own_are_refused(halls, at_site):
    at_site("t-maan")
    user = clerk(halls["t-maan"])
    case = case_make(by=user, state="accepted")
    at_site("t-huangtan")
    other = clerk(halls["t-huangtan"])
    for call in (
        lambda: services.case_decide(case=case, by=other, outcome="approved"),
        lambda: services.case_extend(case=case, by=other, days=1, reason="x"),
        lambda: services.case_supplement_request(case=case, by=other, items=["x"]),
        lambda: services.case_return(case=case, by=other, reason="x"),
        lambda: services.case_withdraw(case=case, by=other, reason="x"),
    ):
        assert "不由本站点办理" in refused("case", call)
    assert case.events.count() == 2


def test_every_transition_is_an_event_in_sequence(township):
    user = clerk(township)
    case = case_make(by=user, state="accepted")
    services.case_supplement_request(case=case, by=user, items=["户籍证明"])
    services.case_supplement_complete(case=case, by=user)
    services.case_extend(case=case, by=user, days=2, reason="核查")
    services.case_decide(case=case, by=user, outcome="approved")
    types = list(case.events.values_list("seq", "type"))
    assert types == [
        (1, "submitted"),
        (2, "accepted"),
        (3, "supplement_requested"),
        (4, "supplement_completed"),
        (5, "extended"),
        (6, "decided"),
    ]
