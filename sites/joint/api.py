"""Joint approvals REST API: thin views that look up through permissions (joint_access for
parts, access for cases), clean, call one service and return."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from permissions import access
from permissions.rest import IsStaff
from permissions.roles import Action
from sites.cases import access as case_access
from sites.cases.api import case_detail_data
from sites.cases.selectors import case_base
from sites.cases.serializers import CaseDetailSerializer
from sites.joint import serializers as s
from sites.joint.access import PartAction, access_part, can_view_stalled
from sites.joint.reassign import part_reassign
from sites.joint.selectors import (
    part_base,
    part_list_for_user,
    stalled_parts,
    stalled_site_codes_for_user,
)
from sites.joint.services import case_countersign, part_opinion_give, parts_open_here


def _part(request, number: str, department: str, action=PartAction.VIEW):
    return access_part(
        user=request.user,
        number=number,
        department=department,
        action=action,
        queryset=part_base(),
    )


def _part_out(part) -> dict:
    return s.PartSerializer(part_base().get(pk=part.pk)).data


@extend_schema(summary="联办部门意见环节列表(本人可见)", responses=s.PartSerializer(many=True))
class PartList(generics.ListAPIView):
    permission_classes = [IsStaff]
    serializer_class = s.PartSerializer

    def get_queryset(self):
        params = self.request.query_params
        return part_list_for_user(
            user=self.request.user,
            state=params.get("state") or None,
            here_only=params.get("here") == "1",
        )


@extend_schema(summary="联办部门意见环节详情", responses=s.PartSerializer)
class PartDetail(APIView):
    permission_classes = [IsStaff]

    def get(self, request, number: str, department: str):
        return Response(s.PartSerializer(_part(request, number, department)).data)


@extend_schema(summary="出具部门意见(承办人)", request=s.OpinionInput, responses=s.PartSerializer)
class PartOpinion(APIView):
    permission_classes = [IsStaff]

    def post(self, request, number: str, department: str):
        part = _part(request, number, department, PartAction.OPINION)
        data = s.OpinionInput(data=request.data)
        data.is_valid(raise_exception=True)
        part = part_opinion_give(part=part, by=request.user, **data.validated_data)
        return Response(_part_out(part))


@extend_schema(
    summary="改派联办环节(县级监管员)", request=s.ReassignInput, responses=s.PartSerializer
)
class PartReassign(APIView):
    permission_classes = [IsStaff]

    def post(self, request, number: str, department: str):
        part = _part(request, number, department, PartAction.REASSIGN)
        data = s.ReassignInput(data=request.data)
        data.is_valid(raise_exception=True)
        part = part_reassign(part=part, by=request.user, **data.validated_data)
        return Response(_part_out(part))


@extend_schema(
    summary="停滞的联办环节(预警/超时，期限最早的在前)",
    responses=s.StalledPartSerializer(many=True),
)
class StalledPartList(generics.ListAPIView):
    permission_classes = [IsStaff]
    serializer_class = s.StalledPartSerializer

    def get_queryset(self):
        if not can_view_stalled(user=self.request.user):
            raise access.AccessDenied(access.DENIED_MESSAGE)
        return stalled_parts(site_codes=stalled_site_codes_for_user(user=self.request.user))


def _case(request, number: str):
    return case_access.access_case(
        user=request.user, number=number, action=Action.HANDLE, queryset=case_base()
    )


@extend_schema(
    summary="联办分送(上报到达的联办件)", request=s.PartsOpenInput, responses=CaseDetailSerializer
)
class CasePartsOpen(APIView):
    permission_classes = [IsStaff]

    def post(self, request, number: str):
        case = _case(request, number)
        data = s.PartsOpenInput(data=request.data)
        data.is_valid(raise_exception=True)
        parts_open_here(case=case, by=request.user, **data.validated_data)
        return Response(case_detail_data(request, number))


@extend_schema(
    summary="集中会签并办结(牵头窗口)", request=s.CountersignInput, responses=CaseDetailSerializer
)
class CaseCountersign(APIView):
    permission_classes = [IsStaff]

    def post(self, request, number: str):
        case = _case(request, number)
        data = s.CountersignInput(data=request.data)
        data.is_valid(raise_exception=True)
        case_countersign(case=case, by=request.user, **data.validated_data)
        return Response(case_detail_data(request, number))
