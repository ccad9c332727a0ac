"""What a township or village hall's staff see of the assessment at their own hall (issue
22): their hall's windows in the county's month ranking (score, rank, award, 第二十五条
reasons), the points behind them, complaints about them, and the person's own points and
rank. Asked by the hall with a signed request (hall_api.py); computed here from the same
selectors as the county's ranking, so both say the same. No citizen's personal data: a
complaint is shown by number, date, window and progress; other staff's names are not sent.
"""

from __future__ import annotations

from django.utils import timezone

from county.assessment import selectors as s
from county.assessment.models import PointEntry
from county.assessment.rules import POINTS_LABELS
from sites.feedback.models import Complaint, ComplaintStep


def _window_row(r: s.Standing) -> dict:
    w = r.subject
    return {
        "number": w.number,
        "name": w.name,
        "department": w.department_name,
        "score": r.score,
        "deducted": r.deducted,
        "added": r.added,
        "rank": r.rank,
        "award": r.award,
        "ineligible": list(r.ineligible),
    }


def hall_assessment(*, site: str, username: str, year: int, month: int) -> dict:
    start, end = s.month_range(year, month)
    ranking = s.month_quality_windows(year=year, month=month)
    windows = [_window_row(r) for r in ranking if r.subject.site_code == site]
    staff_rows = s.staff_standings(start=start, end=end)
    me = next(
        (
            r
            for r in staff_rows
            if r.subject.site_code == site and r.subject.username == username and username
        ),
        None,
    )
    entries = (
        PointEntry.objects.filter(
            window__site_code=site, occurred_on__gte=start, occurred_on__lt=end
        )
        .select_related("window", "staff")
        .order_by("occurred_on", "id")
    )
    ledger = [
        {
            "date": e.occurred_on.isoformat(),
            "window": e.window.number,
            "rule": POINTS_LABELS.get(e.rule, e.rule),
            "points": e.points,
            "note": e.note,
            "mine": bool(e.staff and e.staff.username == username),
            "staff": bool(e.staff_id),
        }
        for e in entries[:500]
    ]
    complaints = [
        {
            "number": c.number,
            "filed_on": timezone.localdate(c.filed_at).isoformat(),
            "window": c.window_number,
            "step": ComplaintStep(c.step).label if c.step in ComplaintStep.values else c.step,
            "upheld": c.upheld,
            "mine": bool(username and c.staff_username == username),
        }
        for c in Complaint.objects.filter(
            window_site=site, filed_at__date__gte=start, filed_at__date__lt=end
        ).order_by("filed_at", "id")[:200]
    ]
    return {
        "year": year,
        "month": month,
        "ranked": len(ranking),
        "windows": windows,
        "me": {"score": me.score, "rank": me.rank, "of": len(staff_rows)} if me else None,
        "ledger": ledger,
        "complaints": complaints,
    }
