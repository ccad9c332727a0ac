"""窗口考核 pages at the county: rankings and awards (export to Excel), a window's points
with their sources, and the hall office's daily inspections and point entries."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from county.assessment import selectors as s
from county.assessment.export import rankings_workbook
from county.assessment.forms import EntryForm, PeriodQuery, PublishForm
from county.assessment.models import (
    AssessedStaff,
    AssessedWindow,
    Award,
    AwardKind,
    Inspection,
    PointEntry,
)
from county.assessment.rules import POINTS
from county.assessment.services import (
    COUNTY_ENTRIES,
    INSPECTION_FINDINGS,
    awards_publish,
    county_entry_record,
    inspection_record,
    points_source_label,
)
from sites.feedback.access import (
    may_handle_feedback,
    may_view_rankings,
    may_view_window,
    require,
)
from sites.feedback.models import BAD_LEVELS, Rating

HEADER = ["名次", "窗口", "部门", "得分", "扣分", "加分", "评比结果"]


def _period(request) -> tuple[int, int]:
    today = timezone.localdate()
    query = PeriodQuery(request.GET)
    data = query.cleaned_data if query.is_valid() else {}
    year = data.get("year") or today.year
    month = data.get("month") or today.month
    year = min(max(year, 2000), 2100)
    month = min(max(month, 1), 12)
    return year, month


def _tables(year: int, month: int) -> dict:
    quarter = (month - 1) // 3 + 1
    return {
        "year": year,
        "month": month,
        "quarter": quarter,
        "monthly": s.month_quality_windows(year=year, month=month),
        "staff_monthly": s.staff_standings(
            start=s.month_range(year, month)[0], end=s.month_range(year, month)[1]
        ),
        "quarterly": s.quarter_awards(year=year, quarter=quarter),
        "window_grades": s.annual_window_grades(year=year),
        "staff_grades": s.annual_staff_grades(year=year),
    }


@login_required
def ranking_page(request):
    require(may_view_rankings(user=request.user))
    year, month = _period(request)
    context = _tables(year, month)
    context["may_handle"] = may_handle_feedback(user=request.user)
    context["published"] = Award.objects.filter(
        period__in=[f"{year}-{month:02d}", f"{year}-Q{context['quarter']}", str(year)]
    ).select_related("window", "staff")
    awards = s.rule_value(s.AWARDS.key)
    context["window_quota"] = s.excellent_quota(
        len(context["window_grades"]), float(awards["excellent_window_share"])
    )
    context["staff_quota"] = s.excellent_quota(
        len(context["staff_grades"]), float(awards["excellent_staff_share"])
    )
    # a link only where the ledger opens for this person (no link to a 403)
    context["viewable"] = {
        r.subject.pk
        for r in context["monthly"]
        if may_view_window(
            user=request.user, site_code=r.subject.site_code, number=r.subject.number
        )
    }
    return render(request, "assessment/ranking.html", context)


def _rows(rows, attr: str = "award") -> list[list]:
    out = []
    for r in rows:
        sub = r.subject
        dept = getattr(sub, "department_name", "") or getattr(
            getattr(sub, "window", None), "department_name", ""
        )
        out.append([r.rank, str(sub), dept, r.score, r.deducted, r.added, getattr(r, attr)])
    return out


@login_required
def ranking_export(request):
    require(may_view_rankings(user=request.user))

    year, month = _period(request)
    t = _tables(year, month)
    body = rankings_workbook(
        title=f"{year}年{month}月窗口考核",
        sheets=[
            (f"{month}月排名", HEADER, _rows(t["monthly"])),
            (f"第{t['quarter']}季度评比", HEADER, _rows(t["quarterly"])),
            (f"{year}年窗口等次", [*HEADER[:-1], "等次"], _rows(t["window_grades"], "grade")),
            (f"{year}年人员等次", [*HEADER[:-1], "等次"], _rows(t["staff_grades"], "grade")),
        ],
    )
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="kaohe-{year}-{month:02d}.xlsx"'
    return response


@login_required
def window_page(request, pk: int):
    window = get_object_or_404(AssessedWindow, pk=pk)
    require(may_view_window(user=request.user, site_code=window.site_code, number=window.number))
    year, month = _period(request)
    start, end = s.month_range(year, month)
    entries = list(s.window_ledger(window=window, start=start, end=end))
    labels = POINTS.labels
    for e in entries:
        e.rule_label = labels.get(e.rule, e.rule)
        e.source_label = points_source_label(e.source_type)
    base = s.rule_value(POINTS.key)["base"]

    appealable = Rating.objects.filter(
        window_site=window.site_code,
        window_number=window.number,
        level__in=BAD_LEVELS,
        given_at__date__gte=start,
        given_at__date__lt=end,
    )
    # the ranking's own score: window entries plus the charge for its staff's losses
    # (seed 000 第十七条(二): every 5 points a staff member loses cost the window 2)
    standing = next(r for r in s.window_standings(start=start, end=end) if r.subject.pk == pk)
    charge = s.staff_loss_charges(
        PointEntry.objects.filter(occurred_on__gte=start, occurred_on__lt=end, window=window),
        s.rule_value(POINTS.key),
    ).get(window.pk, 0)
    return render(
        request,
        "assessment/window.html",
        {
            "window": window,
            "entries": entries,
            "year": year,
            "month": month,
            "base": base,
            "score": standing.score,
            "staff_charge": charge,
            "ratings": appealable,
            "error": request.session.pop("feedback_error", None),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def inspection_page(request):
    """日检查 and the county's entries (承诺改即办, 压缩时限, 书面感谢, 事项未进驻)."""
    require(may_handle_feedback(user=request.user))
    error = None
    form = EntryForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and not form.is_valid():
        error = "；".join(f"{form.fields[k].label}：{' '.join(v)}" for k, v in form.errors.items())
    elif request.method == "POST":
        data = form.cleaned_data
        window = get_object_or_404(AssessedWindow, pk=data["window"])
        staff_id = data["staff"]
        staff = get_object_or_404(AssessedStaff, pk=staff_id) if staff_id else None
        who = getattr(getattr(request.user, "staff", None), "name", "") or request.user.username
        try:
            if data["kind"] == "inspection":
                inspection_record(
                    window=window,
                    staff=staff,
                    finding=data["rule"],
                    inspector=who,
                    note=data["note"],
                )
            else:
                county_entry_record(
                    window=window,
                    staff=staff,
                    rule=data["rule"],
                    evidence=data["note"],
                    by=who,
                    on=timezone.localdate(),
                )
            return redirect("assessment:inspections")
        except ValidationError as exc:
            error = "；".join(exc.messages)
    labels = POINTS.labels
    return render(
        request,
        "assessment/inspections.html",
        {
            "error": error,
            "windows": AssessedWindow.objects.all(),
            "staff": AssessedStaff.objects.select_related("window"),
            "findings": [(k, labels[k]) for k in INSPECTION_FINDINGS],
            "entries": [(k, labels[k]) for k in COUNTY_ENTRIES],
            "recent": Inspection.objects.select_related("window", "staff")[:30],
            "labels": labels,
            "today": date.today(),
        },
        status=400 if error else 200,
    )


