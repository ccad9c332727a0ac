"""GraphQL types for cases as the county's read model knows them, wherever they are."""

from __future__ import annotations

import graphene
from django.utils import timezone

from county.graph.case_loaders import facts_for, item_version_for
from county.graph.catalogue_types import ItemVersionType, SiteType
from county.graph.joint_types import parts_for
from county.graph.loaders import calendar, choice_label, sites_by_code
from sites.cases.models import CaseStatus, ClockState, EventType, Outcome

OPEN = {CaseStatus.SUBMITTED, CaseStatus.ACCEPTED, CaseStatus.SUSPENDED}


class ClockType(graphene.ObjectType):
    deadline = graphene.Date(description="办结期限")
    provisional = graphene.Boolean(required=True, description="该年日历未公布，期限为暂算")
    days_used = graphene.Int(required=True, description="已用工作日")
    days_left = graphene.Int(description="剩余工作日(办结后为空)")
    state = graphene.String(required=True)
    state_label = graphene.String(required=True, description="计时状态(中文)")


class TimelineEntryType(graphene.ObjectType):
    seq = graphene.Int(required=True)
    type = graphene.String(required=True)
    label = graphene.String(required=True, description="环节(中文)")
    at = graphene.DateTime(required=True)
    site = graphene.Field(SiteType)
    actor = graphene.String(description="操作人(仅工作人员可见)")


class CaseItemType(graphene.ObjectType):
    code = graphene.String(required=True)
    name = graphene.String(required=True)
    version = graphene.Int(required=True)
    item_version = graphene.Field(ItemVersionType, description="受理时所依据的事项版本")

    def resolve_item_version(self, info):
        return item_version_for(info, self.code, self.version)


class CaseType(graphene.ObjectType):
    """办件, as last reported to the county by the hall that owns it."""

    number = graphene.String(required=True)
    status = graphene.String(required=True)
    status_label = graphene.String(required=True)
    outcome = graphene.String()
    handling_type = graphene.String(required=True)
    item = graphene.Field(CaseItemType, required=True)
    owner_site = graphene.Field(SiteType, description="当前办理站点")
    origin_site = graphene.Field(SiteType, description="收件站点")
    path = graphene.List(graphene.NonNull(SiteType), required=True, description="流转路径")
    submitted_at = graphene.DateTime(required=True)
    accepted_at = graphene.DateTime()
    concluded_at = graphene.DateTime()
    clock = graphene.Field(ClockType, required=True)
    timeline = graphene.List(graphene.NonNull(TimelineEntryType), required=True)
    parts = graphene.List(
        graphene.NonNull("county.graph.joint_types.PartType"),
        required=True,
        description="联办部门意见环节(联办件)",
    )

    def resolve_parts(self, info):
        return parts_for(info, self.number)

    def resolve_status_label(self, info):
        return choice_label(CaseStatus, self.status)

    def resolve_outcome(self, info):
        return choice_label(Outcome, self.outcome) if self.outcome else None

    def resolve_item(self, info):
        return CaseItemType(code=self.item_code, name=self.item_name, version=self.item_version)

    def resolve_owner_site(self, info):
        return sites_by_code(info).get(self.owner_site)

    def resolve_origin_site(self, info):
        return sites_by_code(info).get(self.origin_site)

    def resolve_path(self, info):
        codes: list[str] = []
        for fact in facts_for(info, self.number):
            if not codes or codes[-1] != fact.site_code:
                codes.append(fact.site_code)
        sites = sites_by_code(info)
        return [sites[c] for c in codes if c in sites]

    def resolve_clock(self, info):
        left = None
        if self.deadline and self.status in OPEN:
            left = calendar(info).working_days_between(timezone.localdate(), self.deadline)
            left = left.days
        return ClockType(
            deadline=self.deadline,
            provisional=self.deadline_provisional,
            days_used=self.days_used,
            days_left=left,
            state=self.clock_state,
            state_label=choice_label(ClockState, self.clock_state),
        )

    def resolve_timeline(self, info):
        sites = sites_by_code(info)
        return [
            TimelineEntryType(
                seq=f.seq,
                type=f.type,
                label=choice_label(EventType, f.type),
                at=f.at,
                site=sites.get(f.site_code),
                actor=f.actor,
            )
            for f in facts_for(info, self.number)
        ]


class CaseEdgeType(graphene.ObjectType):
    cursor = graphene.String(required=True)
    node = graphene.Field(CaseType, required=True)


class CasePageInfoType(graphene.ObjectType):
    has_next_page = graphene.Boolean(required=True)
    end_cursor = graphene.String()


class CaseConnectionType(graphene.ObjectType):
    edges = graphene.List(graphene.NonNull(CaseEdgeType), required=True)
    page_info = graphene.Field(CasePageInfoType, required=True)
    total_count = graphene.Int(required=True, description="总数(只在请求时计算)")

    def resolve_total_count(self, info):
        return self.page.queryset.count()
