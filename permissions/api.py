"""Permissions API: staff tokens, who am I, the role catalogue, a site's staff, what the caller
may do with a case, and the citizens' case-status query. Thin: each view asks access.py."""

from __future__ import annotations

from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from permissions import access, citizen
from permissions.auth import client_address, login_lockout_response
from permissions.ratelimit import RateLimited
from permissions.rest import IsStaff, case_for_request, site_permission
from permissions.roles import ROLES, SitePerm
from sites.registry.models import Staff


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()


class TokenObtain(APIView):
    """登录获取令牌 (API). Lockout applies as for the login page."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenSerializer})
    def post(self, request):
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        username = data.validated_data["username"]
        user = authenticate(
            request._request, username=username, password=data.validated_data["password"]
        )
        if getattr(request._request, "axes_locked_out", False):
            return login_lockout_response(request._request)  # 429, how long to wait
        if user is None or not user.is_active:
            return Response({"detail": "用户名或密码错误。"}, status=status.HTTP_400_BAD_REQUEST)
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


class TokenRevoke(APIView):
    """注销令牌."""

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        Token.objects.filter(user=request.user).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


class RoleHeldSerializer(serializers.Serializer):
    site = serializers.CharField()
    role = serializers.CharField()
    label = serializers.CharField()


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    name = serializers.CharField()
    roles = RoleHeldSerializer(many=True)
    read_only = serializers.BooleanField()


class Me(APIView):
    """当前用户及其在各站点的角色."""

    @extend_schema(responses={200: MeSerializer})
    def get(self, request):
        user = request.user
        staff = Staff.objects.filter(user=user).first()
        roles = [
            {"site": code, "role": role.value, "label": role.label}
            for code, role in access.roles_of(user=user)
        ]
        return Response(
            MeSerializer(
                {
                    "username": user.get_username(),
                    "name": staff.name if staff else user.get_full_name(),
                    "roles": roles,
                    "read_only": access.is_read_only(user=user),
                }
            ).data
        )


class RoleSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    description = serializers.CharField()
    tiers = serializers.ListField(child=serializers.CharField())
    site_permissions = serializers.ListField(child=serializers.CharField())
    read_only = serializers.BooleanField()


class RoleList(APIView):
    """角色目录: every role, where it may be held and what it carries."""

    permission_classes = [IsStaff]

    @extend_schema(responses={200: RoleSerializer(many=True)})
    def get(self, request):
        rows = [
            {
                "code": spec.code,
                "label": spec.label,
                "description": spec.description,
                "tiers": sorted(spec.tiers),
                "site_permissions": sorted(spec.site_perms),
                "read_only": spec.read_only,
            }
            for spec in ROLES.values()
        ]
        return Response(RoleSerializer(rows, many=True).data)


class StaffSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username")
    site = serializers.CharField(source="site.code")

    class Meta:
        model = Staff
        fields = ["username", "name", "site"]


class SiteStaffList(generics.ListAPIView):
    """站点工作人员: for those who view the site's cases (here or from above)."""

    permission_classes = [site_permission(SitePerm.VIEW_CASES, subtree=True)]
    serializer_class = StaffSerializer

    def get_queryset(self):
        return (
            Staff.objects.filter(site__code=self.kwargs["code"])
            .select_related("user", "site")
            .order_by("name", "id")
        )


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
                    "can_handle": access.can_handle_case(user=request.user, case=case),
                }
            ).data
        )


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
            citizen.citizen_case_lookup(
                number=data.validated_data["number"], query_code=data.validated_data["query_code"]
            )
            if data.is_valid()
            else None
        )
        if case is None:
            return Response({"detail": citizen.NO_ANSWER}, status=status.HTTP_404_NOT_FOUND)
        return Response(CaseStatusSerializer(citizen.citizen_case_answer(case)).data)
