"""GraphQL types for the site tree and the catalogue."""

from __future__ import annotations

import graphene
from graphene_django import DjangoObjectType

from county.catalogue.carried import ITEM_VERSION_FIELDS
from county.catalogue.models import Delegation, Item, ItemVersion
from county.graph.loaders import site_children, site_statistics, sites_by_id
from sites.registry.models import Department, Site


class DepartmentType(DjangoObjectType):
    class Meta:
        model = Department
        name = "Department"
        fields = ["code", "name"]


class SiteStatisticsType(graphene.ObjectType):
    received = graphene.Int(required=True, description="收件")
    accepted = graphene.Int(required=True, description="受理")
    concluded = graphene.Int(required=True, description="办结")
    completion_rate = graphene.Float(description="办结率")
    same_day_rate = graphene.Float(description="日结率")
    average_days = graphene.Float(description="平均办理工作日")
    overdue = graphene.Int(required=True, description="超时件数")
    promised_speedup_rate = graphene.Float(description="承诺提速率")
    actual_speedup_rate = graphene.Float(description="实际提速率")


EMPTY_STATISTICS = {"received": 0, "accepted": 0, "concluded": 0, "overdue": 0}


class SiteType(DjangoObjectType):
    tier_label = graphene.String(required=True, description="层级(中文)")
    statistics = graphene.Field(
        SiteStatisticsType,
        required=True,
        since=graphene.Date(description="起始日期(含)"),
        until=graphene.Date(description="截止日期(含)"),
        description="本站点统计：收件按收件日期、办结按办结日期计入期间",
    )
    parent = graphene.Field(lambda: SiteType)
    children = graphene.List(graphene.NonNull(lambda: SiteType), required=True)

    class Meta:
        model = Site
        name = "Site"
        fields = ["code", "name", "tier", "path"]
        convert_choices_to_enum = False

    def resolve_tier_label(self, info):
        return self.get_tier_display()

    def resolve_parent(self, info):
        return sites_by_id(info).get(self.parent_id)

    def resolve_children(self, info):
        return site_children(info).get(self.pk, [])

    def resolve_statistics(self, info, since=None, until=None):
        row = site_statistics(info, since=since, until=until).get(self.code, EMPTY_STATISTICS)
        return SiteStatisticsType(**{k: v for k, v in row.items() if k not in {"site", "item"}})


class MaterialType(graphene.ObjectType):
    name = graphene.String(required=True)
    deferrable = graphene.Boolean(required=True, description="可容缺受理")
    defer_days = graphene.Int(required=True, description="容缺补交期限(工作日)")


class ItemVersionType(DjangoObjectType):
    materials = graphene.List(graphene.NonNull(MaterialType), required=True)
    co_departments = graphene.List(graphene.NonNull(DepartmentType), required=True)
    handling_type_label = graphene.String(required=True)

    class Meta:
        model = ItemVersion
        name = "ItemVersion"
        fields = [*ITEM_VERSION_FIELDS, "created_at"]  # defined once: county.catalogue.carried
        convert_choices_to_enum = False

    def resolve_materials(self, info):
        return [MaterialType(**m) for m in self.materials]

    def resolve_co_departments(self, info):
        return list(self.co_departments.all())

    def resolve_handling_type_label(self, info):
        return self.get_handling_type_display()


class DelegationType(DjangoObjectType):
    site = graphene.Field(SiteType, required=True)
    active = graphene.Boolean(required=True)

    class Meta:
        model = Delegation
        name = "Delegation"
        fields = ["uid", "mode", "granted_at", "withdrawn_at", "note"]
        convert_choices_to_enum = False

    def resolve_site(self, info):
        return sites_by_id(info)[self.site_id]


class CountableConnection(graphene.relay.Connection):
    total_count = graphene.Int(required=True, description="总数")

    class Meta:
        abstract = True

    def resolve_total_count(self, info):
        return self.length


class ItemType(DjangoObjectType):
    current = graphene.Field(ItemVersionType, required=True, description="当前版本")
    versions = graphene.List(graphene.NonNull(ItemVersionType), required=True)
    delegations = graphene.List(
        graphene.NonNull(DelegationType), required=True, active=graphene.Boolean()
    )

    class Meta:
        model = Item
        name = "Item"
        fields = ["code", "department", "current_version"]
        interfaces = (graphene.relay.Node,)
        connection_class = CountableConnection

    def resolve_versions(self, info):
        return sorted(self.versions.all(), key=lambda v: -v.number)

    def resolve_current(self, info):
        return next(v for v in self.versions.all() if v.number == self.current_version)

    def resolve_delegations(self, info, active=None):
        rows = list(self.delegations.all())
        if active is not None:
            rows = [d for d in rows if (d.withdrawn_at is None) == active]
        return rows
