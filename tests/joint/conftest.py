"""Joint approvals: a joint item with three co-departments, staff, a case at the county."""

from __future__ import annotations

import json

import pytest

from permissions.roles import Role
from permissions.services import staff_create
from sync.models import OutboxMessage
from tests.cases.factories import ID_NUMBER, PHONE, at

# 联办件: 市场监管局 leads; 卫健局, 环保局, 自然资源局 give opinions (4 working days each).
JOINT_ITEM = "test-joint-001"
CO = ["hbj", "wjj", "zrzy"]
MATERIALS = ["申请书", "场所证明"]


def joint_item_create():
    from county.catalogue.services import item_create

    return item_create(
        code=JOINT_ITEM,
        department="scjg",
        name="餐饮服务联审",
        kind="licence",
        handling_type="joint",
        legal_limit_days=20,
        promised_limit_days=10,
        part_limit_days=4,
        legal_basis="《食品安全法》",
        materials=[{"name": m, "deferrable": False, "defer_days": 0} for m in MATERIALS],
        co_departments=CO,
    )


@pytest.fixture
def joint(halls, settings):
    """The county node with the joint item published."""
    from tests.cases.factories import catalogue_backdate

    settings.HALL_SITE = "county"
    joint_item_create()
    catalogue_backdate()
    return halls


def person(site, role, name="王五", username=None):
    return staff_create(
        username=username or f"{site.code}-{role}-{name}",
        name=name,
        site=site,
        roles=[role],
        password=None,
    )


@pytest.fixture
def lead_clerk(joint):
    return person(joint["county"], Role.CLERK, "牵头")


@pytest.fixture
def lead_chief(joint):
    """The lead window's 首席代表: signs the 会签 (seed 001 第十五条(三))."""
    return person(joint["county"], Role.CHIEF_REPRESENTATIVE, "牵头首代")


@pytest.fixture
def supervisor(joint):
    return person(joint["county"], Role.COUNTY_SUPERVISOR, "监管")


def joint_case(*, by, assignments=None, when=None):
    """A joint case submitted and accepted at the county (the lead): parts opened."""
    from sites.cases import services

    case = services.case_submit(
        by=by,
        item_code=JOINT_ITEM,
        applicant_name="李四",
        applicant_id_number=ID_NUMBER,
        applicant_phone=PHONE,
        materials=MATERIALS,
        at=when,
    )
    services.case_accept(case=case, by=by, at=when, assignments=assignments)
    case.refresh_from_db()
    return case


def sent(type_: str, dest: str | None = None) -> list[dict]:
    qs = OutboxMessage.objects.filter(type=type_).order_by("id")
    if dest:
        qs = qs.filter(dest=dest)
    return [json.loads(m.body) for m in qs]


__all__ = ["at"]
