"""Joint approvals (联办件): one part (联办部门意见环节) per co-department of the item.

The lead hall (the case's owner, 牵头窗口) holds the authoritative part rows, linked to the
case. A part assigned to another hall also exists there as a working copy (no case row:
cases stay with their owner), created and withdrawn by messages from the lead; the
opinion travels back. `generation` counts the assignments: a message about an older
assignment is refused. The county keeps `PartRecord`, its read model of every part, built
from the case events (fan-in) that carry a part snapshot.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase


class PartState(models.TextChoices):
    OPEN = "open", "办理中"
    ANSWERED = "answered", "已出具意见"
    DEEMED = "deemed", "逾期默认同意"
    MOVED = "moved", "已改派他处"  # a working copy whose part was reassigned elsewhere
    CANCELLED = "cancelled", "已撤销"  # the case ended (退办/撤回) before the part did


DONE_STATES = (PartState.ANSWERED, PartState.DEEMED)


class Opinion(models.TextChoices):
    AGREE = "agree", "同意"
    CONDITIONAL = "conditional", "有条件同意"
    DISAGREE = "disagree", "不同意"


class Part(models.Model):
    key = models.CharField("环节编号", max_length=110, unique=True)  # "<case number>:<dept>"
    case_number = models.CharField("办件编号", max_length=64, db_index=True)
    case = models.ForeignKey(
        "cases.Case",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="parts",
        verbose_name="办件(仅牵头站点)",
    )
    lead_site = models.ForeignKey(
        "registry.Site", models.PROTECT, related_name="+", verbose_name="牵头站点"
    )
    item_code = models.CharField("事项编码", max_length=40)
    item_name = models.CharField("事项名称", max_length=100)
    applicant_name = models.CharField("申请人", max_length=50, blank=True)
    materials = models.JSONField("申报材料", default=list, blank=True)

    # The assignee: department, hall, optionally a window (its number there) and a reviewer
    # (a username at that hall). Windows and users are per node: they travel as names.
    department = models.ForeignKey(
        "registry.Department", models.PROTECT, related_name="+", verbose_name="协办部门"
    )
    site = models.ForeignKey(
        "registry.Site", models.PROTECT, related_name="joint_parts", verbose_name="承办站点"
    )
    window_number = models.CharField("承办窗口号", max_length=20, blank=True)
    reviewer = models.CharField("审核人(账号)", max_length=150, blank=True)
    generation = models.PositiveIntegerField("分派次数", default=1)

    state = models.CharField(
        "状态", max_length=10, choices=PartState.choices, default=PartState.OPEN
    )
    # The part's own clock: budget in working days from `start` (clock.py counts).
    budget_days = models.PositiveSmallIntegerField("时限(工作日)")
    start = models.DateField("起算日")
    deadline = models.DateField("办理期限")
    deadline_provisional = models.BooleanField("期限为临时计算", default=False)
    warning_from = models.DateField("预警起始日")
    opened_at = models.DateTimeField("分送时间")

    opinion = models.CharField("意见", max_length=12, choices=Opinion.choices, blank=True)
    reasons = models.TextField("理由/条件", blank=True)
    opinion_materials = models.JSONField("意见附件", default=list, blank=True)
    answered_at = models.DateTimeField("出具意见时间", null=True, blank=True)
    answered_by = models.CharField("出具人", max_length=150, blank=True)
    deemed_points = models.SmallIntegerField("扣分", default=0)
    # [{"at", "by", "reason", "restart", "from": {...}, "to": {...}}], oldest first
    reassignments = models.JSONField("改派记录", default=list, blank=True)

    class Meta:
        verbose_name = "联办部门意见环节"
        verbose_name_plural = "联办部门意见环节"
        ordering = ["case_number", "department__code"]
        permissions = [
            ("review_task", "审核联办任务"),
            ("reassign_task", "改派联办任务"),
        ]
        indexes = [models.Index(fields=["site", "state"], name="part_site_state")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="answered") | ~Q(opinion=""), name="part_answered_has_opinion"
            )
        ]

    def __str__(self) -> str:
        return self.key

    @property
    def deemed(self) -> bool:
        return self.state == PartState.DEEMED


class PartUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Part, models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = "联办环节用户权限"
        verbose_name_plural = "联办环节用户权限"


class PartGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Part, models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = "联办环节角色组权限"
        verbose_name_plural = "联办环节角色组权限"


class JointRule(models.Model):
    """The county's rule for joint approvals (one row; defaults when absent)."""

    deemed_points = models.PositiveSmallIntegerField(
        "逾期默认扣分",
        default=5,
        help_text="协办部门逾期未出具意见、按默认同意处理时，其窗口扣分。",
    )
    restart_on_reassign = models.BooleanField(
        "改派后重新计时", default=False, help_text="否：改派后继续原计时；是：从改派之日重新起算。"
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "联办规则"
        verbose_name_plural = "联办规则"

    def __str__(self) -> str:
        return f"逾期默认扣 {self.deemed_points} 分"


class WindowDeduction(models.Model):
    """Points a window loses (考核扣分), here for a part deemed to consent."""

    site = models.ForeignKey("registry.Site", models.PROTECT, related_name="+", verbose_name="站点")
    department = models.ForeignKey(
        "registry.Department", models.PROTECT, related_name="+", verbose_name="部门"
    )
    window_number = models.CharField("窗口号", max_length=20, blank=True)
    points = models.SmallIntegerField("分值")  # negative: a deduction
    reason = models.CharField("事由", max_length=200)
    part_key = models.CharField("联办环节", max_length=110, unique=True)
    at = models.DateTimeField("时间")

    class Meta:
        verbose_name = "窗口考核扣分"
        verbose_name_plural = "窗口考核扣分"
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.department} {self.points}"


class PartRecord(models.Model):
    """The county's view of one part, wherever its case and its hall are (read model)."""

    key = models.CharField("环节编号", max_length=110, unique=True)
    case_number = models.CharField("办件编号", max_length=64, db_index=True)
    last_seq = models.PositiveIntegerField("办件事件序号")
    lead_site = models.CharField("牵头站点", max_length=40)
    department = models.CharField("协办部门", max_length=40)
    site = models.CharField("承办站点", max_length=40)
    window_number = models.CharField("承办窗口号", max_length=20, blank=True)
    reviewer = models.CharField("审核人", max_length=150, blank=True)
    generation = models.PositiveIntegerField("分派次数")
    state = models.CharField("状态", max_length=10)
    budget_days = models.PositiveSmallIntegerField("时限(工作日)")
    start = models.DateField("起算日")
    deadline = models.DateField("办理期限")
    deadline_provisional = models.BooleanField("期限为临时计算", default=False)
    warning_from = models.DateField("预警起始日")
    opened_at = models.DateTimeField("分送时间")
    opinion = models.CharField("意见", max_length=12, blank=True)
    reasons = models.TextField("理由/条件", blank=True)
    answered_at = models.DateTimeField("出具意见时间", null=True, blank=True)
    answered_by = models.CharField("出具人", max_length=150, blank=True)
    deemed_points = models.SmallIntegerField("扣分", default=0)
    reassignments = models.JSONField("改派记录", default=list, blank=True)

    class Meta:
        verbose_name = "联办环节(全县)"
        verbose_name_plural = "联办环节(全县)"
        ordering = ["case_number", "department"]
        indexes = [models.Index(fields=["state", "warning_from"], name="partrecord_stalled")]

    def __str__(self) -> str:
        return self.key
