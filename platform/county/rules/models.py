"""County rules as data: each feature registers a rule (key, Chinese label, the seeds' values
as defaults); the county edits values, the catalogue release carries them to every hall.

A value is a flat mapping of named numbers, texts and switches. A rule may be set for a scope
narrower than the whole county ("item:<code>", "department:<code>", "site:<code>"); a reader
asks with the scopes it knows and takes the first that is set (docs/decisions/0013).
"""

from django.db import models

COUNTY_SCOPE = ""  # the county-wide value


class Rule(models.Model):
    key = models.CharField("规则", max_length=60)
    scope = models.CharField("适用范围", max_length=60, blank=True, default=COUNTY_SCOPE)
    value = models.JSONField("取值")
    revision = models.PositiveIntegerField("修订号", default=1)
    changed_at = models.DateTimeField("修改时间")
    changed_by = models.CharField("修改人", max_length=150, blank=True)
    note = models.CharField("修改说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "规则"
        verbose_name_plural = "规则"
        constraints = [models.UniqueConstraint(fields=["key", "scope"], name="rule_key_scope")]

    def __str__(self) -> str:
        return f"{self.key} {self.scope}".strip()


class RuleChange(models.Model):
    """Every edit, kept: a point, a quota or a deadline can be traced to the rule in force."""

    key = models.CharField("规则", max_length=60)
    scope = models.CharField("适用范围", max_length=60, blank=True)
    revision = models.PositiveIntegerField("修订号")
    value = models.JSONField("取值")
    changed_at = models.DateTimeField("修改时间")
    changed_by = models.CharField("修改人", max_length=150, blank=True)
    note = models.CharField("修改说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "规则修改记录"
        verbose_name_plural = "规则修改记录"
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.key} {self.scope} #{self.revision}"
