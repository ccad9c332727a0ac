"""The item catalogue (事项目录): items, their immutable numbered versions, delegations."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from sites.registry.models import Department, Site


class ItemKind(models.TextChoices):
    LICENCE = "licence", "行政许可"
    PUBLIC_SERVICE = "public_service", "公共服务"


class HandlingType(models.TextChoices):
    INSTANT = "instant", "即办件"
    PROMISED = "promised", "承诺件"
    JOINT = "joint", "联办件"
    ESCALATED = "escalated", "上报件"


class DelegationMode(models.TextChoices):
    DECIDE = "decide", "受理并办结"
    FORWARD = "forward", "代收代办(受理后上报)"


class Item(models.Model):
    """A service a hall offers. Its rules live in versions; a case keeps its version."""

    code = models.CharField("事项编码", max_length=40, unique=True)
    department = models.ForeignKey(
        Department, models.PROTECT, related_name="items", verbose_name="主管部门"
    )
    current_version = models.PositiveIntegerField("当前版本", default=0)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "事项"
        verbose_name_plural = "事项"
        ordering = ["code"]

    def __str__(self) -> str:
        latest = self.latest
        return f"{self.code} {latest.name}" if latest else self.code

    @property
    def latest(self) -> ItemVersion | None:
        return self.versions.filter(number=self.current_version).first()


class ItemVersion(models.Model):
    """One published state of an item. Never edited: a change is a new version."""

    item = models.ForeignKey(Item, models.PROTECT, related_name="versions", verbose_name="事项")
    number = models.PositiveIntegerField("版本号")
    name = models.CharField("事项名称", max_length=100)
    department = models.ForeignKey(
        Department, models.PROTECT, related_name="item_versions", verbose_name="主管部门"
    )
    kind = models.CharField("事项类型", max_length=20, choices=ItemKind.choices)
    handling_type = models.CharField("办件类型", max_length=10, choices=HandlingType.choices)
    legal_limit_days = models.PositiveSmallIntegerField("法定时限(工作日)")
    promised_limit_days = models.PositiveSmallIntegerField("承诺时限(工作日)")
    fees = models.CharField("收费标准", max_length=200, default="不收费")
    legal_basis = models.TextField("法定依据")
    content = models.TextField("办理内容", blank=True)
    procedure = models.TextField("办事程序", blank=True)
    # [{"name": "身份证复印件", "deferrable": false, "defer_days": 0}, ...]
    # deferrable: may be supplied later under 容缺受理 within defer_days working days.
    materials = models.JSONField("申报材料", default=list)
    co_departments = models.ManyToManyField(
        Department, blank=True, related_name="joint_item_versions", verbose_name="联办部门"
    )
    part_limit_days = models.PositiveSmallIntegerField(
        "联办部门时限(工作日)",
        null=True,
        blank=True,
        help_text="联办件各协办部门的办理时限，不得超过承诺时限。",
    )
    change_note = models.CharField("变更说明", max_length=200, blank=True)
    created_at = models.DateTimeField("发布时间", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="发布人",
    )

    class Meta:
        verbose_name = "事项版本"
        verbose_name_plural = "事项版本"
        ordering = ["item__code", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="item_version_number_unique"),
            models.CheckConstraint(
                condition=Q(promised_limit_days__lte=F("legal_limit_days")),
                name="item_version_promised_within_legal",
                violation_error_message="承诺时限不得超过法定时限。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}(第{self.number}版)"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None and not kwargs.pop("_allow_update", False):
            raise ValidationError("事项版本发布后不可修改，请发布新版本。")
        super().save(*args, **kwargs)

    @property
    def deferrable_materials(self) -> list[str]:
        return [m["name"] for m in self.materials if m.get("deferrable")]


class Delegation(models.Model):
    """An item granted by the county to a township or village hall (下放 / 委托 / 代收代办)."""

    # The same delegation at the county and at the hall that receives it (sync by uid).
    uid = models.UUIDField("标识", default=uuid.uuid4, unique=True, editable=False)
    item = models.ForeignKey(Item, models.PROTECT, related_name="delegations", verbose_name="事项")
    site = models.ForeignKey(Site, models.PROTECT, related_name="delegations", verbose_name="站点")
    mode = models.CharField("方式", max_length=10, choices=DelegationMode.choices)
    granted_at = models.DateTimeField("下放时间", auto_now_add=True)
    withdrawn_at = models.DateTimeField("收回时间", null=True, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "事项下放"
        verbose_name_plural = "事项下放"
        ordering = ["site__path", "item__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "site"],
                condition=Q(withdrawn_at__isnull=True),
                name="delegation_one_active_per_item_site",
                violation_error_message="该事项已下放到此站点。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.item.code} → {self.site.name}({self.get_mode_display()})"

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None
