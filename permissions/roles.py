"""Tier roles and the permissions they carry: named constants with descriptions, in one place.

A role is held *at a site*: each (site, role) pair is one auth Group (see models.RoleGroup), so
a person may be a clerk at 马鞍镇 and an agent at 石桥村. What a role may do is expressed as
guardian object permissions on the Site (granted to the group), on delegated items and on
cases; `permissions.access` reads those grants and nothing else decides.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sites.registry.models import Tier


class SitePerm(StrEnum):
    """Object permissions on a Site (custom codenames on the Site content type)."""

    ACT = "act_at_site"  # file, accept, handle and forward cases owned by this site
    DECIDE = "decide_at_site"  # sign decisions (审批专用章) for this site's windows
    VIEW_CASES = "view_site_cases"  # view the cases of this site and every site below it
    FILE_AS_AGENT = "file_as_agent"  # 全程代办: file cases here and follow those one filed
    SUPERVISE = "supervise_site"  # e-supervision of this site and below (no case handling)
    MANAGE_CATALOGUE = "manage_catalogue"  # author items, versions and delegations
    REVIEW_TASKS = "review_tasks"  # joint-approval parts of this site's departments
    REASSIGN_TASKS = "reassign_tasks"  # move a stalled joint-approval part elsewhere


SITE_PERM_LABELS: dict[SitePerm, str] = {
    SitePerm.ACT: "在本站受理和办理办件",
    SitePerm.DECIDE: "在本站审批签章",
    SitePerm.VIEW_CASES: "查看本站及下级站点办件",
    SitePerm.FILE_AS_AGENT: "代办员代为申报并跟踪本人申报的办件",
    SitePerm.SUPERVISE: "电子监察本站及下级站点",
    SitePerm.MANAGE_CATALOGUE: "维护事项目录与事项下放",
    SitePerm.REVIEW_TASKS: "审核联办任务",
    SitePerm.REASSIGN_TASKS: "改派联办任务",
}


class DelegationPerm(StrEnum):
    """Object permissions on a Delegation (an item granted to a site)."""

    ACCEPT = "accept_delegated_item"  # take in new cases of this item here
    DECIDE = "decide_delegated_item"  # decide them here (mode 受理并办结 only)


DELEGATION_PERM_LABELS: dict[DelegationPerm, str] = {
    DelegationPerm.ACCEPT: "受理下放事项",
    DelegationPerm.DECIDE: "办结下放事项",
}


class CasePerm(StrEnum):
    """Object permissions on a Case. Viewing is decided by the site rules (one set-based
    filter); handling needs a grant on the case itself, which moves with ownership."""

    VIEW = "view_case"  # Django's default codename
    HANDLE = "handle_case"


CASE_PERM_LABELS: dict[CasePerm, str] = {
    CasePerm.VIEW: "查看办件",
    CasePerm.HANDLE: "办理办件",
}


class TaskPerm(StrEnum):
    """Joint-approval task (联办任务, issue 7) permissions. The task model does not exist
    yet; these names are fixed now so the roles below already carry them. When it lands it
    gets direct-FK permission models like Case, granted to the groups holding the site
    permissions REVIEW_TASKS / REASSIGN_TASKS at the task's site."""

    REVIEW = "review_task"
    REASSIGN = "reassign_task"


TASK_PERM_LABELS: dict[TaskPerm, str] = {
    TaskPerm.REVIEW: "审核联办任务",
    TaskPerm.REASSIGN: "改派联办任务",
}


class Action(StrEnum):
    """What a caller asks `access_case` for."""

    VIEW = "view"
    HANDLE = "handle"


@dataclass(frozen=True)
class RoleSpec:
    code: str
    label: str
    description: str
    tiers: frozenset[str]
    site_perms: frozenset[SitePerm]
    # handling grants on each case owned by the site go to this role's group
    handles_cases: bool = False
    # takes in new cases of the items delegated to the site (收件): handlers and agents
    takes_in_items: bool = False
    read_only: bool = False
    # Django model permissions ("app_label.codename") for the admin site; a role with any
    # makes its holders staff (is_staff) so they can log in to /admin/, where they see those
    # models only.
    admin_perms: frozenset[str] = frozenset()


