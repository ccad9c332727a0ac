"""Feedback messages: the rating and complaint payloads (their limits from the columns), the
complaints from every hall arriving at the county (a copy is kept where filed), and the
county's answers arriving where a rating or complaint was given. A rating's arrival at the
county costs points, so its applier is county.assessment.appliers.rating_received. All run
in the inbox transaction; the inbox's unique (origin, id) and the unique case number make a
rating count once."""

from __future__ import annotations

from sites.feedback.models import Complaint, Rating
from sites.feedback.outbound import ANSWER_TYPE, COMPLAINT_TYPE
from sites.feedback.services import answer_apply, complaint_arrive
from sync.api import DateTime, Obj, Reject, Str, applier, fanin, of


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


@applier(COMPLAINT_TYPE, payload=COMPLAINT)
def complaint_received(envelope) -> None:
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
    if envelope.origin != fanin():
        raise Reject("只有县级中心答复评价和投诉")
    if not answer_apply(payload=envelope.payload):
        raise Reject("本站没有该评价或投诉")
