"""我对该办件的权限 (API): what the caller may do to one case, answered by sites.cases.access."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from permissions.rest import IsStaff
from sites.cases.access import can_handle_case, case_for_request


class CaseAccessSerializer(serializers.Serializer):
    number = serializers.CharField()
    owner_site = serializers.CharField()
    can_view = serializers.BooleanField()
    can_handle = serializers.BooleanField()


class CaseAccessView(APIView):
    """我对该办件的权限: 404 if the caller may not view it (as if it did not exist)."""

    permission_classes = [IsStaff]

    @extend_schema(responses={200: CaseAccessSerializer})
    def get(self, request, number: str):
        case = case_for_request(request, number=number)
        return Response(
            CaseAccessSerializer(
                {
                    "number": case.number,
                    "owner_site": case.owner_site.code,
                    "can_view": True,
                    "can_handle": can_handle_case(user=request.user, case=case),
                }
            ).data
        )