@login_required
@require_POST
def awards_publish_view(request):
    """The office publishes a period's results as computed (a record; reruns overwrite)."""
    require(may_handle_feedback(user=request.user))
    year, month = _period(request)
    t = _tables(year, month)
    who = getattr(getattr(request.user, "staff", None), "name", "") or request.user.username
    today = timezone.localdate()
    quarter = t["quarter"]
    publish = PublishForm(request.POST)
    kind = publish.cleaned_data["kind"] if publish.is_valid() else ""
    if kind == "quarter":
        for award_kind, title in (
            (AwardKind.RED_FLAG, "流动红旗"),
            (AwardKind.EXCELLENT_WINDOW, "优秀窗口"),
        ):
            rows = [r for r in t["quarterly"] if r.award == title]
            awards_publish(
                rows=rows, kind=award_kind, period=f"{year}-Q{quarter}", by=who, on=today
            )
    elif kind == "month":
        rows = [r for r in t["monthly"] if r.award]
        awards_publish(
            rows=rows, kind=AwardKind.QUALITY_WINDOW, period=f"{year}-{month:02d}", by=who, on=today
        )
    elif kind == "year":
        awards_publish(
            rows=t["window_grades"], kind=AwardKind.WINDOW_GRADE, period=str(year), by=who, on=today
        )
        awards_publish(
            rows=t["staff_grades"], kind=AwardKind.STAFF_GRADE, period=str(year), by=who, on=today
        )
    return redirect(f"{reverse('assessment:ranking')}?year={year}&month={month}")
