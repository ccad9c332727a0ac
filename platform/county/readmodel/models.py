"""The county's read model of every hall's cases, built only from case events (fan-in).

`CaseRecord` is the current state of each case; `CaseFact` is the timeline as received.
The records can be rebuilt at any time from the facts (readmodel_rebuild).
"""

from __future__ import annotations

from django.db import models


class CaseFact(models.Model):
    """One case event as a hall sent it (the payload keeps the case state after it)."""

    number = models.CharField("办件编号", max_length=64)
    seq = models.PositiveIntegerField("序号")
    type = models.CharField("事件", max_length=24)
    at = models.DateTimeField("时间")
    site_code = models.CharField("站点", max_length=40)
    actor = models.CharField("操作人", max_length=150, blank=True)
    payload = models.JSONField("内容")

    class Meta:
        verbose_name = "办件事件(全县)"
        verbose_name_plural = "办件事件(全县)"
        ordering = ["number", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["number", "seq"], name="readmodel_fact_unique")
        ]

    def __str__(self) -> str:
        return f"{self.number}#{self.seq} {self.type}"


class CaseRecord(models.Model):
    number = models.CharField("办件编号", max_length=64, unique=True)
    last_seq = models.PositiveIntegerField("最新序号", default=0)
    status = models.CharField("状态", max_length=12)
    outcome = models.CharField("办理结果", max_length=10, blank=True)
    owner_site = models.CharField("当前办理站点", max_length=40, db_index=True)
    origin_site = models.CharField("收件站点", max_length=40, db_index=True)
    decided_site = models.CharField("办结站点", max_length=40, blank=True, db_index=True)
    item_code = models.CharField("事项编码", max_length=40, db_index=True)
    item_name = models.CharField("事项名称", max_length=100)
    item_version = models.PositiveIntegerField("事项版本")
    handling_type = models.CharField("办件类型", max_length=10)
    legal_limit_days = models.PositiveSmallIntegerField("法定时限")
    promised_limit_days = models.PositiveSmallIntegerField("承诺时限")
    submitted_at = models.DateTimeField("收件时间")
    accepted_at = models.DateTimeField("受理时间", null=True, blank=True)
    concluded_at = models.DateTimeField("办结时间", null=True, blank=True)
    same_day = models.BooleanField("当日办结", default=False)
    deadline = models.DateField("办结期限", null=True, blank=True)
    deadline_provisional = models.BooleanField("期限为临时计算", default=False)
    clock_state = models.CharField("计时状态", max_length=12)
    days_used = models.SmallIntegerField("已用工作日", default=0)
    was_overdue = models.BooleanField("曾超时", default=False)
    query_code_hash = models.CharField("查询码摘要", max_length=64, blank=True)

    class Meta:
        verbose_name = "办件(全县)"
        verbose_name_plural = "办件(全县)"
        ordering = ["-submitted_at"]
        # Newest-first keyset pages across all halls (GraphQL `cases`).
        indexes = [models.Index(fields=["submitted_at", "id"], name="record_submitted_keyset")]

    def __str__(self) -> str:
        return self.number
