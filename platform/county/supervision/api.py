"""REST for e-supervision: the same figures, lights and orders as the pages; thin views
that ask county.supervision.access, read through selectors and write through orders."""

from __future__ import annotations

from django.utils import timezone
from django.utils.dateparse import parse_date
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from county.supervision import selectors as sel
from county.supervision.access import (
    access_supervision,
    can_answer_order,
    can_issue_order,
    feed_codes,
    hall_feed_codes,
    supervised_codes,
)
from county.supervision.alerts import ALERT_COLUMNS
from county.supervision.models import Alert, AlertLevel, OrderState, SupervisionOrder
from county.supervision.orders import order_answer, order_issue
from permissions.access import DENIED_MESSAGE
from permissions.rest import IsStaff
from sites.registry.selectors import site_current
from sites.registry.tier import here


class FiguresSerializer(serializers.Serializer):
    key = serializers.CharField(required=False, help_text="分组：站点、部门、事项编码或月份")
    received = serializers.IntegerField(help_text="收件")
    accepted = serializers.IntegerField(help_text="受理")
    concluded = serializers.IntegerField(help_text="办结")
    same_day = serializers.IntegerField(help_text="当日办结")
    on_time = serializers.IntegerField(help_text="按时办结")
    overdue = serializers.IntegerField(help_text="超时")
    deemed = serializers.IntegerField(help_text="逾期默认同意")
    supplements = serializers.IntegerField(help_text="补办件(一次性告知)")
    supplements_returned = serializers.IntegerField(help_text="补办件补齐")
    supplement_return_rate = serializers.FloatField(allow_null=True, help_text="补办件补齐率")
    rated = serializers.IntegerField(help_text="已评价办结件")
    rating_rate = serializers.FloatField(allow_null=True, help_text="评价率")
    satisfaction_rate = serializers.FloatField(allow_null=True, help_text="满意度")
    completion_rate = serializers.FloatField(allow_null=True, help_text="办结率")
    same_day_rate = serializers.FloatField(allow_null=True, help_text="日结率")
    on_time_rate = serializers.FloatField(allow_null=True, help_text="按时办结率")
    avg_accept_days = serializers.FloatField(allow_null=True, help_text="平均受理用时(工作日)")
    avg_handle_days = serializers.FloatField(allow_null=True, help_text="平均办理用时(工作日)")
    promised_speedup_rate = serializers.FloatField(allow_null=True, help_text="承诺提速率")
    actual_speedup_rate = serializers.FloatField(allow_null=True, help_text="实际提速率")
    # 四率 (seed 000; county.supervision.four_rates says how each is counted)
    items_due = serializers.IntegerField(help_text="应进事项(站点×事项)")
    items_in_hall = serializers.IntegerField(help_text="已进厅事项")
    integration_rate = serializers.FloatField(allow_null=True, help_text="审批职能整合率")
    in_hall_rate = serializers.FloatField(allow_null=True, help_text="应进事项进厅率")
    authorised_rate = serializers.FloatField(allow_null=True, help_text="窗口授权到位率")
    hall_completion_rate = serializers.FloatField(allow_null=True, help_text="进厅事项办结率")


class ReportSerializer(serializers.Serializer):
    site = serializers.CharField()
    period = serializers.CharField(help_text="统计期")
    start = serializers.DateField()
    end = serializers.DateField()
    total = FiguresSerializer()
    rows = FiguresSerializer(many=True)


class AlertSerializer(serializers.ModelSerializer):
    # Plain texts, not enums: the names `level`/`step` must not rename other apps' enums.
    level = serializers.CharField(help_text="warning 黄灯预警 / overdue 红灯超时")
    step = serializers.CharField(
        help_text="case 办件时限 / deferred 容缺 / supplement 补正 / part 联办"
    )

    class Meta:
        model = Alert
        fields = ALERT_COLUMNS  # the columns an alert is filed with (alerts.py)


class OrderSerializer(serializers.ModelSerializer):
    state = serializers.CharField(help_text="open 待答复 / answered 已答复")

    class Meta:
        model = SupervisionOrder
        fields = [
            "code",
            "case_number",
            "site_code",
            "department_code",
            "item_code",
            "item_name",
            "reason",
            "days",
            "due",
            "issued_by",
            "issued_at",
            "state",
            "answer",
            "answered_by",
            "answered_at",
            "overdue_at",
        ]


class OrderIssueSerializer(serializers.Serializer):
    case = serializers.CharField(max_length=64, help_text="办件编号")
    reason = serializers.CharField(max_length=500, help_text="督办事由")
    days = serializers.IntegerField(required=False, min_value=1, max_value=30)


class OrderAnswerSerializer(serializers.Serializer):
    answer = serializers.CharField(max_length=1000, help_text="答复")


