"""Window assessment at the county: the windows and staff of every hall as the county knows
them, a ledger of point entries each traceable to its source event, daily inspections and
the awards published.

Halls have their own databases, so a window is known here by (site code, window number) and
a staff member by (site code, username), with names as last heard.
"""

from django.db import models


class AssessedWindow(models.Model):
    site_code = models.CharField("站点编码", max_length=40)
    site_name = models.CharField("站点", max_length=100, blank=True)
    number = models.CharField("窗口号", max_length=20)
    name = models.CharField("窗口名称", max_length=100, blank=True)
    department_code = models.CharField("部门编码", max_length=40, blank=True)
    department_name = models.CharField("部门", max_length=100, blank=True)

    class Meta:
        verbose_name = "考核窗口"
        verbose_name_plural = "考核窗口"
        ordering = ["site_code", "number"]
        constraints = [
            models.UniqueConstraint(fields=["site_code", "number"], name="assessed_window_unique")
        ]

    def __str__(self) -> str:
        return f"{self.site_name or self.site_code} {self.number}号窗口({self.name})"


class AssessedStaff(models.Model):
    site_code = models.CharField("站点编码", max_length=40)
    username = models.CharField("账号", max_length=150)
    name = models.CharField("姓名", max_length=50)
    window = models.ForeignKey(
        AssessedWindow, models.SET_NULL, null=True, blank=True, related_name="staff"
    )
    sent_back = models.BooleanField("退回原单位", default=False)
    sent_back_note = models.CharField("退回原因", max_length=200, blank=True)

    class Meta:
        verbose_name = "考核工作人员"
        verbose_name_plural = "考核工作人员"
        constraints = [
            models.UniqueConstraint(fields=["site_code", "username"], name="assessed_staff_unique")
        ]

    def __str__(self) -> str:
        return self.name


class PointEntry(models.Model):
    """One signed point change. (source_type, source_id, rule, window) is unique: an event
    redelivered, or a daily job run twice, records nothing new. A reversal is a new entry
    with the opposite points (source_type "reversal", source_id the entry reversed)."""

    window = models.ForeignKey(AssessedWindow, models.PROTECT, related_name="points")
    staff = models.ForeignKey(
        AssessedStaff, models.PROTECT, null=True, blank=True, related_name="points"
    )
    rule = models.CharField("计分项", max_length=40)
    rule_revision = models.PositiveIntegerField("规则修订号", default=0)
    points = models.IntegerField("分值")
    occurred_on = models.DateField("发生日期", db_index=True)
    source_type = models.CharField("来源类型", max_length=30)
    source_id = models.CharField("来源编号", max_length=100)
    note = models.CharField("说明", max_length=200, blank=True)
    recorded_at = models.DateTimeField("记录时间")
    recorded_by = models.CharField("记录人", max_length=150, blank=True)
    reversed_by = models.OneToOneField(
        "self", models.SET_NULL, null=True, blank=True, related_name="reverses"
    )

    class Meta:
        verbose_name = "考核积分记录"
        verbose_name_plural = "考核积分记录"
        ordering = ["occurred_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_type", "source_id", "rule", "window"], name="point_entry_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.window} {self.rule} {self.points:+d}"


class Inspection(models.Model):
    """日检查: the hall office's round (seed 002: 10:00 and 16:00), one finding per row."""

    window = models.ForeignKey(AssessedWindow, models.PROTECT, related_name="inspections")
    staff = models.ForeignKey(
        AssessedStaff, models.PROTECT, null=True, blank=True, related_name="inspections"
    )
    inspected_at = models.DateTimeField("检查时间")
    finding = models.CharField("检查项", max_length=40)
    note = models.CharField("情况记录", max_length=200, blank=True)
    inspector = models.CharField("检查人", max_length=150)

    class Meta:
        verbose_name = "日检查记录"
        verbose_name_plural = "日检查记录"
        ordering = ["-inspected_at", "-id"]

    def __str__(self) -> str:
        return f"{self.window} {self.finding}"


class AwardKind(models.TextChoices):
    RED_FLAG = "red_flag", "流动红旗(红旗窗口)"
    EXCELLENT_WINDOW = "excellent_window", "优秀窗口"
    QUALITY_WINDOW = "quality_window", "优质服务窗口"
    WINDOW_GRADE = "window_grade", "窗口年度等次"
    STAFF_GRADE = "staff_grade", "工作人员年度等次"


class Award(models.Model):
    """An award or grade as published (the computation is in selectors; this is the record)."""

    kind = models.CharField("类别", max_length=20, choices=AwardKind.choices)
    period = models.CharField("期间", max_length=10)  # 2026-11, 2026-Q4, 2026
    window = models.ForeignKey(
        AssessedWindow, models.PROTECT, null=True, blank=True, related_name="awards"
    )
    staff = models.ForeignKey(
        AssessedStaff, models.PROTECT, null=True, blank=True, related_name="awards"
    )
    grade = models.CharField("等次", max_length=10, blank=True)
    rank = models.PositiveIntegerField("名次")
    score = models.IntegerField("得分")
    published_at = models.DateTimeField("发布时间")
    published_by = models.CharField("发布人", max_length=150, blank=True)

    class Meta:
        verbose_name = "评比结果"
        verbose_name_plural = "评比结果"
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "period", "window", "staff"], name="award_once_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.get_kind_display()} {self.window or self.staff}"
