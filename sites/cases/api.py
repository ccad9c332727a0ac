"""Clerk REST API: thin views that look up (through permissions.access), clean, call one
service and return. Domain refusals become 400 with the field named."""

from __future__ import annotations

from contextlib import contextmanager

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from county.catalogue import access as item_access
from county.catalogue.models import Item
from permissions import access
from permissions.rest import IsStaff
from permissions.roles import Action
from sites.cases import access as case_access
from sites.cases import serializers as s
from sites.cases import services, transfer
from sites.cases.notices import notice_render
from sites.cases.pagination import CasePagination
from sites.cases.selectors import LIST_COLUMNS, case_base, case_list_for_user, case_timeline
from sites.registry.selectors import site_current


@contextmanager
def domain_errors():
    try:
        yield
    except DjangoValidationError as exc:
        detail = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        raise serializers.ValidationError(detail) from exc


def _case(request, number: str, action=Action.VIEW):
    return case_access.access_case(
        user=request.user, number=number, action=action, queryset=case_timeline(case_base())
    )


def case_detail_data(request, number: str) -> dict:
    case = case_timeline(case_base()).get(number=number)
    return s.CaseDetailSerializer(case).data


@extend_schema_view(
    get=extend_schema(summary="本站办件列表", parameters=[s.CaseFilterInput]),
    post=extend_schema(
        summary="收件", request=s.CaseSubmitInput, responses={201: s.CaseDetailSerializer}
    ),
)
class CaseList(generics.ListAPIView):
    permission_classes = [IsStaff]
    serializer_class = s.CaseSerializer
    pagination_class = CasePagination

    def get_queryset(self):
        filters = s.CaseFilterInput(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return case_list_for_user(user=self.request.user, **filters.validated_data)

    def list(self, request, *args, **kwargs):
        """Plain rows (CaseSerializer's fields, s.case_list_rows), not model instances."""
        qs = self.filter_queryset(self.get_queryset()).prefetch_related(None)
        self.paginator.count_from = qs
        page = self.paginate_queryset(qs.values(*LIST_COLUMNS))
        return self.get_paginated_response(s.case_list_rows(page))

    def post(self, request):
        data = s.CaseSubmitInput(data=request.data)
        data.is_valid(raise_exception=True)
        here = site_current()

        item = Item.objects.filter(code=data.validated_data["item_code"]).first()
        if item is not None and not item_access.can_accept_item_here(
            user=request.user, item=item, site=here
        ):
            raise access.AccessDenied(access.DENIED_MESSAGE)
        if item is None and not access.has_site_perm(
            user=request.user, site=here, perm=access.SitePerm.ACT
        ):
            raise access.AccessDenied(access.DENIED_MESSAGE)
        with domain_errors():
            case = services.case_submit(by=request.user, **data.validated_data)
        return Response(case_detail_data(request, case.number), status=status.HTTP_201_CREATED)


@extend_schema(summary="办件详情(含时间线与计时)", responses=s.CaseDetailSerializer)
class CaseDetail(APIView):
    permission_classes = [IsStaff]

    def get(self, request, number: str):
        return Response(s.CaseDetailSerializer(_case(request, number)).data)


class CaseAction(APIView):
    """POST one action on one case: handle permission, clean input, one service call."""

    permission_classes = [IsStaff]
    input_class: type[serializers.Serializer] = s.AtInput

    def perform(self, *, case, user, data: dict):
        raise NotImplementedError

    def post(self, request, number: str):
        case = _case(request, number, Action.HANDLE)
        data = self.input_class(data=request.data)
        data.is_valid(raise_exception=True)
        with domain_errors():
            extra = self.perform(case=case, user=request.user, data=data.validated_data)
        extra = extra if isinstance(extra, dict) else {}
        return Response({**case_detail_data(request, number), **extra})


def action(summary: str, input_class, perform, responses=s.CaseDetailSerializer):
    view = type(
        f"Case{''.join(w.title() for w in perform.__name__.split('_')[1:])}",
        (CaseAction,),
        {"input_class": input_class, "perform": staticmethod(perform)},
    )
    return extend_schema_view(
        post=extend_schema(summary=summary, request=input_class, responses=responses)
    )(view)


def _accept(*, case, user, data):
    code = services.case_accept(case=case, by=user, **data)
    case.refresh_from_db()
    url = reverse("case-notice", kwargs={"number": case.number, "kind": "acceptance"})
    return {"query_code": code, "notice_url": url}


CaseAccept = action(
    "受理(返回仅显示一次的查询码；联办件同时分送协办部门)",
    s.AcceptInput,
    _accept,
    s.CaseAcceptedSerializer,
)
CaseRefuse = action(
    "不予受理",
    s.RefuseInput,
    lambda *, case, user, data: services.case_refuse(case=case, by=user, **data),
)
CaseSupplement = action(
    "一次性告知补正(暂停计时)",
    s.SupplementInput,
    lambda *, case, user, data: services.case_supplement_request(case=case, by=user, **data),
)
CaseSupplementComplete = action(
    "补正材料齐全(恢复计时)",
    s.AtInput,
    lambda *, case, user, data: services.case_supplement_complete(case=case, by=user, **data),
)
CaseMaterials = action(
    "补交容缺材料",
    s.MaterialsInput,
    lambda *, case, user, data: services.case_materials_supply(case=case, by=user, **data),
)
CaseExtend = action(
    "延期",
    s.ExtendInput,
    lambda *, case, user, data: services.case_extend(case=case, by=user, **data),
)
CaseDecide = action(
    "办结(准予/不予准予)",
    s.DecideInput,
    lambda *, case, user, data: services.case_decide(case=case, by=user, **data),
)
CaseReturn = action(
    "退办",
    s.ReturnInput,
    lambda *, case, user, data: services.case_return(case=case, by=user, **data),
)
CaseWithdraw = action(
    "撤回",
    s.WithdrawInput,
    lambda *, case, user, data: services.case_withdraw(case=case, by=user, **data),
)
CaseForward = action(
    "上报(办理权移交上级站点)",
    s.NoteInput,
    lambda *, case, user, data: transfer.case_forward(case=case, by=user, **data),
)
CaseHandBack = action(
    "退回下级站点",
    s.NoteInput,
    lambda *, case, user, data: transfer.case_hand_back(case=case, by=user, **data),
)


@extend_schema(
    summary="打印通知书(HTML)",
    parameters=[
        OpenApiParameter(
            "kind",
            str,
            OpenApiParameter.PATH,
            enum=["acceptance", "supplement", "return", "refusal"],
        )
    ],
    responses={(200, "text/html"): OpenApiTypes.STR},
)
class CaseNotice(APIView):
    permission_classes = [IsStaff]

    def get(self, request, number: str, kind: str):
        case = _case(request, number)
        with domain_errors():
            html = notice_render(case=case, kind=kind)
        return HttpResponse(html, content_type="text/html; charset=utf-8")
