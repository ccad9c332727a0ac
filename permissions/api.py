"""Permissions API: staff tokens, who am I, the role catalogue, a site's staff. Thin: each
view asks access.py. What the caller may do with a case is sites.cases.access_api; the
citizens' case-status query is sites.citizen.api."""

from __future__ import annotations

from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from permissions import access
from permissions.auth import login_lockout_response
from permissions.rest import IsStaff, site_permission
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
