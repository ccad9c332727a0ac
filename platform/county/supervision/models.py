"""E-supervision (电子监察) and statistics at the county, and the halls' copies of orders.

`StatRow` holds the county's figures rolled up as case events apply (one row per day or
month, hall, department and item); `StatShare` remembers what each case last added, so a
later event only adds the difference. `Alert` is a yellow or red light that fired once for
a case and a step. `SupervisionOrder` (督办单) is authoritative at the county; the hall
holding the case keeps a copy, answers there, and the answer travels back.
"""

from __future__ import annotations

from django.db import models


class Grain(models.TextChoices):
    DAY = "d", "日"  # per hall, department and item
    MONTH = "m", "月"  # per hall, department and item
    HALL_MONTH = "s", "站点月"  # per hall only: trends and totals across hundreds of halls


# The counters of a StatRow (also the keys of a case's share), in the order of the reports.
COUNTERS = (
    "received",
    "accepted",
    "settled",
    "concluded",
    "same_day",
    "on_time",
    "overdue",
    "deemed",
    "supplements",
    "supplements_returned",
    "rated",
    "satisfied",
    "accept_days",
    "handle_days",
    "limit_cases",
    "promised_speedup",
    "actual_speedup",
)


class StatRow(models.Model):
    grain = models.CharField("粒度", max_length=1, choices=Grain.choices)
    day = models.DateField("日期")  # the first of the month for a month row
    site_code = models.CharField("站点", max_length=40)
    department_code = models.CharField("部门", max_length=40, blank=True)
    item_code = models.CharField("事项", max_length=40, blank=True)
    received = models.IntegerField("收件", default=0)
    accepted = models.IntegerField("受理", default=0)
    # Of the cases accepted on this row (where they are decided), how many are concluded:
    # 办结率 = settled / accepted, so it cannot exceed 100% (a case counts once).
    settled = models.IntegerField("受理件中已办结", default=0)
    concluded = models.IntegerField("办结", default=0)
    same_day = models.IntegerField("当日办结", default=0)
    on_time = models.IntegerField("按时办结", default=0)
    overdue = models.IntegerField("超时", default=0)
    deemed = models.IntegerField("逾期默认同意", default=0)
    # 补办件 (seed 001 第十条(五)): notices issued on this row's day, and how many of them
    # the applicant answered with complete materials (counted on the notice's row).
    supplements = models.IntegerField("补办件", default=0)
    supplements_returned = models.IntegerField("补办件补齐", default=0)
    # 好差评 of the cases concluded on this row (评价率 = rated / concluded, 满意度 =
    # satisfied / rated: seed 003's headline figures, both ≤ 100%).
    rated = models.IntegerField("已评价办结件", default=0)
    satisfied = models.IntegerField("满意评价", default=0)
    accept_days = models.IntegerField("受理用时合计(工作日)", default=0)
    handle_days = models.IntegerField("办理用时合计(工作日)", default=0)
    limit_cases = models.IntegerField("有法定时限的办结件", default=0)
    promised_speedup = models.FloatField("承诺提速合计", default=0.0)
    actual_speedup = models.FloatField("实际提速合计", default=0.0)

    class Meta:
        verbose_name = "统计汇总"
        verbose_name_plural = "统计汇总"
        constraints = [
            models.UniqueConstraint(
                fields=["grain", "day", "site_code", "department_code", "item_code"],
                name="statrow_unique",
            )
        ]
        indexes = [models.Index(fields=["grain", "day", "site_code"], name="statrow_period_site")]

    def __str__(self) -> str:
        return f"{self.grain} {self.day} {self.site_code} {self.department_code} {self.item_code}"


class StatShare(models.Model):
    """What one case currently adds to the daily rows: [[day, site, dept, item, {counter: n}]]."""

    number = models.CharField("办件编号", max_length=64, unique=True)
    share = models.JSONField("计入", default=list)

    class Meta:
        verbose_name = "办件计入"
        verbose_name_plural = "办件计入"

    def __str__(self) -> str:
        return self.number


class AlertLevel(models.TextChoices):
    WARNING = "warning", "黄灯预警"
    OVERDUE = "overdue", "红灯超时"


class AlertStep(models.TextChoices):
    CASE = "case", "办件时限"
    DEFERRED = "deferred", "容缺材料补交"
    SUPPLEMENT = "supplement", "补正期限"
    PART = "part", "联办部门意见"


class Alert(models.Model):
    """A light that came on: once per case, rule (level) and step, never again."""

    number = models.CharField("办件编号", max_length=64)
    level = models.CharField("级别", max_length=8, choices=AlertLevel.choices)
    step = models.CharField("环节", max_length=12, choices=AlertStep.choices)
    step_key = models.CharField("环节标识", max_length=110, blank=True)  # a part, a material
    site_code = models.CharField("责任站点", max_length=40, db_index=True)
    department_code = models.CharField("责任部门", max_length=40, blank=True)
    item_code = models.CharField("事项编码", max_length=40)
    item_name = models.CharField("事项名称", max_length=100, blank=True)
    deadline = models.DateField("期限", null=True, blank=True)
    fired_at = models.DateTimeField("亮灯时间")

    class Meta:
        verbose_name = "监察预警"
        verbose_name_plural = "监察预警"
        ordering = ["-fired_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["number", "level", "step", "step_key"], name="alert_once_per_step"
            )
        ]
        indexes = [models.Index(fields=["-fired_at", "-id"], name="alert_newest")]

    def __str__(self) -> str:
        return f"{self.number} {self.level} {self.step}"


class OrderState(models.TextChoices):
    OPEN = "open", "待答复"
    ANSWERED = "answered", "已答复"


class SupervisionOrder(models.Model):
    """督办单 (seed 001 art. 30): the county orders a department's window to decide a case."""

    code = models.CharField("督办单号", max_length=40, unique=True)
    case_number = models.CharField("办件编号", max_length=64, db_index=True)
    site_code = models.CharField("办件所在站点", max_length=40, db_index=True)
    department_code = models.CharField("责任部门", max_length=40)
    item_code = models.CharField("事项编码", max_length=40, blank=True)
    item_name = models.CharField("事项名称", max_length=100, blank=True)
    reason = models.CharField("督办事由", max_length=500)
    days = models.PositiveSmallIntegerField("答复时限(工作日)")
    due = models.DateField("答复期限")
    issued_by = models.CharField("督办人", max_length=150)
    issued_at = models.DateTimeField("督办时间")
    state = models.CharField("状态", max_length=10, choices=OrderState.choices, default="open")
    answer = models.CharField("答复", max_length=1000, blank=True)
    answered_by = models.CharField("答复人", max_length=150, blank=True)
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)
    # The county marks an order overdue once (unanswered past its due day, or answered late).
    overdue_at = models.DateTimeField("逾期认定时间", null=True, blank=True)
    is_copy = models.BooleanField("站点副本", default=False)

    class Meta:
        verbose_name = "督办单"
        verbose_name_plural = "督办单"
        ordering = ["-issued_at", "-id"]
        indexes = [models.Index(fields=["site_code", "department_code", "due"], name="order_due")]

    def __str__(self) -> str:
        return self.code
