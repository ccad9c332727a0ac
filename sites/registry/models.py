"""The site tree (county → township → village), departments, windows and staff."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from sites.registry.tree import PARENT_TIER


class Tier(models.TextChoices):
    COUNTY = "county", "县政务服务中心"
    TOWNSHIP = "township", "乡镇便民服务中心"
    VILLAGE = "village", "村(社区)便民服务站"


class Site(models.Model):
    code = models.SlugField("站点编码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=100)
    tier = models.CharField("层级", max_length=10, choices=Tier.choices)
    parent = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="上级站点",
    )
    # 'county/t-maan/v-shiqiao/': a subtree is one prefix match, which keeps the
    # "a township sees its villages" filter a single set-based query.
    path = models.CharField("路径", max_length=255, db_index=True, editable=False)

    class Meta:
        verbose_name = "站点"
        verbose_name_plural = "站点"
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        want = PARENT_TIER.get(self.tier)
        if want is None and self.parent_id:
            raise ValidationError({"parent": "县政务服务中心没有上级站点。"})
        if want and (self.parent is None or self.parent.tier != want):
            label = Tier(want).label
            raise ValidationError({"parent": f"{self.get_tier_display()}的上级必须是{label}。"})

    def save(self, *args, **kwargs) -> None:
        self.path = (self.parent.path if self.parent else "") + self.code + "/"
        super().save(*args, **kwargs)

    def is_within(self, other: Site) -> bool:
        """True when this site is `other` or lies below it."""
        return self.path.startswith(other.path)


class Department(models.Model):
    code = models.SlugField("部门编码", max_length=40, unique=True)
    name = models.CharField("部门名称", max_length=100, unique=True)

    class Meta:
        verbose_name = "部门"
        verbose_name_plural = "部门"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Window(models.Model):
    """A department's service counter in a hall; windows are scored monthly."""

    site = models.ForeignKey(Site, models.PROTECT, related_name="windows", verbose_name="站点")
    department = models.ForeignKey(
        Department, models.PROTECT, related_name="windows", verbose_name="部门"
    )
    number = models.CharField("窗口号", max_length=20)
    name = models.CharField("窗口名称", max_length=100)
    # 综合窗口 (seed 000: 「设置独立窗口和综合窗口」): the other departments this window also
    # serves; `department` stays the window's own (独立窗口: none here). Whether a hall may
    # combine is a county rule (queueing.combined_windows).
    departments = models.ManyToManyField(
        Department, blank=True, related_name="combined_windows", verbose_name="综合窗口兼办部门"
    )

    class Meta:
        verbose_name = "窗口"
        verbose_name_plural = "窗口"
        ordering = ["site__path", "number"]
        constraints = [
            models.UniqueConstraint(fields=["site", "number"], name="window_number_unique_per_site")
        ]

    def __str__(self) -> str:
        return f"{self.site.name} {self.number}号窗口({self.name})"

    def department_ids(self) -> list[int]:
        """Every department this window serves: its own first, then the combined ones."""
        extra = [d.pk for d in self.departments.all() if d.pk != self.department_id]
        return [self.department_id, *sorted(extra)]


class Staff(models.Model):
    """A person working in a hall; roles per site are groups (see permissions/)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="staff", verbose_name="账号"
    )
    name = models.CharField("姓名", max_length=50)
    site = models.ForeignKey(Site, models.PROTECT, related_name="staff", verbose_name="所在站点")
    window = models.ForeignKey(
        Window, models.SET_NULL, null=True, blank=True, related_name="staff", verbose_name="窗口"
    )

    class Meta:
        verbose_name = "工作人员"
        verbose_name_plural = "工作人员"

    def __str__(self) -> str:
        return f"{self.name}({self.site.name})"
