"""The county's GraphQL view across sites (read-only)."""

from __future__ import annotations

import graphene
from django.db.models import F, Prefetch
from graphene_django.fields import DjangoConnectionField

from county.catalogue.models import Item, ItemVersion
from county.graph.cases_query import CasesQuery
from county.graph.catalogue_types import ItemType, SiteType
from county.graph.citizen import CitizenQuery
from county.graph.joint_types import JointQuery
from county.graph.loaders import sites_by_id
from county.supervision.graph import SupervisionQuery


def items_queryset():
    versions = ItemVersion.objects.select_related("department").prefetch_related("co_departments")
    return (
        Item.objects.select_related("department")
        .prefetch_related(Prefetch("versions", queryset=versions), "delegations")
        .order_by("code")
    )


class CatalogueQuery(graphene.ObjectType):
    sites = graphene.List(graphene.NonNull(SiteType), required=True, description="全部站点")
    site = graphene.Field(SiteType, code=graphene.String(required=True))
    items = DjangoConnectionField(
        ItemType,
        department=graphene.String(),
        handling_type=graphene.String(),
        delegated_to=graphene.String(description="下放到该站点(含已收回)"),
    )
    item = graphene.Field(ItemType, code=graphene.String(required=True))

    def resolve_sites(self, info):
        return sorted(sites_by_id(info).values(), key=lambda s: s.path)

    def resolve_site(self, info, code):
        return next((s for s in sites_by_id(info).values() if s.code == code), None)

    def resolve_items(self, info, department=None, handling_type=None, delegated_to=None, **_):
        qs = items_queryset()
        if department:
            qs = qs.filter(department__code=department)
        if handling_type:  # of the current version
            qs = qs.filter(
                versions__handling_type=handling_type, versions__number=F("current_version")
            )
        if delegated_to:
            qs = qs.filter(delegations__site__code=delegated_to).distinct()
        return qs

    def resolve_item(self, info, code):
        return items_queryset().filter(code=code).first()


class Query(
    CitizenQuery, CasesQuery, CatalogueQuery, JointQuery, SupervisionQuery, graphene.ObjectType
):
    node = graphene.relay.Node.Field()


schema = graphene.Schema(query=Query)
