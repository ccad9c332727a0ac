"""Case factories with traits for states: submitted, accepted, suspended, overdue, concluded..."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from sites.cases import services
from sites.cases.models import Case
from sites.registry.models import Staff

# A valid 18-digit resident ID (checksum OK) and a mobile number.
ID_NUMBER = "11010519491231002X"
PHONE = "13812345678"
# mzj-002 临时救助: promised 7 of legal 15 working days; 困难情况证明材料 deferrable (3 days).
ITEM = "mzj-002"
ALL_MATERIALS = ["申请人身份证", "临时救助申请书", "困难情况证明材料"]


def clerk(site, name="张三"):
    user = get_user_model().objects.create_user(
        username=f"{site.code}-{name}-{get_user_model().objects.count()}"
    )
    Staff.objects.create(user=user, name=name, site=site)
    return user


def at(days_ago: float = 0, hour: int = 10) -> datetime:
    """A moment `days_ago` days before now, at a working hour (local time)."""
    now = timezone.localtime() - timedelta(days=days_ago)
    return now.replace(hour=hour, minute=0, second=0, microsecond=0) if days_ago else now


def case_make(
    *,
    by,
    state: str = "submitted",
    item: str = ITEM,
    materials: list[str] | None = None,
    when: datetime | None = None,
) -> Case:
    """A case at this node in the given state (trait): submitted, accepted, suspended,
    concluded, returned, refused, withdrawn, forwarded."""
    case = services.case_submit(
        by=by,
        item_code=item,
        applicant_name="李四",
        applicant_id_number=ID_NUMBER,
        applicant_phone=PHONE,
        materials=ALL_MATERIALS if materials is None else materials,
        at=when,
    )
    if state == "submitted":
        return case
    if state == "refused":
        return services.case_refuse(case=case, by=by, reasons="不属于救助范围", at=when)
    if state == "returned":
        return services.case_return(case=case, by=by, reason="政策不允许", at=when)
    if state == "withdrawn":
        return services.case_withdraw(case=case, by=by, reason="申请人撤回", at=when)
    services.case_accept(case=case, by=by, at=when)
    case.refresh_from_db()
    if state == "accepted":
        return case
    if state == "suspended":
        return services.case_supplement_request(case=case, by=by, items=["户籍证明"], at=when)
    if state == "concluded":
        return services.case_decide(case=case, by=signer(case, by), outcome="approved", at=when)
    if state == "forwarded":
        from sites.cases.transfer import case_forward

        return case_forward(case=case, by=by, at=when)
    raise ValueError(state)


def signer(case, by):
    """Who signs the decision: `by`, or the hall's 首席代表 when `by` is a clerk without
    the signature (seed 001 第十五条)."""
    from django.core.exceptions import ValidationError

    from permissions.roles import Role
    from sites.cases.rules import signer_check
    from sites.registry.selectors import site_current
    from tests.permissions.factories import staff

    here = site_current()
    try:
        signer_check(case=case, here=here, by=by)
    except ValidationError:
        return staff(here, Role.CHIEF_REPRESENTATIVE)
    return by


def catalogue_backdate(days: int = 400) -> None:
    """The catalogue as if published and delegated `days` ago: tests back-date cases, and no
    case may be filed before its item version and its delegation existed."""
    from county.catalogue.models import Delegation, ItemVersion

    long_ago = timezone.now() - timedelta(days=days)
    ItemVersion.objects.update(created_at=long_ago)
    Delegation.objects.update(granted_at=long_ago)
