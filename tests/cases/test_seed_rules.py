"""The seeds' case rules computed by hand: 补办件 deadline and notices (seed 001 第十条).

Dates are in November 2026 (no public holiday): Mon 2 … Fri 6, Mon 9 … Fri 13, Mon 16 ….
mzj-002 临时救助 is a 承诺件 of 7 working days (a public service, not a licence).
"""

from datetime import date, datetime

import pytest
from django.utils import timezone

from county.catalogue.models import ItemVersion
from county.rules.models import Rule
from sites.cases import services
from sites.cases.models import Case, CaseStatus
from sites.cases.notices import notice_render, notice_title
from tests.cases.factories import ALL_MATERIALS, ID_NUMBER, PHONE, clerk

pytestmark = pytest.mark.django_db


def on(day: int, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime(2026, 11, day, hour))


def submit(by, *, item="mzj-002", materials=ALL_MATERIALS, when, **over):
    return services.case_submit(
        by=by,
        item_code=item,
        applicant_name="李四",
        applicant_id_number=ID_NUMBER,
        applicant_phone=PHONE,
        materials=materials,
        at=when,
        **over,
    )


def supplemented(user):
    """Accepted Mon 2; 一次性告知 Thu 5 (3 working days used: Tue, Wed, Thu); complete Mon 9."""
    case = submit(user, when=on(2))
    services.case_accept(case=case, by=user, at=on(2))
    case.refresh_from_db()
    assert case.deadline == date(2026, 11, 11)  # 7 working days after Mon 2: Wed 11
    case = services.case_supplement_request(case=case, by=user, items=["户籍证明"], at=on(5))
    return services.case_supplement_complete(case=case, by=user, at=on(9))


def test_supplement_restarts_the_full_limit_on_the_day_materials_are_complete(township):
    """seed 001 第十条(五): 「补办件的办事时限从服务对象补齐材料之日起计算」 — the full 7 days
    count again from Mon 9: Tue 10 … Fri 13 (4), Mon 16, Tue 17, Wed 18 (7) → due Wed 18.
    (Pause-and-continue gave 3 used, 4 left from Mon 9 → Fri 13.)"""
    case = supplemented(clerk(township))
    assert case.status == CaseStatus.ACCEPTED
    assert case.deadline == date(2026, 11, 18)
    notice = notice_render(case=case, kind="supplement")
    assert "补办件通知书" in notice and "重新计算" in notice and "继续计算" not in notice


def test_supplement_may_be_switched_to_pause_and_continue(township):
    """seed 001 第十条(五) as a county rule (`cases.supplement`): switched to the national
    pause-and-continue practice, 3 days used before Thu 5, 4 left from Mon 9 → Fri 13."""
    Rule.objects.create(key="cases.supplement", value={"restart": False}, changed_at=on(1))
    case = supplemented(clerk(township))
    assert case.deadline == date(2026, 11, 13)
    assert "继续计算" in notice_render(case=case, kind="supplement")


def test_missing_materials_at_intake_is_recorded_as_a_supplement_case(township):
    """seed 001 第十条(五): a case with missing materials is a 补办件: the window states
    everything missing at once and fills in 《补办件通知书》; when complete it is handled as a
    承诺件 whose limit counts from that day: complete and accepted Tue 10 → 7 working days →
    Wed 11 … Fri 13 (3), Mon 16 … Thu 19 (7) → due Thu 19."""
    user = clerk(township)
    case = submit(user, materials=["申请人身份证"], when=on(4), as_supplement=True)
    assert case.status == CaseStatus.SUSPENDED
    assert case.supplement_items == ["临时救助申请书"]
    assert [m["name"] for m in case.materials_deferred] == ["困难情况证明材料"]  # 容缺 stays
    notice = notice_render(case=case, kind="supplement")
    assert "补办件通知书" in notice and "临时救助申请书" in notice and "原受理窗口" in notice
    case = services.case_supplement_complete(case=case, by=user, at=on(10))
    assert case.status == CaseStatus.SUBMITTED and case.accepted_at is None
    services.case_accept(case=case, by=user, at=on(10))
    case.refresh_from_db()
    assert case.deadline == date(2026, 11, 19)


