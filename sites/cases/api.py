"""Clerk REST API: thin views that look up (through permissions.access), clean, call one
service and return. Domain refusals (a service's ValidationError) become 400 with the field
named in the API's exception handler (deploy.errors.api_exception_handler)."""

from __future__ import annotations

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
from sites.cases import services
from sites.cases.actions import ACTIONS
from sites.cases.notices import notice_render
from sites.cases.pagination import CasePagination
from sites.cases.selectors import LIST_COLUMNS, case_base, case_list_for_user, case_timeline
from sites.registry.selectors import site_current


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
    right: Action = Action.HANDLE  # the case right it needs (the table's `who`)

    def perform(self, *, case, user, data: dict):
        raise NotImplementedError

    def post(self, request, number: str):
        case = _case(request, number, self.right)
        data = self.input_class(data=request.data)
        data.is_valid(raise_exception=True)
        extra = self.perform(case=case, user=request.user, data=data.validated_data)
        extra = extra if isinstance(extra, dict) else {}
        return Response({**case_detail_data(request, number), **extra})


def action_view(name: str, *, result=None, responses=s.CaseDetailSerializer):
    """The API view of the action table's row `name` (sites.cases.actions): its serializer,
    its summary, its service. `result(case, returned)` adds to the answer (受理's query code)."""
    act = ACTIONS[name]

    def perform(*, case, user, data: dict):
        returned = act.perform(case=case, by=user, **data)
        return result(case, returned) if result else None

    view = type(
        f"Case{''.join(w.title() for w in name.split('_'))}",
        (CaseAction,),
        {"input_class": act.input, "right": Action(act.who), "perform": staticmethod(perform)},
    )
    return extend_schema_view(
        post=extend_schema(summary=act.summary, request=act.input, responses=responses)
    )(view)


def _accepted(case, code: str) -> dict:
    case.refresh_from_db()
    url = reverse("case-notice", kwargs={"number": case.number, "kind": "acceptance"})
    return {"query_code": code, "notice_url": url}


def action_views() -> dict[str, type[APIView]]:
    """One view per action of the table that the case API offers, by its URL name."""
    special = {"accept": {"result": _accepted, "responses": s.CaseAcceptedSerializer}}
    return {
        act.url_name: action_view(act.name, **special.get(act.name, {}))
        for act in ACTIONS.values()
        if act.summary
    }


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
        html = notice_render(case=case, kind=kind)
        return HttpResponse(html, content_type="text/html; charset=utf-8")