class Role(StrEnum):
    CATALOGUE_ADMIN = "catalogue_admin"
    COUNTY_SUPERVISOR = "county_supervisor"
    DEPARTMENT_REVIEWER = "department_reviewer"
    CHIEF_REPRESENTATIVE = "chief_representative"
    CLERK = "clerk"
    VILLAGE_AGENT = "village_agent"
    AUDITOR = "auditor"

    @property
    def spec(self) -> RoleSpec:
        return ROLES[self]

    @property
    def label(self) -> str:
        return ROLES[self].label


_ALL_TIERS = frozenset({Tier.COUNTY, Tier.TOWNSHIP, Tier.VILLAGE})
_COUNTY = frozenset({Tier.COUNTY})

ROLES: dict[Role, RoleSpec] = {
    Role.CATALOGUE_ADMIN: RoleSpec(
        code=Role.CATALOGUE_ADMIN,
        label="事项目录管理员",
        description="县级：维护事项目录、发布事项版本、下放与收回事项；不办理办件。",
        tiers=_COUNTY,
        site_perms=frozenset({SitePerm.MANAGE_CATALOGUE}),
        admin_perms=frozenset(
            {
                "catalogue.view_item",
                "catalogue.add_item",
                "catalogue.change_item",
                "catalogue.view_itemversion",
                "catalogue.view_delegation",
                "catalogue.add_delegation",
                "catalogue.change_delegation",
            }
        ),
    ),
    Role.COUNTY_SUPERVISOR: RoleSpec(
        code=Role.COUNTY_SUPERVISOR,
        label="县级监管员",
        description="县级：查看全县所有站点的办件与时限，电子监察，改派停滞的联办任务。",
        tiers=_COUNTY,
        site_perms=frozenset({SitePerm.VIEW_CASES, SitePerm.SUPERVISE, SitePerm.REASSIGN_TASKS}),
    ),
    Role.DEPARTMENT_REVIEWER: RoleSpec(
        code=Role.DEPARTMENT_REVIEWER,
        label="部门审核员",
        description="县级部门：审核本站联办件中本部门的部分，查看本站及下级办件。",
        tiers=_COUNTY,
        site_perms=frozenset({SitePerm.VIEW_CASES, SitePerm.REVIEW_TASKS}),
    ),
    Role.CHIEF_REPRESENTATIVE: RoleSpec(
        code=Role.CHIEF_REPRESENTATIVE,
        label="首席代表",
        description="部门派驻窗口的授权签批人：办理并审批签章本站办件，查看下级站点办件。",
        tiers=frozenset({Tier.COUNTY, Tier.TOWNSHIP}),
        site_perms=frozenset({SitePerm.ACT, SitePerm.DECIDE, SitePerm.VIEW_CASES}),
        handles_cases=True,
        takes_in_items=True,
    ),
    Role.CLERK: RoleSpec(
        code=Role.CLERK,
        label="窗口办事员",
        description="任一站点：受理、一次性告知补正、办理、上报本站办件；查看下级站点办件。",
        tiers=_ALL_TIERS,
        site_perms=frozenset({SitePerm.ACT, SitePerm.VIEW_CASES}),
        handles_cases=True,
        takes_in_items=True,
    ),
    Role.VILLAGE_AGENT: RoleSpec(
        code=Role.VILLAGE_AGENT,
        label="代办员",
        description="村(社区)：为村民代为申报并全程跟踪本人申报的办件，不论办件现在何处。",
        tiers=frozenset({Tier.VILLAGE}),
        site_perms=frozenset({SitePerm.FILE_AS_AGENT}),
        takes_in_items=True,
    ),
    Role.AUDITOR: RoleSpec(
        code=Role.AUDITOR,
        label="审计员",
        description="县级：只读查看全县办件与记录，不能作任何修改。",
        tiers=_COUNTY,
        site_perms=frozenset({SitePerm.VIEW_CASES}),
        read_only=True,
    ),
}

# Site permissions that change something; a read-only role must never carry one.
WRITE_SITE_PERMS = frozenset(
    {
        SitePerm.ACT,
        SitePerm.DECIDE,
        SitePerm.FILE_AS_AGENT,
        SitePerm.MANAGE_CATALOGUE,
        SitePerm.REVIEW_TASKS,
        SitePerm.REASSIGN_TASKS,
    }
)
assert not any(s.read_only and s.site_perms & WRITE_SITE_PERMS for s in ROLES.values())


def group_name(site_code: str, role: Role | str) -> str:
    """The auth Group of a role at a site, e.g. 't-maan:clerk'."""
    return f"{site_code}:{Role(role)}"
