"""The working-day calendar: a county rule, synced to every hall."""

from django.db import models


class CalendarSource(models.TextChoices):
    LIBRARY = "chinese-calendar", "chinese-calendar 数据包"
    MANUAL = "manual", "按国务院通知录入"


class DayKind(models.TextChoices):
    OFF = "off", "放假(法定节假日)"
    WORK = "work", "调休上班"


class CalendarYear(models.Model):
    """A year whose holidays and make-up working days have been announced."""

    year = models.PositiveSmallIntegerField("年份", unique=True)
    source = models.CharField("来源", max_length=20, choices=CalendarSource.choices)
    notice = models.CharField("通知文号/说明", max_length=200, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "年度日历"
        verbose_name_plural = "年度日历"
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年"


class CalendarDay(models.Model):
    """A day that differs from Monday–Friday: a holiday off, or a make-up working day (调休)."""

    year = models.ForeignKey(CalendarYear, models.CASCADE, related_name="days", verbose_name="年份")
    date = models.DateField("日期", unique=True)
    kind = models.CharField("类型", max_length=4, choices=DayKind.choices)
    name = models.CharField("节日", max_length=30, blank=True)

    class Meta:
        verbose_name = "特殊日期"
        verbose_name_plural = "特殊日期"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"
