"""At the county: ratings and complaints from every hall (run in the inbox transaction;
the inbox's unique (origin, id) and the unique case number make a rating count once)."""

from __future__ import annotations

from sites.feedback.models import Complaint, Rating
from sites.feedback.outbound import ANSWER_TYPE, COMPLAINT_TYPE, RATING_TYPE
from sync.api import DateTime, Obj, Reject, Str, applier, fanin, issuer_of, of


# Each value's limits come from the column it is written to at the county (sync.schema.of).
def _f(model, name: str, **changes):
    return of(model._meta.get_field(name), **changes)


_WHERE = {
    name: _f(Rating, name)
    for name in (
        "case_number",
        "window_site",
        "window_site_name",
        "window_number",
        "window_name",
        "department_code",
        "department_name",
        "staff_username",
        "staff_name",
    )
}
RATING = Obj(
    _WHERE
    | {
        "item_name": _f(Rating, "item_name"),
        # a served queue number's rating
        "ticket_label": _f(Rating, "ticket_label", required=False),
        "level": _f(Rating, "level", blank=False),
        "channel": _f(Rating, "channel", blank=False),
        "comment": _f(Rating, "comment"),
        "given_at": _f(Rating, "given_at"),
        "given_site": _f(Rating, "given_site", blank=False),
    }
)
COMPLAINT = Obj(
    _WHERE
    | {
        "case_number": _f(Complaint, "case_number"),
        "number": _f(Complaint, "number", blank=False),
        "content": _f(Complaint, "content", blank=False),
        "filed_at": _f(Complaint, "filed_at"),
        "filed_site": _f(Complaint, "filed_site", blank=False),
    }
)


@applier(RATING_TYPE, payload=RATING)
def rating_received(envelope) -> None:
    from sites.feedback.models import Level
    from sites.feedback.services import rating_arrive

    payload = envelope.payload
    if payload["level"] not in Level.values or not payload["case_number"]:
        raise Reject("评价内容不完整")
    if payload["given_site"] != envelope.origin:
        raise Reject("评价站点与消息来源不符")
    if not _may_rate(envelope.origin, payload["case_number"]):
        # the first rating of a number stands: a hall may not pre-empt another's (issue 25)
        raise Reject(f"评价的办件或排队号不属于 {envelope.origin}")
    rating_arrive(payload=payload, origin=envelope.origin)


def _may_rate(origin: str, key: str) -> bool:
    """A served queue number ("PD-<hall>-...") is rated at its hall only; a case at a hall
    on its route as the county's read model knows it (filed, owning, deciding), or, before
    the read model has it, on the branch of the hall that issued its number (a case moves
    only up and down its branch of the tree)."""
    from county.readmodel.models import CaseRecord
    from sites.registry.models import Site

    if key.startswith("PD-"):
        return issuer_of(key[3:]) == origin
    record = (
        CaseRecord.objects.filter(number=key)
        .only("origin_site", "owner_site", "decided_site")
        .first()
    )
    if record is not None:
        return origin in (record.origin_site, record.owner_site, record.decided_site)
    issuer = issuer_of(key)
    if issuer in (None, origin):
        return True
    paths = dict(Site.objects.filter(code__in=[issuer, origin]).values_list("code", "path"))
    if len(paths) < 2:
        return False
    return paths[origin].startswith(paths[issuer]) or paths[issuer].startswith(paths[origin])


@applier(COMPLAINT_TYPE, payload=COMPLAINT)
def complaint_received(envelope) -> None:
    from sites.feedback.services import complaint_arrive

    if envelope.payload["filed_site"] != envelope.origin:
        raise Reject("投诉站点与消息来源不符")
    # The number carries no hall prefix (decision 0020): the hall that filed it first owns
    # it, and another hall's complaint with the same number is refused, not merged away.
    taken = (
        Complaint.objects.filter(number=envelope.payload["number"])
        .exclude(filed_site=envelope.origin)
        .values_list("filed_site", flat=True)
        .first()
    )
    if taken:
        raise Reject(f"投诉编号已由{taken}使用")
    complaint_arrive(payload=envelope.payload)


ANSWER = Obj(
    {
        "kind": Str(max_length=10, blank=False),
        "key": Str(max_length=64, blank=False),
        "state": Str(max_length=12),
        "reply": Str(max_length=1000),
        "at": DateTime(),
    }
)


@applier(ANSWER_TYPE, payload=ANSWER)
def answer_received(envelope) -> None:
    """At the hall where it was filed: the county's progress and reply, for the citizen."""
    from sites.feedback.services import answer_apply

    if envelope.origin != fanin():
        raise Reject("只有县级中心答复评价和投诉")
    if not answer_apply(payload=envelope.payload):
        raise Reject("本站没有该评价或投诉")
