"""Calendar API: the announced years, and the working-day arithmetic for any date."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from county.workdays.models import CalendarDay, CalendarYear
from county.workdays.selectors import add_working_days


class CalendarDaySerializer(serializers.ModelSerializer):
    class Meta:
        model = CalendarDay
        fields = ["date", "kind", "name"]


class CalendarYearSerializer(serializers.ModelSerializer):
    days = CalendarDaySerializer(many=True, read_only=True)

    class Meta:
        model = CalendarYear
        fields = ["year", "source", "notice", "updated_at", "days"]


class CalendarYearList(generics.ListAPIView):
    """工作日历: each announced year with its holidays and make-up working days."""

    permission_classes = [AllowAny]
    serializer_class = CalendarYearSerializer
    pagination_class = None
    queryset = CalendarYear.objects.prefetch_related("days").order_by("year")


class AddWorkingDaysQuery(serializers.Serializer):
    start = serializers.DateField(help_text="起算日期(不计入)")
    days = serializers.IntegerField(min_value=0, max_value=3650, help_text="工作日数")


class AddWorkingDaysResult(serializers.Serializer):
    start = serializers.DateField()
    days = serializers.IntegerField()
    date = serializers.DateField(help_text="到期日")
    provisional = serializers.BooleanField(help_text="该年日历未公布，按周一至周五暂算")


class AddWorkingDays(APIView):
    """到期日计算: `days` working days after `start`."""

    permission_classes = [AllowAny]

    @extend_schema(parameters=[AddWorkingDaysQuery], responses=AddWorkingDaysResult)
    def get(self, request):
        query = AddWorkingDaysQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        start, days = query.validated_data["start"], query.validated_data["days"]
        result = add_working_days(start, days)
        return Response(
            AddWorkingDaysResult(
                {
                    "start": start,
                    "days": days,
                    "date": result.date,
                    "provisional": result.provisional,
                }
            ).data
        )
