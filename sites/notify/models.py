"""The outbox of notifications and the demo gateway's log (短信记录).

A `Notification` row is written in the transaction of the change that causes it; the
worker (sites/notify/worker.py) sends it. `key` is the idempotency key the gateway call
carries: a retry after a crash repeats the key, so the gateway delivers once.
"""

from django.db import models


class Status(models.TextChoices):
    PENDING = "pending", "待发送"
    SENDING = "sending", "发送中"
    SENT = "sent", "已发送"
    FAILED = "failed", "发送失败"


class Notification(models.Model):
    key = models.CharField("幂等键", max_length=120, unique=True)
    site = models.ForeignKey(
        "registry.Site", models.PROTECT, related_name="+", verbose_name="发送站点"
    )
    case = models.ForeignKey(
        "cases.Case",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name="办件",
    )
    case_number = models.CharField("办件编号", max_length=64, blank=True)
    kind = models.CharField("类型", max_length=32)
    phone = models.CharField("手机号", max_length=20)
    text = models.CharField("内容", max_length=500)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField("已尝试次数", default=0)
    next_try_at = models.DateTimeField("下次发送时间")
    last_error = models.CharField("最近错误", max_length=200, blank=True)
    created_at = models.DateTimeField("生成时间")
    done_at = models.DateTimeField("完成时间", null=True, blank=True)  # sent or finally failed

    class Meta:
        verbose_name = "短信通知"
        verbose_name_plural = "短信通知"
        indexes = [
            models.Index(fields=["status", "next_try_at"], name="notify_due"),
            models.Index(fields=["site", "created_at"], name="notify_site_time"),
        ]

    def __str__(self) -> str:
        return self.key


class SmsRecord(models.Model):
    """What the demo gateway 'sent': one row per idempotency key (the 短信记录 page)."""

    key = models.CharField("幂等键", max_length=120, unique=True)
    site = models.ForeignKey("registry.Site", models.PROTECT, related_name="+", verbose_name="站点")
    phone = models.CharField("手机号", max_length=20)
    text = models.CharField("内容", max_length=500)
    at = models.DateTimeField("发送时间")

    class Meta:
        verbose_name = "短信记录"
        verbose_name_plural = "短信记录"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return self.key


class NotifyReport(models.Model):
    """At the county: each hall's notifications' final outcomes (e-supervision, figures)."""

    site = models.CharField("站点", max_length=40)
    key = models.CharField("幂等键", max_length=120)
    case_number = models.CharField("办件编号", max_length=64, blank=True)
    kind = models.CharField("类型", max_length=32)
    status = models.CharField("状态", max_length=10, choices=Status.choices)
    attempts = models.PositiveSmallIntegerField("发送次数", default=0)
    error = models.CharField("最近错误", max_length=200, blank=True)
    created_at = models.DateTimeField("生成时间")
    done_at = models.DateTimeField("完成时间")

    class Meta:
        verbose_name = "短信发送结果"
        verbose_name_plural = "短信发送结果"
        constraints = [
            models.UniqueConstraint(fields=["site", "key"], name="notify_report_site_key"),
        ]
        indexes = [models.Index(fields=["status", "done_at"], name="notify_report_status")]

    def __str__(self) -> str:
        return f"{self.site} {self.key}"
