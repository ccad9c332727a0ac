"""The 联办件's lead window, chosen by the centre per item (county rule `joint.lead`)."""

import pytest
from django.core.exceptions import ValidationError

from county.rules.services import rule_set
from permissions.roles import Role
from sites.cases import services
from sites.cases.models import EventType
from sites.cases.notices import notice_render
from sites.joint.models import Part
from sites.registry.models import Department
from sites.registry.services import window_open
from tests.cases.factories import ID_NUMBER, PHONE
from tests.joint.conftest import JOINT_ITEM, MATERIALS, person

pytestmark = pytest.mark.django_db


def accepted(*, by, window):
    case = services.case_submit(
        by=by,
        item_code=JOINT_ITEM,
        applicant_name="李四",
        applicant_id_number=ID_NUMBER,
        applicant_phone=PHONE,
        materials=MATERIALS,
        window=window,
    )
    services.case_accept(case=case, by=by)
    case.refresh_from_db()
    return case


def test_the_centre_chooses_the_lead_window_per_item(joint, lead_clerk):
    """seed 001 第十条(三): 「对联办件由中心根据其性质确定牵头窗口,牵头窗口受理办件后应立即
    通知有关部门实行联审联批」; 「牵头窗口必须填写《联办件通知书》交服务对象」.

    By hand: 餐饮服务联审 belongs to 市场监管局 (scjg) with 环保局, 卫健局, 自然资源局.
    Default (nothing set): the accepting window leads — 5号窗口 (市场监管), parts hbj, wjj,
    zrzy. The county sets item:test-joint-001 → 卫健局 (wjj): the case accepted at 5号窗口
    is led by 卫健局's 7号窗口, and 市场监管局 now gives an opinion like the others: parts
    hbj, scjg, zrzy; the 《联办件通知书》 names 7号窗口. Before issue 22 the accepting
    window always led and the item's rule did not exist."""
    county = joint["county"]
    scjg = window_open(
        site=county, department=Department.objects.get(code="scjg"), number="5", name="市场监管窗口"
    )
    window_open(
        site=county, department=Department.objects.get(code="wjj"), number="7", name="卫健窗口"
    )
    first = accepted(by=lead_clerk, window=scjg)
    assert sorted(Part.objects.filter(case=first).values_list("department__code", flat=True)) == [
        "hbj",
        "wjj",
        "zrzy",
    ]
    assert first.window.number == "5"
    assert "5号窗口（市场监管窗口）" in notice_render(case=first, kind="acceptance")

    keeper = person(county, Role.CATALOGUE_ADMIN, "目录")
    with pytest.raises(ValidationError):
        rule_set(
            key="joint.lead", scope=f"item:{JOINT_ITEM}", value={"department": "nope"}, by=keeper
        )
    rule_set(key="joint.lead", scope=f"item:{JOINT_ITEM}", value={"department": "wjj"}, by=keeper)
    second = accepted(by=lead_clerk, window=scjg)
    parts = Part.objects.filter(case=second).values_list("department__code", flat=True)
    assert sorted(parts) == ["hbj", "scjg", "zrzy"]
    assert second.window.number == "7"
    opened = second.events.get(type=EventType.PARTS_OPENED)
    assert opened.data["lead"] == {"department": "wjj", "window": "7"}
    text = notice_render(case=second, kind="acceptance")
    assert "联办件通知书" in text and "7号窗口（卫健窗口）" in text