def test_missing_required_materials_without_supplement_are_refused(township):
    """Without `as_supplement` nothing is recorded and the message offers the 补办件."""
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as info:
        submit(clerk(township), materials=["申请人身份证"], when=on(4))
    assert "补办件" in info.value.message_dict["materials"][0]
    assert Case.objects.count() == 0


@pytest.mark.parametrize(
    ("code", "title"),
    [
        ("mzj-005", "受理通知书"),  # 即办件
        ("mzj-002", "承诺件通知书"),
        ("scjg-003", "联办件通知书"),
        ("zrzy-003", "上报件通知书"),
    ],
)
def test_acceptance_notice_is_titled_by_case_type(halls, code, title):
    """seed 001 第十条(二)(三): 承诺件通知书 or 上报件通知书; 牵头窗口 fills in 联办件通知书."""
    version = ItemVersion.objects.filter(item__code=code).latest("number")
    assert notice_title(Case(item_version=version), "acceptance") == title


def test_decision_is_a_licence_decision_only_for_a_licence(township):
    """准予许可决定书 only for an 行政许可 (scjg-004 小餐饮登记); 临时救助 (a public
    service) concludes with an 办结通知书 (seed 001 第十条; 行政许可法 第三十八条)."""
    user = clerk(township)
    relief = submit(user, when=on(2))
    services.case_accept(case=relief, by=user, at=on(2))
    relief = services.case_decide(case=relief, by=user, outcome="approved", at=on(3))
    text = notice_render(case=relief, kind="decision")
    assert "办结通知书" in text and "许可" not in text
    licence = submit(
        user,
        item="scjg-004",
        materials=["小餐饮登记申请表", "经营者身份证", "健康证明"],
        when=on(2),
    )
    services.case_accept(case=licence, by=user, at=on(2))
    licence = services.case_decide(case=licence, by=user, outcome="denied", at=on(3))
    text = notice_render(case=licence, kind="decision")
    assert "不予许可决定书" in text and "@page" in text  # A4 print


def test_the_chief_representative_signs_the_decision(township):
    """seed 001 第十五条(一): the 首席代表 「代表本部门在中心行使行政审批事务职权」 and signs;
    a clerk prepares the decision (拟办) and passes it on; a department may authorise its
    clerks (rule `cases.signatures` scoped to "department:mzj"). Before issue 22 any clerk
    signed."""
    from django.core.exceptions import ValidationError

    from permissions.roles import Role
    from sites.cases.models import EventType
    from tests.permissions.factories import staff

    clerk_user = staff(township, Role.CLERK)
    chief = staff(township, Role.CHIEF_REPRESENTATIVE)
    case = submit(clerk_user, when=on(2))
    services.case_accept(case=case, by=clerk_user, at=on(2))
    with pytest.raises(ValidationError) as info:
        services.case_decide(case=case, by=clerk_user, outcome="approved", at=on(3))
    assert "首席代表" in info.value.message_dict["by"][0]
    services.case_decision_prepare(
        case=case, by=clerk_user, outcome="approved", opinion="符合条件", at=on(3)
    )
    assert case.events.filter(type=EventType.DECISION_PREPARED).exists()
    case = services.case_decide(case=case, by=chief, outcome="approved", at=on(4))
    assert case.status == CaseStatus.CONCLUDED
    # a department that authorises its clerks
    Rule.objects.create(
        key="cases.signatures",
        scope="department:mzj",
        value={"chief_signs": False},
        changed_at=on(1),
    )
    other = submit(clerk_user, when=on(5))
    services.case_accept(case=other, by=clerk_user, at=on(5))
    other = services.case_decide(case=other, by=clerk_user, outcome="approved", at=on(6))
    assert other.status == CaseStatus.CONCLUDED
