"""办件进度查询 (API, citizens): number + query code, answered at this hall from its own
cases (sites.cases.access.citizen_case_lookup); limits and messages from permissions.citizen."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from permissions import citizen
from permissions.auth import client_address
from permissions.ratelimit import RateLimited
from sites.cases.access import citizen_case_answer, citizen_case_lookup


class CaseStatusRequestSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=64, help_text="办件编号")
    query_code = serializers.CharField(max_length=32, help_text="查询码(通知书上)")


class CaseStatusSerializer(serializers.Serializer):
    number = serializers.CharField()
    item = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    outcome_label = serializers.CharField()
    site = serializers.CharField()
    submitted_on = serializers.DateField()
    accepted_on = serializers.DateField(allow_null=True)
    concluded_on = serializers.DateField(allow_null=True)
    deadline = serializers.DateField(allow_null=True)
    clock_state_label = serializers.CharField()


_DETAIL = inline_serializer("CitizenDetail", {"detail": serializers.CharField()})


class CaseStatusQuery(APIView):
    """办件进度查询 (citizens): number + query code. POST so the code stays out of URLs and
    logs. Every failure gives the same 404 body; too many queries from one address: 429."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        request=CaseStatusRequestSerializer,
        responses={200: CaseStatusSerializer, 404: _DETAIL, 429: _DETAIL},
    )
    def post(self, request):
        try:
            citizen.citizen_rate_limit(address=client_address(request))
        except RateLimited as exc:
            return Response(
                {"detail": citizen.TOO_MANY},
                status=status.HTTP_429_TOO_MANY_REQUESTS,
                headers={"Retry-After": str(exc.retry_after)},
            )
        # Bounded before the database (length, no NUL); a misfit is answered as "no such case"
        data = CaseStatusRequestSerializer(
            data=request.data if hasattr(request.data, "get") else {}
        )
        case = (
            citizen_case_lookup(
                number=data.validated_data["number"], query_code=data.validated_data["query_code"]
            )
            if data.is_valid()
            else None
        )
        if case is None:
            return Response({"detail": citizen.NO_ANSWER}, status=status.HTTP_404_NOT_FOUND)
        return Response(CaseStatusSerializer(citizen_case_answer(case)).data)
