"""Sync state of one node: outbox, inbox, aggregate chains, held gaps, quarantine, releases."""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class OutboxMessage(models.Model):
    """A signed envelope waiting to be published (or published: `sent_at` is set on confirm).

    Written in the same transaction as the domain change; the relay publishes by `id` order.
    """

    msg_id = models.UUIDField("消息标识", unique=True)
    type = models.CharField("类型", max_length=60)
    dest = models.CharField("目的站点", max_length=40)
    aggregate = models.CharField("聚合", max_length=80, blank=True)
    seq = models.PositiveIntegerField("序号", default=0)
    routing_key = models.CharField("路由键", max_length=200)
    body = models.TextField("报文")
    created_at = models.DateTimeField("写入时间", auto_now_add=True)
    sent_at = models.DateTimeField("确认时间", null=True, blank=True)

    class Meta:
        verbose_name = "发件箱消息"
        verbose_name_plural = "发件箱消息"
        indexes = [
            # The relay's only query: unsent rows in id order. Partial, so it stays small.
            models.Index(fields=["id"], condition=Q(sent_at__isnull=True), name="outbox_unsent"),
        ]

    def __str__(self) -> str:
        return f"{self.type} → {self.dest} #{self.id}"


class InboxMessage(models.Model):
    """One applied (or deliberately dropped) message; the unique pair makes redelivery harmless."""

    origin = models.CharField("来源站点", max_length=40)
    msg_id = models.UUIDField("消息标识")
    type = models.CharField("类型", max_length=60)
    aggregate = models.CharField("聚合", max_length=80, blank=True)
    seq = models.PositiveIntegerField("序号", default=0)
    applied_at = models.DateTimeField("应用时间", auto_now_add=True)

    class Meta:
        verbose_name = "收件箱消息"
        verbose_name_plural = "收件箱消息"
        constraints = [
            models.UniqueConstraint(fields=["origin", "msg_id"], name="inbox_origin_id_unique")
        ]

    def __str__(self) -> str:
        return f"{self.origin}/{self.msg_id}"


class AggregateState(models.Model):
    """What this node knows of one aggregate (a case): owner and the last seq of its chain.

    `seen` maps site → the last seq of this aggregate that site has seen (sent to it or
    written by it); it travels with ownership so the next owner can tell each receiver
    which message came before (the envelope's `prev`).
    """

    key = models.CharField("聚合", max_length=80, primary_key=True)
    owner = models.CharField("所有站点", max_length=40)
    seq = models.PositiveIntegerField("最新序号", default=0)
    seen = models.JSONField("各站点已见序号", default=dict)

    class Meta:
        verbose_name = "聚合状态"
        verbose_name_plural = "聚合状态"

    def __str__(self) -> str:
        return f"{self.key}@{self.owner}#{self.seq}"


class HeldMessage(models.Model):
    """A message that arrived before its predecessor: kept until the gap fills."""

    aggregate = models.CharField("聚合", max_length=80)
    after = models.PositiveIntegerField("等待序号")
    origin = models.CharField("来源站点", max_length=40)
    msg_id = models.UUIDField("消息标识", unique=True)
    body = models.TextField("报文")
    held_at = models.DateTimeField("暂存时间", auto_now_add=True)

    class Meta:
        verbose_name = "暂存消息"
        verbose_name_plural = "暂存消息"
        indexes = [models.Index(fields=["aggregate", "after"], name="held_aggregate_after")]

    def __str__(self) -> str:
        return f"{self.aggregate} 等待 {self.after}"


class QuarantinedMessage(models.Model):
    """A message refused on receipt, with the reason; also dead-lettered on the broker."""

    digest = models.CharField("摘要", max_length=64, unique=True)
    reason = models.CharField("原因", max_length=200)
    origin = models.CharField("声称来源", max_length=40, blank=True)
    msg_id = models.CharField("声称标识", max_length=64, blank=True)
    type = models.CharField("声称类型", max_length=60, blank=True)
    # Bytes as received: a refused body may hold NUL or invalid UTF-8, which text cannot.
    body = models.BinaryField("报文(截断)")
    size = models.PositiveIntegerField("字节数")
    received_at = models.DateTimeField("接收时间", auto_now_add=True)

    class Meta:
        verbose_name = "隔离消息"
        verbose_name_plural = "隔离消息"
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.reason}: {self.msg_id}"


class OriginState(models.Model):
    """The last message applied from each origin (for sync status)."""

    origin = models.CharField("来源站点", max_length=40, primary_key=True)
    last_msg_id = models.UUIDField("最后消息")
    last_type = models.CharField("类型", max_length=60)
    last_at = models.DateTimeField("应用时间")
    applied = models.PositiveBigIntegerField("累计应用", default=0)

    class Meta:
        verbose_name = "来源同步状态"
        verbose_name_plural = "来源同步状态"

    def __str__(self) -> str:
        return self.origin


class CatalogueRelease(models.Model):
    """A numbered catalogue release cut at the county.

    `max_version_id` bounds the item versions it includes (versions are append-only, so a
    release from base B carries the versions with id in (B.max_version_id, max_version_id]).
    """

    number = models.PositiveIntegerField("版本号", unique=True)
    max_version_id = models.PositiveBigIntegerField("事项版本上界", default=0)
    fingerprint = models.CharField("目录指纹", max_length=64)
    calendar_fingerprint = models.CharField("日历指纹", max_length=64)
    created_at = models.DateTimeField("发布时间", auto_now_add=True)

    class Meta:
        verbose_name = "目录发布"
        verbose_name_plural = "目录发布"
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"目录第{self.number}版"


class SyncCounter(models.Model):
    """Small named values of this node (the applied catalogue release, resend requests)."""

    name = models.CharField("名称", max_length=40, primary_key=True)
    value = models.BigIntegerField("值", default=0)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "同步计数"
        verbose_name_plural = "同步计数"

    def __str__(self) -> str:
        return f"{self.name}={self.value}"