def _county() -> None:
    if not here().keeps_read_model:
        raise NotFound("电子监察统计只在县政务服务中心。")


SCOPE = [
    OpenApiParameter("site", str, description="站点编码(含其下级站点)，默认全县"),
    OpenApiParameter("kind", str, description="day / month / quarter / year"),
    OpenApiParameter("period", str, description="如 2026-11-03、2026-11、2026-Q4、2026"),
]


@extend_schema(
    summary="统计(站点及下级、周期、分组)",
    parameters=[*SCOPE, OpenApiParameter("by", str, description="site/department/item/month/day")],
    responses=ReportSerializer,
)
class Figures(APIView):
    permission_classes = [IsStaff]

    def get(self, request):
        _county()
        p = request.query_params
        site = access_supervision(user=request.user, code=p.get("site") or "county")
        try:
            period = sel.period_parse(
                kind=p.get("kind"), value=p.get("period"), today=timezone.localdate()
            )
        except ValueError as exc:
            return Response({"period": [str(exc)]}, status=400)
        by = p.get("by") if p.get("by") in sel.GROUPS else None
        codes = sel.subtree_codes(code=site.code)
        if by:
            total, rows = sel.figures_with_total(period=period, sites=codes, by=by)
        else:
            total, rows = sel.figures(period=period, sites=codes), []
        data = {
            "site": site.code,
            "period": period.label,
            "start": period.start,
            "end": period.end,
            "total": total,
            "rows": rows,
        }
        return Response(ReportSerializer(data).data)


@extend_schema(
    summary="月度趋势",
    parameters=[
        OpenApiParameter("site", str),
        OpenApiParameter("until", str, description="截至日期(默认今天)"),
        OpenApiParameter("months", int, description="月数(1-36，默认12)"),
    ],
    responses=FiguresSerializer(many=True),
)
class Trend(APIView):
    permission_classes = [IsStaff]

    def get(self, request):
        _county()
        p = request.query_params
        site = access_supervision(user=request.user, code=p.get("site") or "county")
        until = parse_date(p.get("until") or "") or timezone.localdate()
        try:
            months = min(max(int(p.get("months") or 12), 1), 36)
        except ValueError:
            months = 12
        rows = sel.trend(sites=sel.subtree_codes(code=site.code), until=until, months=months)
        return Response(FiguresSerializer(rows, many=True).data)


def _feed_codes(request):
    return feed_codes(user=request.user, here=site_current())


@extend_schema(
    summary="预警(黄灯、红灯)",
    parameters=[OpenApiParameter("level", str, description="warning / overdue")],
    responses=AlertSerializer(many=True),
)
class Alerts(APIView):
    permission_classes = [IsStaff]

    def get(self, request):
        level = request.query_params.get("level")
        level = level if level in AlertLevel.values else None
        rows = sel.alert_list(sites=_feed_codes(request), level=level)[:200]
        return Response(AlertSerializer(rows, many=True).data)


class Orders(APIView):
    permission_classes = [IsStaff]

    @extend_schema(
        summary="督办单列表",
        parameters=[OpenApiParameter("state", str, description="open / answered")],
        responses=OrderSerializer(many=True),
    )
    def get(self, request):
        if here().issues_orders and can_issue_order(user=request.user):
            codes = supervised_codes(user=request.user)
        else:
            codes = [site_current().code] if _feed_codes(request) else []
        state = request.query_params.get("state")
        state = state if state in OrderState.values else None
        rows = sel.order_list(sites=codes, state=state)[:200]
        return Response(OrderSerializer(rows, many=True).data)

    @extend_schema(
        summary="发出督办单(县级监管员)", request=OrderIssueSerializer, responses=OrderSerializer
    )
    def post(self, request):
        _county()
        if not can_issue_order(user=request.user):
            raise PermissionDenied(DENIED_MESSAGE)
        given = OrderIssueSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        order = order_issue(
            case_number=given.validated_data["case"],
            by=request.user,
            reason=given.validated_data["reason"],
            days=given.validated_data.get("days"),
        )
        return Response(OrderSerializer(order).data, status=201)


@extend_schema(
    summary="答复督办单(办件所在站点的窗口)",
    request=OrderAnswerSerializer,
    responses=OrderSerializer,
)
class OrderAnswer(APIView):
    permission_classes = [IsStaff]

    def post(self, request, code: str):
        here = site_current()
        order = SupervisionOrder.objects.filter(code=code, site_code=here.code).first()
        if order is None or not hall_feed_codes(user=request.user, here=here):
            raise NotFound("未找到。")
        if not can_answer_order(user=request.user, order=order, here=here):
            raise PermissionDenied(DENIED_MESSAGE)
        given = OrderAnswerSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        order = order_answer(order=order, by=request.user, answer=given.validated_data["answer"])
        return Response(OrderSerializer(order).data)
