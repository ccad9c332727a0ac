"""Writes to the catalogue. Only the county authors it; other halls receive releases.

Every write runs in `catalogue_change()` (county only; it cuts the release in the same
transaction) and is refused without the catalogue permission (`by=None` is the system
itself: the sample loader, set-up). Every write validates first and names the offending
field, so a form, the REST API and the sample loader all get the same clear refusal.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from county.catalogue.carried import AUTHORED_FIELDS
from county.catalogue.models import (
    Delegation,
    DelegationMode,
    HandlingType,
    Item,
    ItemKind,
    ItemVersion,
)
from county.catalogue.release import catalogue_change, catalogue_changed
from permissions.access import has_site_perm
from permissions.roles import SitePerm
from sites.registry.models import Department, Site, Tier
from sites.registry.tier import here

VERSION_FIELDS = AUTHORED_FIELDS  # the rules an author sets (county.catalogue.carried)
NOT_ALLOWED = "无权维护事项目录。"


def catalogue_may_write(*, user) -> bool:
    """Whether `user` may author the catalogue here: only at the county, with the catalogue
    permission there (a superuser holds every permission, as everywhere in Django)."""
    if not here().authors_catalogue or user is None or not user.is_active:
        return False
    if user.is_superuser:
        return True
    county = Site.objects.filter(code=settings.HALL_SITE).first()
    return county is not None and has_site_perm(
        user=user, site=county, perm=SitePerm.MANAGE_CATALOGUE
    )


def catalogue_write_check(*, by) -> None:
    """Refuse a catalogue write without the permission. `by=None` is the system itself
    (set-up, the sample loader); `catalogue_change` has refused any hall but the county."""
    if by is not None and not catalogue_may_write(user=by):
        raise PermissionDenied(NOT_ALLOWED)


def _department(code_or_obj: str | Department, field: str) -> Department:
    if isinstance(code_or_obj, Department):
        return code_or_obj
    found = Department.objects.filter(code=code_or_obj).first()
    if found is None:
        raise ValidationError({field: f"未知部门：{code_or_obj}。"})
    return found


def _check_materials(materials: Any) -> list[dict]:
    if not isinstance(materials, list):
        raise ValidationError({"materials": "申报材料必须是列表。"})
    clean, seen = [], set()
    for index, row in enumerate(materials, start=1):
        name = (row.get("name") or "").strip() if isinstance(row, dict) else ""
        if not name:
            raise ValidationError({"materials": f"第{index}项材料缺少名称。"})
        if name in seen:
            raise ValidationError({"materials": f"材料“{name}”重复。"})
        seen.add(name)
        deferrable = bool(row.get("deferrable", False))
        defer_days = row.get("defer_days", 0) or 0
        if not isinstance(defer_days, int) or defer_days < 0:
            raise ValidationError({"materials": f"材料“{name}”的补交期限必须是非负整数。"})
        if deferrable and defer_days == 0:
            raise ValidationError({"materials": f"容缺材料“{name}”需要补交期限(工作日)。"})
        clean.append({"name": name, "deferrable": deferrable, "defer_days": defer_days})
    return clean


def check_version_fields(fields: dict[str, Any], co_departments: list[Department]) -> dict:
    """Validate the rules of an item version; returns the cleaned fields."""
    unknown = set(fields) - set(VERSION_FIELDS)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: "不是事项版本的字段。"})
    data = dict(fields)
    for name in ("name", "legal_basis"):
        if not str(data.get(name) or "").strip():
            raise ValidationError({name: "此项必填。"})
    if data.get("kind") not in ItemKind.values:
        raise ValidationError({"kind": f"事项类型必须是：{'、'.join(ItemKind.labels)}。"})
    if data.get("handling_type") not in HandlingType.values:
        raise ValidationError(
            {"handling_type": f"办件类型必须是：{'、'.join(HandlingType.labels)}。"}
        )
    for name in ("legal_limit_days", "promised_limit_days"):
        value = data.get(name)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ValidationError({name: "时限必须是非负整数(工作日)。"})
    if data["promised_limit_days"] > data["legal_limit_days"]:
        raise ValidationError({"promised_limit_days": "承诺时限不得超过法定时限。"})
    if data["handling_type"] == HandlingType.INSTANT and data["promised_limit_days"] != 0:
        raise ValidationError({"promised_limit_days": "即办件当场或当日办结，承诺时限应为0。"})
    part = data.get("part_limit_days")
    if data["handling_type"] == HandlingType.JOINT:
        if not co_departments:
            raise ValidationError({"co_departments": "联办件至少需要一个协办部门。"})
        if part is None or part < 1 or part > data["promised_limit_days"]:
            raise ValidationError({"part_limit_days": "联办部门时限应在1到承诺时限之间。"})
    elif co_departments or part is not None:
        raise ValidationError({"co_departments": "只有联办件才设协办部门和联办时限。"})
    data["materials"] = _check_materials(data.get("materials", []))
    return data


@catalogue_change()
def item_create(
    *,
    code: str,
    department: str | Department,
    co_departments=(),
    by=None,
    change_note: str = "",
    **fields: Any,
) -> ItemVersion:
    """A new item and its version 1."""
    catalogue_write_check(by=by)
    code = (code or "").strip()
    if not code:
        raise ValidationError({"code": "事项编码必填。"})
    if Item.objects.filter(code=code).exists():
        raise ValidationError({"code": f"事项编码 {code} 已存在。"})
    dept = _department(department, "department")
    item = Item.objects.create(code=code, department=dept)
    return _version_publish(
        item=item,
        department=dept,
        co_departments=co_departments,
        by=by,
        change_note=change_note or "首次发布",
        fields=fields,
    )


@catalogue_change()
def item_revise(
    *,
    item: Item,
    by=None,
    change_note: str = "",
    co_departments=None,
    department: str | Department | None = None,
    **changes: Any,
) -> ItemVersion:
    """A new version: the latest one with `changes` applied. Old versions stay as they were."""
    catalogue_write_check(by=by)
    item = Item.objects.select_for_update().get(pk=item.pk)
    latest = item.versions.get(number=item.current_version)
    fields = {name: getattr(latest, name) for name in VERSION_FIELDS}
    fields.update(changes)
    if co_departments is None:
        co_departments = list(latest.co_departments.all())
    dept = _department(department, "department") if department else latest.department
    return _version_publish(
        item=item,
        department=dept,
        co_departments=co_departments,
        by=by,
        change_note=change_note,
        fields=fields,
    )


def _version_publish(*, item, department, co_departments, by, change_note, fields):
    co = [_department(d, "co_departments") for d in co_departments]
    data = check_version_fields(fields, co)
    number = item.current_version + 1
    version = ItemVersion.objects.create(
        item=item,
        number=number,
        department=department,
        created_by=by,
        change_note=change_note,
        **data,
    )
    version.co_departments.set(co)
    if item.department_id != department.pk:
        item.department = department
    item.current_version = number
    item.save(update_fields=["current_version", "department"])
    catalogue_changed()
    return version


def delegation_check(*, item: Item, site: Site, mode: str) -> None:
    """Refuse a delegation the rules do not allow, naming the field."""
    if site.tier == Tier.COUNTY:
        raise ValidationError({"site": "事项只能下放到乡镇或村(社区)，不能下放到县政务服务中心。"})
    if mode not in DelegationMode.values:
        raise ValidationError({"mode": f"下放方式必须是：{'、'.join(DelegationMode.labels)}。"})
    latest = item.versions.get(number=item.current_version)
    if latest.handling_type == HandlingType.ESCALATED and mode == DelegationMode.DECIDE:
        raise ValidationError({"mode": "上报件须由上级决定，只能代收代办。"})
    if Delegation.objects.filter(item=item, site=site, withdrawn_at__isnull=True).exists():
        raise ValidationError({"site": f"{item.code} 已下放到{site.name}。"})


@catalogue_change()
def delegation_grant(*, item: Item, site: Site, mode: str, note: str = "", by=None) -> Delegation:
    catalogue_write_check(by=by)
    delegation_check(item=item, site=site, mode=mode)
    try:
        with transaction.atomic():
            delegation = Delegation.objects.create(item=item, site=site, mode=mode, note=note)
    except IntegrityError as exc:
        raise ValidationError({"site": f"{item.code} 已下放到{site.name}。"}) from exc
    catalogue_changed()
    return delegation


@catalogue_change()
def delegation_withdraw(*, delegation: Delegation, at=None, by=None) -> Delegation:
    """Withdraw: no new acceptances there; cases already accepted run to the end."""
    catalogue_write_check(by=by)
    if delegation.withdrawn_at is not None:
        raise ValidationError({"delegation": "该下放已收回。"})
    delegation.withdrawn_at = at or timezone.now()
    delegation.save(update_fields=["withdrawn_at"])
    catalogue_changed()
    return delegation
