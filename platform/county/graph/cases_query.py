"""Cases across all halls: filters, keyset pages, and who may see which."""

from __future__ import annotations

import graphene
from django.db.models import QuerySet
from graphql import GraphQLError

from county.catalogue.models import Item
from county.graph.case_loaders import page_numbers
from county.graph.case_types import (
    CaseConnectionType,
    CaseEdgeType,
    CasePageInfoType,
    CaseType,
)
from county.graph.pagination import encode_cursor, keyset_page
from county.readmodel.models import CaseRecord
from permissions.access import case_records_for_user
from sites.registry.models import Site

LOGIN_REQUIRED = "需要工作人员登录。"


def visible_records(info) -> QuerySet[CaseRecord]:
    """The read-model rows this staff user may see; permissions/access.py decides."""
    user = info.context.user
    if not user.is_authenticated:
        raise GraphQLError(LOGIN_REQUIRED)
    return case_records_for_user(user=user, queryset=CaseRecord.objects.all())


def _subtree_codes(code: str):
    site = Site.objects.filter(code=code).first()
    if site is None:
        raise GraphQLError(f"没有站点 {code}。")
    return Site.objects.filter(path__startswith=site.path).values("code")


class CasesQuery(graphene.ObjectType):
    cases = graphene.Field(
        CaseConnectionType,
        required=True,
        first=graphene.Int(description="每页条数(1-100，默认20)"),
        after=graphene.String(),
        site=graphene.String(description="站点编码：含其下级站点"),
        item=graphene.String(description="事项编码"),
        department=graphene.String(description="部门编码"),
        status=graphene.String(),
        clock_state=graphene.String(),
        submitted_from=graphene.Date(),
        submitted_to=graphene.Date(),
        description="全县办件(按收件时间倒序)",
    )
    case = graphene.Field(CaseType, number=graphene.String(required=True))

    def resolve_cases(self, info, first=None, after=None, **filters):
        qs = _filter(visible_records(info), **filters)
        page = keyset_page(qs, field="submitted_at", first=first, after=after)
        page_numbers(info, page.rows)
        edges = [
            CaseEdgeType(cursor=encode_cursor(r.submitted_at, r.pk), node=r) for r in page.rows
        ]
        result = CaseConnectionType(
            edges=edges,
            page_info=CasePageInfoType(
                has_next_page=page.has_next, end_cursor=edges[-1].cursor if edges else None
            ),
        )
        result.page = page
        return result

    def resolve_case(self, info, number):
        return visible_records(info).filter(number=number).first()


def _filter(
    qs,
    *,
    site=None,
    item=None,
    department=None,
    status=None,
    clock_state=None,
    submitted_from=None,
    submitted_to=None,
):
    if site:
        qs = qs.filter(owner_site__in=_subtree_codes(site))
    if item:
        qs = qs.filter(item_code=item)
    if department:
        qs = qs.filter(
            item_code__in=Item.objects.filter(department__code=department).values("code")
        )
    if status:
        qs = qs.filter(status=status)
    if clock_state:
        qs = qs.filter(clock_state=clock_state)
    if submitted_from:
        qs = qs.filter(submitted_at__date__gte=submitted_from)
    if submitted_to:
        qs = qs.filter(submitted_at__date__lte=submitted_to)
    return qs
