"""The node's sync state as JSON (staff only: it names sites and message ids)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from sync.selectors import sync_status


class SyncStatusSerializer(serializers.Serializer):
    site = serializers.CharField(help_text="站点编码")
    outbox_backlog = serializers.IntegerField(help_text="待发送消息数")
    oldest_unsent_age_s = serializers.FloatField(allow_null=True, help_text="最早未发消息等待秒数")
    last_confirmed = serializers.DictField(allow_null=True, help_text="最后一条已确认消息")
    last_applied = serializers.DictField(help_text="各来源站点最后应用的消息")
    held_gaps = serializers.ListField(child=serializers.DictField(), help_text="等待补齐的序号缺口")
    held_count = serializers.IntegerField(help_text="暂存消息数")
    quarantined = serializers.IntegerField(help_text="隔离消息数")
    catalogue_release = serializers.IntegerField(help_text="已应用的目录版本")


class IsSuperUser(BasePermission):
    """Superusers only: admin staff (is_staff) may be catalogue admins, who have no business
    with message ids."""

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_superuser)


class SyncStatus(APIView):
    """同步状态: outbox backlog, last confirmed, last applied per origin, gaps, quarantine."""

    permission_classes = [IsSuperUser]

    @extend_schema(responses=SyncStatusSerializer)
    def get(self, request):
        return Response(sync_status())
