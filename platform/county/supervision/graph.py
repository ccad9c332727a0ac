"""GraphQL (county): the supervision figures, the trend and the lights, read from the
rolled-up rows; who may see them is decided by county.supervision.access."""

from __future__ import annotations

import graphene
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from graphql import GraphQLError

from county.supervision import selectors as sel
from county.supervision.access import access_supervision, supervised_codes
from county.supervision.models import AlertLevel

LOGIN_REQUIRED = "需要工作人员登录。"
DENIED = "无权查看该站点的电子监察统计。"


class FiguresType(graphene.ObjectType):
    key = graphene.String(description="分组：站点、部门、事项编码或月份")
    name = graphene.String(description="分组名称")
    received = graphene.Int(required=True, description="收件")
    accepted = graphene.Int(required=True, description="受理")
    concluded = graphene.Int(required=True, description="办结")
    same_day = graphene.Int(required=True, description="当日办结")
    on_time = graphene.Int(required=True, description="按时办结")
    overdue = graphene.Int(required=True, description="超时")
    deemed = graphene.Int(required=True, description="逾期默认同意")
    supplements = graphene.Int(required=True, description="补办件(一次性告知)")
    supplements_returned = graphene.Int(required=True, description="补办件补齐")
    supplement_return_rate = graphene.Float(description="补办件补齐率")
    rated = graphene.Int(required=True, description="已评价办结件")
    rating_rate = graphene.Float(description="评价率")
    satisfaction_rate = graphene.Float(description="满意度")
    completion_rate = graphene.Float(description="办结率")
    same_day_rate = graphene.Float(description="日结率")
    on_time_rate = graphene.Float(description="按时办结率")
    avg_accept_days = graphene.Float(description="平均受理用时(工作日)")
    avg_handle_days = graphene.Float(description="平均办理用时(工作日)")
    promised_speedup_rate = graphene.Float(description="承诺提速率")
    actual_speedup_rate = graphene.Float(description="实际提速率")
    items_due = graphene.Int(required=True, description="应进事项(站点×事项)")
    items_in_hall = graphene.Int(required=True, description="已进厅事项")
    integration_rate = graphene.Float(description="审批职能整合率")
    in_hall_rate = graphene.Float(description="应进事项进厅率")
    authorised_rate = graphene.Float(description="窗口授权到位率")
    hall_completion_rate = graphene.Float(description="进厅事项办结率")


class SupervisionReportType(graphene.ObjectType):
    site = graphene.String(required=True)
    period = graphene.String(required=True, description="统计期")
    start = graphene.Date(required=True)
    end = graphene.Date(required=True)
    total = graphene.Field(FiguresType, required=True)
    rows = graphene.List(graphene.NonNull(FiguresType), required=True)


class AlertType(graphene.ObjectType):
    number = graphene.String(required=True)
    level = graphene.String(required=True, description="warning 黄灯 / overdue 红灯")
    step = graphene.String(required=True, description="case / deferred / supplement / part")
    site_code = graphene.String(required=True, description="责任站点")
    department_code = graphene.String(required=True, description="责任部门")
    item_code = graphene.String(required=True)
    item_name = graphene.String(required=True)
    deadline = graphene.Date()
    fired_at = graphene.DateTime(required=True)


def _site(info, code: str):
    user = info.context.user
    if not user.is_authenticated:
        raise GraphQLError(LOGIN_REQUIRED)
    try:
        return access_supervision(user=user, code=code)
    except (PermissionDenied, Http404):
        raise GraphQLError(DENIED) from None


def _figures(row: dict, names: dict) -> FiguresType:
    return FiguresType(name=names.get(row.get("key"), row.get("key")), **row)


class SupervisionQuery(graphene.ObjectType):
    supervision_figures = graphene.Field(
        SupervisionReportType,
        required=True,
        site=graphene.String(default_value="county", description="站点编码(含下级)"),
        period_kind=graphene.String(default_value="month", description="day/month/quarter/year"),
        period=graphene.String(description="如 2026-11、2026-11-03、2026-Q4、2026"),
        by=graphene.String(description="site/department/item/month/day"),
        description="电子监察统计",
    )
    supervision_trend = graphene.List(
        graphene.NonNull(FiguresType),
        required=True,
        site=graphene.String(default_value="county"),
        until=graphene.Date(),
        months=graphene.Int(default_value=12),
        description="月度趋势",
    )
    supervision_alerts = graphene.List(
        graphene.NonNull(AlertType),
        required=True,
        level=graphene.String(),
        first=graphene.Int(default_value=50),
        description="预警(本人监察范围内)",
    )

    def resolve_supervision_figures(self, info, site, period_kind, period=None, by=None):
        found = _site(info, site)
        try:
            span = sel.period_parse(kind=period_kind, value=period, today=timezone.localdate())
        except ValueError as exc:
            raise GraphQLError(str(exc)) from None
        if by is not None and by not in sel.GROUPS:
            raise GraphQLError("分组应为 site、department、item、month 或 day。")
        codes = sel.subtree_codes(code=found.code)
        names = sel.names_for(by)
        rows = sel.figures(period=span, sites=codes, by=by) if by else []
        return SupervisionReportType(
            site=found.code,
            period=span.label,
            start=span.start,
            end=span.end,
            total=_figures(sel.figures(period=span, sites=codes), {}),
            rows=[_figures(r, names) for r in rows],
        )

    def resolve_supervision_trend(self, info, site, until=None, months=12):
        found = _site(info, site)
        months = min(max(months, 1), 36)
        rows = sel.trend(
            sites=sel.subtree_codes(code=found.code),
            until=until or timezone.localdate(),
            months=months,
        )
        return [_figures(r, {}) for r in rows]

    def resolve_supervision_alerts(self, info, level=None, first=50):
        user = info.context.user
        if not user.is_authenticated:
            raise GraphQLError(LOGIN_REQUIRED)
        codes = supervised_codes(user=user)
        if codes == []:
            raise GraphQLError(DENIED)
        level = level if level in AlertLevel.values else None
        return list(sel.alert_list(sites=codes, level=level)[: min(max(first, 1), 100)])
