"""How 联办件 plug into the case lifecycle (sites.cases.lifecycle): registered for the
joint handling type when the app is ready, so sites.cases never imports this app."""

from __future__ import annotations

from sites.cases import lifecycle
from sites.cases.models import EventType
from sites.joint.services import countersign_check, parts_cancel, parts_open


class JointHooks(lifecycle.CaseHooks):
    def accepted(self, *, case, by, here, at, assignments) -> bool:
        """一口受理: accepted where it is decided, one part per co-department goes out."""
        if not lifecycle.may_decide(case, here):
            return False  # accepted to be forwarded: the deciding hall opens the parts
        parts_open(case=case, by=by, at=at, assignments=assignments)
        return True

    def before_decide(self, *, case, by, here, at, outcome, resolution) -> None:
        """集中会签: every part answered, disagreements resolved, recorded before the decision."""
        data = countersign_check(case=case, outcome=outcome, resolution=resolution)
        lifecycle.event_record(
            case, type=EventType.COUNTERSIGNED, by=by, here=here, at=at, data=data
        )

    def closed(self, *, case, here) -> None:
        parts_cancel(case=case, here=here)
