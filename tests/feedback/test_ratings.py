"""好差评: one rating per case; a bad one opens a follow-up whose clock counts working days
and costs points only once verified (查实): the window −10 when upheld (seed 000 第十三条(六)),
the clerk −2 when their fault (第二十一条(三)); an appeal reverses the deduction."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from county.assessment import feedback as assess
from county.assessment.models import PointEntry
from sites.feedback import services
from sites.feedback.models import Appeal, Channel, FollowUp, Rating

TZ = ZoneInfo("Asia/Shanghai")
EVE_OF_NATIONAL_DAY = datetime(2026, 9, 30, 15, tzinfo=TZ)  # 2026-10-01..07 off, 10-10 worked


def test_a_bad_rating_costs_nothing_until_verified_and_its_follow_up_skips_the_holiday(served, db):
    case, _, _ = served
    facts = services.case_facts(case)
    services.rating_give(
        facts=facts, level="dissatisfied", channel=Channel.WINDOW, at=EVE_OF_NATIONAL_DAY
    )
    rating = Rating.objects.get(case_number=case.number)
    assert rating.follow_up == FollowUp.OPEN
    # one working day after 30 September is 8 October (1–7 October are the holiday)
    assert rating.contact_due == date(2026, 10, 8)
    # fifteen working days: 10-8, 9, 10 (make-up Saturday), 12–16, 19–23, 26, 27
    assert rating.rectify_due == date(2026, 10, 27)
    assert not PointEntry.objects.exists()  # before issue 22: −2 the moment it arrived


def verified(served, **how):
    case, user, _ = served
    facts = services.case_facts(case)
    services.rating_give(facts=facts, level="dissatisfied", channel=Channel.WINDOW)
    rating = Rating.objects.get(case_number=case.number)
    return assess.rating_verify(rating=rating, note="回访核实", by=user, **how)


def test_a_verified_rating_costs_the_window_ten_and_the_clerk_two(served, db):
    """seed 000 第十三条(六) 「申请人不满意并经查证属实的…每次扣10分」 (the window) and
    第二十一条(三) 「经查实属窗口工作人员责任的,每件扣2分」 (the clerk)."""
    verified(served, upheld=True, staff_fault=True)
    entries = {
        (e.rule, e.points, e.staff.name if e.staff else None) for e in PointEntry.objects.all()
    }
    assert entries == {("dissatisfied_upheld", -10, None), ("dissatisfied", -2, "张三")}


def test_a_rating_not_upheld_costs_nothing_and_is_verified_once(served, db):
    rating = verified(served, upheld=False, staff_fault=False)
    assert rating.verified_at and not PointEntry.objects.exists()
    with pytest.raises(ValidationError):
        assess.rating_verify(rating=rating, upheld=True, staff_fault=True, note="x", by=None)
    assert not PointEntry.objects.exists()


def test_one_rating_per_case(served, db):
    case, _, _ = served
    facts = services.case_facts(case)
    services.rating_give(facts=facts, level="satisfied", channel=Channel.ONLINE)
    with pytest.raises(ValidationError):
        services.rating_give(facts=facts, level="very_dissatisfied", channel=Channel.ONLINE)
    assert Rating.objects.get().level == "satisfied"
    assert not PointEntry.objects.exists()


def test_follow_up_steps_in_order_and_an_upheld_appeal_reverses_the_deduction(served, db):
    case, user, _ = served
    services.rating_give(
        facts=services.case_facts(case), level="very_dissatisfied", channel=Channel.WINDOW
    )
    rating = Rating.objects.get()
    with pytest.raises(ValidationError):
        assess.rating_follow(rating=rating, step="reply", text="已答复", by=user)
    assess.rating_follow(rating=rating, step="contact", text="电话回访", by=user)
    assess.rating_verify(rating=rating, upheld=True, staff_fault=True, note="属实", by=user)
    assess.rating_appeal(rating=rating, reason="申请人误点", by=user)
    assess.rating_appeal_decide(rating=rating, upheld=True, decision="核实为误评", by=user)
    rating.refresh_from_db()
    assert rating.appeal == Appeal.UPHELD
    entries = PointEntry.objects.filter(window__number="3").order_by("id")
    assert [(e.points, e.source_type) for e in entries] == [
        (-10, "rating"),
        (-2, "rating"),
        (10, "reversal"),
        (2, "reversal"),
    ]
    assert entries[0].reversed_by == entries[2] and entries[1].reversed_by == entries[3]


def test_an_unrated_case_defaults_only_when_the_county_says_so(served, db):
    from county.rules.services import rule_set

    case, _, _ = served
    later = date(2027, 1, 20)
    assert assess.ratings_default(today=later) == 0
    rule_set(key="feedback.ratings", value={"default_on": True}, by=None)
    assert assess.ratings_default(today=later) == 1
    assert Rating.objects.get(case_number=case.number).get_level_display() == "基本满意"
    assert assess.ratings_default(today=later) == 0


def test_online_at_the_county_for_a_case_handled_at_a_township(served, db):
    """The county knows every hall's cases (read model): the rating goes to the department's
    window at the hall that decided the case."""
    from county.readmodel.models import CaseRecord
    from sites.cases.querycode import query_code_hash
    from sites.feedback.selectors import citizen_case_facts

    case, _, _ = served
    other = "t-maan-20261102-0009"
    CaseRecord.objects.filter(number=case.number).update(
        number=other,
        owner_site="t-maan",
        decided_site="t-maan",
        query_code_hash=query_code_hash(number=other, code="ABCD2345"),
    )
    assert citizen_case_facts(number=other, query_code="WRONG123") is None
    facts = citizen_case_facts(number=other, query_code="ABCD2345")
    assert facts.pop("concluded") is True
    services.rating_give(facts=facts, level="dissatisfied", channel=Channel.ONLINE)
    rating = Rating.objects.get(case_number=other)
    assess.rating_verify(rating=rating, upheld=True, staff_fault=False, note="属实", by=None)
    entry = PointEntry.objects.get(source_id=other)
    assert (entry.window.site_code, entry.window.number) == (
        "t-maan",
        f"部门{facts['department_code']}",
    )
