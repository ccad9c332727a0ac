"""The citizen's `caseStatus(number, queryCode)`: public, rate limited, no personal data.

Answered from the county's read model, so it works for a case filed at any hall once that
hall's events reached the county; the answer says when the county last heard from the hall
that has the case now.
"""

from __future__ import annotations

import graphene
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from graphql import GraphQLError

from county.graph.loaders import choice_label
from county.readmodel.models import CaseFact, CaseRecord
from permissions.citizen import NO_ANSWER, TOO_MANY, citizen_address, citizen_request_limit
from permissions.ratelimit import RateLimited
from sites.cases.models import CaseStatus, EventType, Outcome
from sites.cases.querycode import query_code_hash, query_code_matches
from sites.delivery.models import DeliveryRecord, DeliveryStatus
from sites.registry.models import Site, Tier
from sync.selectors import origin_last_heard_subquery

# Steps a citizen sees; internal ones (assignment to a clerk) stay inside the halls.
PUBLIC_STEPS = {
    EventType.SUBMITTED,
    EventType.ACCEPTED,
    EventType.REFUSED,
    EventType.SUPPLEMENT_REQUESTED,
    EventType.SUPPLEMENT_COMPLETED,
    EventType.EXTENDED,
    EventType.DECIDED,
    EventType.RETURNED,
    EventType.WITHDRAWN,
    EventType.FORWARDED,
    EventType.HANDED_BACK,
}


class PublicStepType(graphene.ObjectType):
    label = graphene.String(required=True, description="环节")
    at = graphene.DateTime(required=True)
    hall = graphene.String(required=True, description="办理站点")


class CaseStatusType(graphene.ObjectType):
    number = graphene.String(required=True)
    item_name = graphene.String(required=True, description="事项名称")
    status_label = graphene.String(required=True, description="办理状态")
    outcome_label = graphene.String(description="办理结果")
    hall = graphene.String(required=True, description="当前办理站点")
    hall_tier = graphene.String(required=True, description="站点层级")
    accepted_on = graphene.Date(description="受理日期")
    promised_on = graphene.Date(description="承诺办结日期")
    promised_provisional = graphene.Boolean(required=True, description="承诺日期为暂算")
    steps = graphene.List(graphene.NonNull(PublicStepType), required=True)
    last_heard_at = graphene.DateTime(description="县级中心最后收到该站点消息的时间")
    delivery_status_label = graphene.String(
        description="结果送达状态(待领取/已领取/已寄出)，按县级中心最后收到的送达站点消息"
    )


def case_status_record(number: str) -> CaseRecord | None:
    """The case's row with its owner hall's name and tier and when the county last heard
    from that hall, in one query."""
    owner = Site.objects.filter(code=OuterRef("owner_site"))
    return (
        CaseRecord.objects.filter(number=number)
        .annotate(
            owner_name=Subquery(owner.values("name")[:1]),
            owner_tier=Subquery(owner.values("tier")[:1]),
            owner_last_heard=origin_last_heard_subquery(OuterRef("owner_site")),
            delivery_status=Subquery(
                DeliveryRecord.objects.filter(number=OuterRef("number")).values("status")[:1]
            ),
        )
        .first()
    )


def case_status_answer(record: CaseRecord) -> CaseStatusType:
    """The public answer for a row of case_status_record: its steps (with each hall's name)
    in one more query."""
    facts = (
        CaseFact.objects.filter(number=record.number, type__in=PUBLIC_STEPS)
        .annotate(
            hall_name=Subquery(Site.objects.filter(code=OuterRef("site_code")).values("name")[:1])
        )
        .order_by("seq")
    )
    steps = [
        PublicStepType(
            label=choice_label(EventType, f.type), at=f.at, hall=f.hall_name or f.site_code
        )
        for f in facts
    ]
    return CaseStatusType(
        number=record.number,
        item_name=record.item_name,
        status_label=choice_label(CaseStatus, record.status),
        outcome_label=choice_label(Outcome, record.outcome) if record.outcome else None,
        hall=record.owner_name or record.owner_site,
        hall_tier=choice_label(Tier, record.owner_tier) if record.owner_tier else "",
        accepted_on=timezone.localdate(record.accepted_at) if record.accepted_at else None,
        promised_on=record.deadline,
        promised_provisional=record.deadline_provisional,
        steps=steps,
        last_heard_at=record.owner_last_heard,
        delivery_status_label=(
            choice_label(DeliveryStatus, record.delivery_status)
            if getattr(record, "delivery_status", None)
            else None
        ),
    )


class CitizenQuery(graphene.ObjectType):
    case_status = graphene.Field(
        CaseStatusType,
        number=graphene.String(required=True),
        query_code=graphene.String(required=True),
        description="办件进度查询：凭通知书上的办件编号和查询码",
    )

    def resolve_case_status(self, info, number, query_code):
        try:
            citizen_request_limit(info.context, address=citizen_address(info.context))
        except RateLimited as exc:
            raise GraphQLError(TOO_MANY) from exc
        number, query_code = number.strip()[:64], query_code.strip()[:32]
        record = case_status_record(number) if number else None
        if record is None:
            query_code_hash(number=number, code=query_code)  # same work as a real check
            raise GraphQLError(NO_ANSWER)
        if not query_code_matches(number=number, code=query_code, stored=record.query_code_hash):
            raise GraphQLError(NO_ANSWER)
        return case_status_answer(record)
