"""Role groups per site, guardian direct foreign-key permission tables, login lockout and
rate-limit counters.

Guardian's generic tables (GenericForeignKey with a text object_pk) cannot be joined by an
index on the guarded row; every guarded model gets its own pair of direct-FK tables here.
"""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import models
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from permissions.roles import ROLES, Role


class RoleGroup(models.Model):
    """The auth Group that stands for one role at one site ('t-maan:clerk')."""

    group = models.OneToOneField(
        Group, models.CASCADE, related_name="role_group", verbose_name="用户组"
    )
    site = models.ForeignKey(
        "registry.Site", models.PROTECT, related_name="role_groups", verbose_name="站点"
    )
    role = models.CharField(
        "角色", max_length=30, choices=[(r.value, ROLES[r].label) for r in Role]
    )

    class Meta:
        verbose_name = "站点角色组"
        verbose_name_plural = "站点角色组"
        constraints = [
            models.UniqueConstraint(fields=["site", "role"], name="role_group_one_per_site_role")
        ]

    def __str__(self) -> str:
        return f"{self.site.name} · {Role(self.role).label}"


# --- direct foreign-key object permissions (never guardian's generic tables) ---------------


class SiteUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey("registry.Site", models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = "站点用户权限"
        verbose_name_plural = "站点用户权限"


class SiteGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey("registry.Site", models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = "站点角色组权限"
        verbose_name_plural = "站点角色组权限"


class DelegationUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey("catalogue.Delegation", models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = "下放事项用户权限"
        verbose_name_plural = "下放事项用户权限"


class DelegationGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey("catalogue.Delegation", models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = "下放事项角色组权限"
        verbose_name_plural = "下放事项角色组权限"


class CaseUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey("cases.Case", models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = "办件用户权限"
        verbose_name_plural = "办件用户权限"


class CaseGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey("cases.Case", models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = "办件角色组权限"
        verbose_name_plural = "办件角色组权限"


# --- authentication and abuse control ------------------------------------------------------


class RateCounter(models.Model):
    """A fixed-window counter (key, window start). In the database so that every worker
    process of a node shares it; old windows are deleted as new ones are written."""

    key = models.CharField("键", max_length=200)
    window_start = models.DateTimeField("窗口开始")
    count = models.PositiveIntegerField("次数", default=0)

    class Meta:
        verbose_name = "访问频率计数"
        verbose_name_plural = "访问频率计数"
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="rate_counter_unique")
        ]
        indexes = [models.Index(fields=["window_start"], name="rate_counter_window")]

    def __str__(self) -> str:
        return f"{self.key}@{self.window_start:%H:%M}: {self.count}"
