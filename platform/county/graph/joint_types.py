"""GraphQL for joint approvals (联办件) at the county: a case's parts with their opinions,
deemed consent and reassignment history, and the supervisor's list of stalled parts.

Read from the county's part read model (sites.joint.PartRecord), loaded once per page.
"""

from __future__ import annotations

from collections import defaultdict

import graphene
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from county.graph.catalogue_types import SiteType
from county.graph.loaders import calendar, choice_label, request_cache, sites_by_code
from sites.joint.access import can_view_stalled
from sites.joint.clock import part_clock_state
from sites.joint.models import Opinion, PartRecord, PartState
from sites.joint.selectors import stalled_parts, stalled_site_codes_for_user
from sites.registry.models import Department

STALLED_MAX = 200


def _departments(info) -> dict:
    cache = request_cache(info)
    if "departments" not in cache:
        cache["departments"] = {d.code: d.name for d in Department.objects.all()}
    return cache["departments"]


def parts_for(info, number: str) -> list[PartRecord]:
    """Parts of every case on the page in one query (or of one case looked up alone)."""
    cache = request_cache(info)
    if "parts" not in cache:
        numbers = cache.get("case_numbers") or [number]
        grouped: dict[str, list[PartRecord]] = defaultdict(list)
        for record in PartRecord.objects.filter(case_number__in=numbers).order_by(
            "case_number", "department"
        ):
            grouped[record.case_number].append(record)
        cache["parts"] = grouped
    if number not in cache["parts"]:
        cache["parts"][number] = list(
            PartRecord.objects.filter(case_number=number).order_by("department")
        )
    return cache["parts"][number]


class AssigneeType(graphene.ObjectType):
    department = graphene.String(required=True, description="部门编码")
    department_name = graphene.String(required=True, description="部门")
    site = graphene.Field(SiteType, description="承办站点")
    window = graphene.String(required=True, description="窗口号")
    reviewer = graphene.String(required=True, description="审核人")


def _assignee(info, data: dict) -> AssigneeType:
    return AssigneeType(
        department=data["department"],
        department_name=_departments(info).get(data["department"], data["department"]),
        site=sites_by_code(info).get(data["site"]),
        window=data.get("window", ""),
        reviewer=data.get("reviewer", ""),
    )


class ReassignmentType(graphene.ObjectType):
    at = graphene.DateTime(required=True)
    by = graphene.String(required=True, description="改派人")
    reason = graphene.String(required=True, description="改派理由")
    restart = graphene.Boolean(required=True, description="重新计时")
    from_ = graphene.Field(AssigneeType, required=True, name="from")
    to = graphene.Field(AssigneeType, required=True)


class PartType(graphene.ObjectType):
    """联办部门意见环节, as last reported to the county by the lead hall."""

    key = graphene.String(required=True)
    case_number = graphene.String(required=True)
    lead_site = graphene.Field(SiteType, description="牵头站点")
    assignee = graphene.Field(AssigneeType, required=True, description="当前承办")
    generation = graphene.Int(required=True, description="分派次数")
    state = graphene.String(required=True)
    state_label = graphene.String(required=True, description="状态(中文)")
    deemed = graphene.Boolean(required=True, description="逾期默认同意(非部门出具)")
    deemed_points = graphene.Int(required=True, description="逾期默认扣分")
    opinion = graphene.String(description="意见")
    opinion_label = graphene.String(description="意见(中文)")
    reasons = graphene.String(description="理由/条件")
    answered_at = graphene.DateTime()
    answered_by = graphene.String()
    deadline = graphene.Date(required=True, description="办理期限")
    days_left = graphene.Int(description="剩余工作日(办理中)")
    clock_state = graphene.String(required=True, description="on_time/warning/overdue/stopped")
    reassignments = graphene.List(
        graphene.NonNull(ReassignmentType), required=True, description="改派记录"
    )

    def resolve_lead_site(self, info):
        return sites_by_code(info).get(self.lead_site)

    def resolve_assignee(self, info):
        return _assignee(
            info,
            {
                "department": self.department,
                "site": self.site,
                "window": self.window_number,
                "reviewer": self.reviewer,
            },
        )

    def resolve_state_label(self, info):
        return choice_label(PartState, self.state)

    def resolve_deemed(self, info):
        return self.state == PartState.DEEMED

    def resolve_opinion(self, info):
        return self.opinion or None

    def resolve_opinion_label(self, info):
        return choice_label(Opinion, self.opinion) or None

    def resolve_days_left(self, info):
        if self.state != PartState.OPEN:
            return None
        return calendar(info).working_days_between(timezone.localdate(), self.deadline).days

    def resolve_clock_state(self, info):
        return part_clock_state(self)

    def resolve_reassignments(self, info):
        return [
            ReassignmentType(
                at=parse_datetime(m["at"]),
                by=m["by"],
                reason=m["reason"],
                restart=m["restart"],
                from_=_assignee(info, m["from"]),
                to=_assignee(info, m["to"]),
            )
            for m in self.reassignments
        ]


class JointQuery(graphene.ObjectType):
    stalled_parts = graphene.List(
        graphene.NonNull(PartType),
        required=True,
        first=graphene.Int(default_value=50),
        description="停滞的联办环节(预警或超时，期限最早的在前)，供县级监管员改派",
    )

    def resolve_stalled_parts(self, info, first=50):
        user = info.context.user
        if not can_view_stalled(user=user):
            return []
        first = max(1, min(first, STALLED_MAX))
        codes = stalled_site_codes_for_user(user=user)
        return list(stalled_parts(site_codes=codes)[:first])
