"""The hall's waiting statistics as JSON, for the county dashboard (it asks each hall: the
tickets stay in the hall's own database)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from sites.queueing.access import can_view_queue_statistics
from sites.queueing.selectors import period_from, queue_statistics
from sites.registry.selectors import site_current

_summary = {
    "called": serializers.IntegerField(),
    "wait_p50_min": serializers.FloatField(allow_null=True),
    "wait_p95_min": serializers.FloatField(allow_null=True),
}
STATISTICS = inline_serializer(
    "QueueStatistics",
    {
        "site": serializers.CharField(),
        "from": serializers.DateField(),
        "to": serializers.DateField(),
        "overall": inline_serializer(
            "QueueStatisticsOverall",
            {
                **_summary,
                "taken": serializers.IntegerField(),
                "no_shows": serializers.IntegerField(),
                "skipped": serializers.IntegerField(),
                "unserved": serializers.IntegerField(help_text="当天闭厅时仍在等候、未被叫到的号"),
            },
        ),
        "departments": inline_serializer(
            "QueueStatisticsDepartment",
            {
                **_summary,
                "code": serializers.CharField(),
                "name": serializers.CharField(),
                "taken": serializers.IntegerField(),
                "served": serializers.IntegerField(),
                "skipped": serializers.IntegerField(),
                "unserved": serializers.IntegerField(help_text="当天闭厅时仍在等候、未被叫到的号"),
                "appointments": serializers.IntegerField(),
                "no_shows": serializers.IntegerField(),
                "serve_p50_min": serializers.FloatField(allow_null=True),
                "hours": inline_serializer(
                    "QueueStatisticsHour",
                    {**_summary, "hour": serializers.IntegerField()},
                    many=True,
                ),
            },
            many=True,
        ),
    },
)


class QueueStatisticsView(APIView):
    """排队统计: waiting time p50/p95 (minutes) per department and Beijing hour, no-shows."""

    @extend_schema(
        parameters=[
            OpenApiParameter("from", OpenApiTypes.DATE, description="起始日(北京时间)，默认7天前"),
            OpenApiParameter("to", OpenApiTypes.DATE, description="截止日(北京时间)，默认今天"),
        ],
        responses=STATISTICS,
    )
    def get(self, request):
        here = site_current()
        if not can_view_queue_statistics(user=request.user, site=here):
            raise PermissionDenied("无权查看本大厅排队统计。")
        try:
            day_from, day_to = period_from(request.query_params)
        except ValueError as exc:
            raise ValidationError({"to": str(exc)}) from exc
        return Response(queue_statistics(site=here, day_from=day_from, day_to=day_to))
