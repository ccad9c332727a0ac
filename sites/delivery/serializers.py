"""送达 in the clerk API: read-only fields on the case detail (no ID numbers, no code)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from sites.delivery.models import DeliveryStatus, Method


def _codes(choices) -> str:
    return "，".join(f"{value}：{label}" for value, label in choices)


class DeliverySerializer(serializers.Serializer):
    status = serializers.CharField(help_text=_codes(DeliveryStatus.choices))
    status_label = serializers.CharField(source="get_status_display")
    method = serializers.CharField(help_text=_codes(Method.choices) + "；空：尚未送达")
    method_label = serializers.CharField(source="get_method_display")
    site = serializers.CharField(source="site.code")
    collect_by = serializers.DateField()
    reminders = serializers.IntegerField()
    delivered_at = serializers.DateTimeField(allow_null=True)
    collector_id_number = serializers.CharField(source="collector_id_masked")
    collector_is_agent = serializers.BooleanField()
    carrier = serializers.CharField()
    tracking_number = serializers.CharField()
    downloaded_at = serializers.DateTimeField(allow_null=True)


@extend_schema_field(DeliverySerializer(allow_null=True))
class CaseDeliveryField(serializers.Field):
    """The case detail's `delivery` (sites.cases.serializers.detail_field_add)."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, case) -> dict | None:
        delivery = getattr(case, "delivery", None)  # once concluded here
        return None if delivery is None else DeliverySerializer(delivery).data
