"""送达: how the result of a concluded case (办结) reaches the applicant.

One row per case, created when the case is concluded at this hall (sites.delivery.receivers).
The pickup code is printed on the decision notice (办结通知书/决定书) and asked at the window
together with the collector's ID number; ID numbers are kept only masked (the authorised
agent's also as a keyed hash, to compare at collection).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class Method(models.TextChoices):
    WINDOW = "window", "窗口领取"
    POST = "post", "邮寄送达"
    ELECTRONIC = "electronic", "电子送达"
    # Handed out by the department elsewhere: costs the department (seed 000 第十三条(四)).
    OUTSIDE = "outside", "未通过窗口取件"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "待领取"
    COLLECTED = "collected", "已领取"
    POSTED = "posted", "已寄出"


STATUS_LABELS = dict(DeliveryStatus.choices)
METHOD_LABELS = dict(Method.choices)


class Delivery(models.Model):
    case = models.OneToOneField(
        "cases.Case", models.CASCADE, related_name="delivery", verbose_name="办件"
    )
    site = models.ForeignKey(
        "registry.Site", models.PROTECT, related_name="+", verbose_name="送达站点"
    )
    # The department whose result it is (the case's item), never a window's first department.
    department = models.ForeignKey(
        "registry.Department", models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        "送达状态", max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    method = models.CharField("送达方式", max_length=12, choices=Method.choices, blank=True)
    pickup_code = models.CharField("取件码", max_length=6)
    ready_at = models.DateTimeField("可领取时间")
    collect_by = models.DateField("领取期限")
    reminders = models.PositiveSmallIntegerField("催领次数", default=0)
    reminded_on = models.DateField("最近催领日期", null=True, blank=True)
    downloaded_at = models.DateTimeField("电子结果首次下载时间", null=True, blank=True)

    agent_name = models.CharField("委托代领人", max_length=50, blank=True)
    agent_id_masked = models.CharField("代领人身份证号(遮蔽)", max_length=18, blank=True)
    agent_id_digest = models.CharField("代领人身份证号摘要", max_length=64, blank=True)

    collector_name = models.CharField("领取人", max_length=50, blank=True)
    collector_id_masked = models.CharField("领取人身份证号(遮蔽)", max_length=18, blank=True)
    collector_is_agent = models.BooleanField("委托代领", default=False)
    delivered_at = models.DateTimeField("送达时间", null=True, blank=True)
    delivered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    window = models.ForeignKey(
        "registry.Window", models.SET_NULL, null=True, blank=True, related_name="+"
    )

    address = models.CharField("邮寄地址", max_length=200, blank=True)
    recipient_phone = models.CharField("收件电话", max_length=20, blank=True)
    carrier = models.CharField("寄递企业", max_length=40, blank=True)
    tracking_number = models.CharField("运单号", max_length=40, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "送达"
        verbose_name_plural = "送达"
        ordering = ["collect_by", "id"]
        indexes = [
            models.Index(
                fields=["site", "collect_by"],
                condition=Q(status="pending"),
                name="delivery_pending_due",
            ),
            models.Index(fields=["site", "delivered_at"], name="delivery_site_delivered"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_status_display()}"

    def get_status_display(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    def get_method_display(self) -> str:
        return METHOD_LABELS.get(self.method, self.method)


class DeliveryRecord(models.Model):
    """The county's copy of every hall's delivery (from `delivery.changed`): the citizen's
    query and the statistics per hall and month read it. Empty at the other halls."""

    number = models.CharField("办件编号", max_length=64, unique=True)
    site_code = models.CharField("送达站点", max_length=40)
    site_name = models.CharField("送达站点名称", max_length=100, blank=True)
    department_code = models.CharField("部门编码", max_length=40, blank=True)
    status = models.CharField("送达状态", max_length=10, choices=DeliveryStatus.choices)
    method = models.CharField("送达方式", max_length=12, choices=Method.choices, blank=True)
    ready_at = models.DateTimeField("可领取时间")
    collect_by = models.DateField("领取期限")
    delivered_at = models.DateTimeField("送达时间", null=True, blank=True)

    class Meta:
        verbose_name = "送达记录(县级汇总)"
        verbose_name_plural = "送达记录(县级汇总)"
        indexes = [models.Index(fields=["site_code", "ready_at"], name="delivery_record_site")]

    def __str__(self) -> str:
        return f"{self.number} {self.get_status_display()}"

    def get_status_display(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)
