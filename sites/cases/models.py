"""Cases (办件): the case, its timeline of events and its clock ledger.

The case row holds the current state; the events are the history (and what the county's
read model is built from); the ledger holds what the clock is derived from. The derived
clock (deadline, state) is stored on the case so lists filter on it with one query; the
periodic task keeps it fresh.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class CaseStatus(models.TextChoices):
    SUBMITTED = "submitted", "已收件"
    ACCEPTED = "accepted", "已受理"
    SUSPENDED = "suspended", "补正中"
    CONCLUDED = "concluded", "已办结"
    RETURNED = "returned", "已退办"
    REFUSED = "refused", "不予受理"
    WITHDRAWN = "withdrawn", "已撤回"


# Statuses whose clock runs (or may run); the others are final.
OPEN_STATUSES = (CaseStatus.SUBMITTED, CaseStatus.ACCEPTED, CaseStatus.SUSPENDED)
FINAL_STATUSES = (
    CaseStatus.CONCLUDED,
    CaseStatus.RETURNED,
    CaseStatus.REFUSED,
    CaseStatus.WITHDRAWN,
)


class Outcome(models.TextChoices):
    APPROVED = "approved", "准予"
    DENIED = "denied", "不予准予"


class ClockState(models.TextChoices):
    NOT_STARTED = "not_started", "未起算"
    ON_TIME = "on_time", "正常"
    WARNING = "warning", "预警"
    OVERDUE = "overdue", "超时"
    SUSPENDED = "suspended", "暂停计时"
    STOPPED = "stopped", "已停止"


# Labels by value: Django's get_FOO_display() rebuilds a hashable copy of the choices on
# every call, and lists and pages call it for every row.
STATUS_LABELS = dict(CaseStatus.choices)
CLOCK_LABELS = dict(ClockState.choices)


class Case(models.Model):
    number = models.CharField("办件编号", max_length=64, unique=True)
    item_version = models.ForeignKey(
        "catalogue.ItemVersion", models.PROTECT, related_name="cases", verbose_name="事项版本"
    )
    origin_site = models.ForeignKey(
        "registry.Site", models.PROTECT, related_name="cases_filed", verbose_name="收件站点"
    )
    owner_site = models.ForeignKey(
        "registry.Site", models.PROTECT, related_name="cases_owned", verbose_name="当前办理站点"
    )
    # Owners before the current one, oldest first: hand back returns to the last of them.
    route = models.JSONField("流转路径", default=list, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases_filed",
        verbose_name="收件人(代办员/窗口人员)",
    )
    clerk = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases_handled",
        verbose_name="承办人",
    )
    window = models.ForeignKey(
        "registry.Window",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name="窗口",
    )
    status = models.CharField(
        "状态", max_length=12, choices=CaseStatus.choices, default=CaseStatus.SUBMITTED
    )
    outcome = models.CharField("办理结果", max_length=10, choices=Outcome.choices, blank=True)

    applicant_name = models.CharField("申请人姓名", max_length=50)
    applicant_id_number = models.CharField("申请人身份证号", max_length=18)
    applicant_phone = models.CharField("联系电话", max_length=20)

    # Names of the materials received; deferred ones (容缺) as [{"name", "due"}].
    materials_received = models.JSONField("已收材料", default=list, blank=True)
    materials_deferred = models.JSONField("容缺材料", default=list, blank=True)
    # The one complete list of what is missing (一次性告知); later requests may only repeat it.
    supplement_items = models.JSONField("补正材料清单", default=list, blank=True)

    query_code_hash = models.CharField("查询码摘要", max_length=64, blank=True)

    submitted_at = models.DateTimeField("收件时间")
    accepted_at = models.DateTimeField("受理时间", null=True, blank=True)
    concluded_at = models.DateTimeField("办结时间(用印时间)", null=True, blank=True)
    # When the case reached any final status (办结, 退办, 不予受理, 撤回): the clock stops.
    closed_at = models.DateTimeField("结束时间", null=True, blank=True)

    # The derived clock, refreshed on every change and by the periodic task.
    deadline = models.DateField("办结期限", null=True, blank=True)
    deadline_provisional = models.BooleanField("期限为临时计算", default=False)
    clock_state = models.CharField(
        "计时状态", max_length=12, choices=ClockState.choices, default=ClockState.NOT_STARTED
    )
    days_used = models.SmallIntegerField("已用工作日", default=0)
    days_left = models.SmallIntegerField("剩余工作日", null=True, blank=True)

    seq = models.PositiveIntegerField("事件序号", default=0)  # last event's seq
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    def get_status_display(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    def get_clock_state_display(self) -> str:
        return CLOCK_LABELS.get(self.clock_state, self.clock_state)

    class Meta:
        verbose_name = "办件"
        verbose_name_plural = "办件"
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["owner_site", "status"], name="case_owner_status"),
            models.Index(fields=["clock_state", "deadline"], name="case_clock"),
            # Lists are newest first: a hall's own page, and a supervisor's across halls.
            models.Index(fields=["owner_site", "-submitted_at", "-id"], name="case_owner_newest"),
            models.Index(fields=["-submitted_at", "-id"], name="case_newest"),
            # The workbench inbox: a hall's open cases by deadline, filtered by clock state.
            # Its page's ids come from this index alone (no table rows read for the cases
            # not shown); clock_state is last, a key column only so the filter needs no row.
            models.Index(
                fields=["owner_site", "deadline", "-submitted_at", "id", "clock_state"],
                condition=Q(status__in=OPEN_STATUSES),
                name="case_owner_open_due",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="concluded") | ~Q(outcome=""),
                name="case_concluded_has_outcome",
            )
        ]

    def __str__(self) -> str:
        return self.number


class EventType(models.TextChoices):
    SUBMITTED = "submitted", "收件"
    ACCEPTED = "accepted", "受理"
    REFUSED = "refused", "不予受理"
    SUPPLEMENT_REQUESTED = "supplement_requested", "一次性告知补正"
    SUPPLEMENT_COMPLETED = "supplement_completed", "补正材料齐全"
    EXTENDED = "extended", "延期"
    DECIDED = "decided", "办结"
    DECISION_PREPARED = "decision_prepared", "拟办意见"
    RETURNED = "returned", "退办"
    WITHDRAWN = "withdrawn", "撤回"
    FORWARDED = "forwarded", "上报"
    HANDED_BACK = "handed_back", "退回下级"
    ASSIGNED = "assigned", "分派"
    OVERDUE = "overdue", "超时"
    # 联办件 (sites/joint): parts sent out, opinions, deemed consent, reassignment, countersign
    PARTS_OPENED = "parts_opened", "联办分送"
    OPINION_GIVEN = "opinion_given", "部门意见"
    DEEMED_CONSENT = "deemed_consent", "逾期默认同意"
    PART_REASSIGNED = "part_reassigned", "联办改派"
    COUNTERSIGNED = "countersigned", "集中会签"


class CaseEvent(models.Model):
    """One transition: what happened, who did it, at which hall, when."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="events", verbose_name="办件")
    seq = models.PositiveIntegerField("序号")
    type = models.CharField("事件", max_length=24, choices=EventType.choices)
    at = models.DateTimeField("时间")
    site = models.ForeignKey("registry.Site", models.PROTECT, related_name="+", verbose_name="站点")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="操作人",
    )
    # Users are per node: the name travels with the event, the FK only where it happened.
    actor_name = models.CharField("操作人姓名", max_length=150, blank=True)
    data = models.JSONField("内容", default=dict, blank=True)

    class Meta:
        verbose_name = "办件事件"
        verbose_name_plural = "办件事件"
        ordering = ["case", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["case", "seq"], name="case_event_seq_unique")
        ]

    def __str__(self) -> str:
        return f"{self.case_id}#{self.seq} {self.type}"


class LedgerKind(models.TextChoices):
    BUDGET = "budget", "时限"
    SUSPENSION = "suspension", "暂停(补正)"
    EXTENSION = "extension", "延期"


class ClockEntry(models.Model):
    """The clock ledger: the budget, each suspension (补正) and each extension (延期)."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="ledger", verbose_name="办件")
    kind = models.CharField("类型", max_length=12, choices=LedgerKind.choices)
    days = models.PositiveSmallIntegerField("工作日", default=0)  # budget / extension
    start = models.DateField("开始")  # budget: accepted on; suspension: notice day
    end = models.DateField("结束", null=True, blank=True)  # suspension: materials complete
    reason = models.CharField("理由", max_length=200, blank=True)

    class Meta:
        verbose_name = "计时台账"
        verbose_name_plural = "计时台账"
        ordering = ["case", "start", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(kind="suspension", end__isnull=True),
                name="clock_one_open_suspension",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.start}"


class CaseSequence(models.Model):
    """The last number issued per site and day (site code + date + sequence)."""

    site_code = models.CharField(max_length=40)
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["site_code", "day"], name="case_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.site_code} {self.day} {self.last}"
