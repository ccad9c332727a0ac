"""Appointments (预约) and queue tickets (排队取号) of one hall.

Times are stored in UTC; a hall's day (`day`) is the Beijing calendar date, so a day's
numbers restart at the hall's opening and nothing happens at UTC midnight (08:00 Beijing).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class AppointmentSlot(models.Model):
    """One bookable period of a department at a hall; `booked` never exceeds `capacity`
    (a conditional UPDATE books, a CHECK constraint backs it)."""

    site = models.ForeignKey("registry.Site", models.PROTECT, related_name="+", verbose_name="站点")
    department = models.ForeignKey(
        "registry.Department", models.PROTECT, related_name="+", verbose_name="部门"
    )
    day = models.DateField("日期(北京时间)")
    starts_at = models.DateTimeField("开始时间")
    ends_at = models.DateTimeField("结束时间")
    capacity = models.PositiveSmallIntegerField("可预约人数")
    booked = models.PositiveSmallIntegerField("已预约人数", default=0)

    class Meta:
        verbose_name = "预约时段"
        verbose_name_plural = "预约时段"
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "department", "starts_at"], name="slot_one_per_start"
            ),
            models.CheckConstraint(
                condition=Q(booked__lte=F("capacity")), name="slot_booked_within_capacity"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.department_id} {self.starts_at:%Y-%m-%d %H:%M}"


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", "已预约"
    CHECKED_IN = "checked_in", "已签到"
    CANCELLED = "cancelled", "已取消"


ACTIVE_APPOINTMENT = Q(status__in=["booked", "checked_in"])


class Appointment(models.Model):
    site = models.ForeignKey("registry.Site", models.PROTECT, related_name="+", verbose_name="站点")
    department = models.ForeignKey(
        "registry.Department", models.PROTECT, related_name="+", verbose_name="部门"
    )
    slot = models.ForeignKey(
        AppointmentSlot, models.PROTECT, related_name="appointments", verbose_name="时段"
    )
    day = models.DateField("日期(北京时间)")
    item_code = models.CharField("事项编码", max_length=40, blank=True)
    phone = models.CharField("手机号", max_length=20)
    code = models.CharField("预约码", max_length=8)
    status = models.CharField(
        "状态",
        max_length=12,
        choices=AppointmentStatus.choices,
        default=AppointmentStatus.BOOKED,
    )
    booked_at = models.DateTimeField("预约时间")
    cancelled_at = models.DateTimeField("取消时间", null=True, blank=True)
    checked_in_at = models.DateTimeField("签到时间", null=True, blank=True)

    class Meta:
        verbose_name = "预约"
        verbose_name_plural = "预约"
        ordering = ["slot__starts_at", "id"]
        constraints = [
            # One live appointment per phone, department and day: no double booking.
            models.UniqueConstraint(
                fields=["site", "department", "day", "phone"],
                condition=ACTIVE_APPOINTMENT,
                name="appointment_one_per_phone_day",
            ),
            models.UniqueConstraint(fields=["site", "day", "code"], name="appointment_code_day"),
        ]

    def __str__(self) -> str:
        return self.code


class TicketSequence(models.Model):
    """The last number given in a queue on a hall's day (locked to take the next)."""

    site_code = models.CharField(max_length=40)
    day = models.DateField()
    queue = models.CharField(max_length=40)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["site_code", "day", "queue"], name="ticket_seq_unique")
        ]

    def __str__(self) -> str:
        return f"{self.site_code} {self.day} {self.queue} {self.last}"


class TicketSource(models.TextChoices):
    WALK_IN = "walk_in", "现场取号"
    APPOINTMENT = "appointment", "预约签到"


class TicketStatus(models.TextChoices):
    WAITING = "waiting", "等候中"
    CALLED = "called", "已叫号"
    DONE = "done", "已办理"
    SKIPPED = "skipped", "过号"


class Ticket(models.Model):
    site = models.ForeignKey("registry.Site", models.PROTECT, related_name="+", verbose_name="站点")
    day = models.DateField("日期(北京时间)")
    department = models.ForeignKey(
        "registry.Department", models.PROTECT, related_name="+", verbose_name="部门"
    )
    queue = models.CharField("队列", max_length=40)  # the numbering queue (department code)
    number = models.PositiveIntegerField("序号")
    label = models.CharField("号码", max_length=12)
    source = models.CharField("来源", max_length=12, choices=TicketSource.choices)
    appointment = models.OneToOneField(
        Appointment, models.PROTECT, null=True, blank=True, related_name="ticket"
    )
    # Higher is called first: appointment check-ins (1) and transfers (2) ahead of walk-ins.
    priority = models.SmallIntegerField("优先级", default=0)
    status = models.CharField(
        "状态", max_length=10, choices=TicketStatus.choices, default=TicketStatus.WAITING
    )
    taken_at = models.DateTimeField("取号时间")
    queued_at = models.DateTimeField("入队时间")  # taken, or moved here by a transfer
    called_at = models.DateTimeField("首次叫号时间", null=True, blank=True)
    last_called_at = models.DateTimeField("最近叫号时间", null=True, blank=True)
    call_count = models.PositiveSmallIntegerField("叫号次数", default=0)
    finished_at = models.DateTimeField("办理结束时间", null=True, blank=True)
    window = models.ForeignKey(
        "registry.Window", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    transferred_from = models.CharField("转自部门", max_length=40, blank=True)
    # The ticket's own page and the rating link use this, never the guessable number.
    token = models.CharField("凭证", max_length=32, unique=True)

    class Meta:
        verbose_name = "排队号"
        verbose_name_plural = "排队号"
        ordering = ["day", "queue", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "day", "queue", "number"], name="ticket_number_unique"
            )
        ]
        indexes = [
            models.Index(
                fields=["site", "day", "department", "status", "-priority", "queued_at"],
                name="ticket_next",
            ),
            models.Index(fields=["site", "day", "last_called_at"], name="ticket_calls"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def wait_seconds(self) -> float | None:
        if self.called_at is None:
            return None
        return (self.called_at - self.taken_at).total_seconds()

    @property
    def serve_seconds(self) -> float | None:
        if self.finished_at is None or self.last_called_at is None:
            return None
        return (self.finished_at - self.last_called_at).total_seconds()
