"""Read-only catalogue API. The catalogue is public (六公开), so reads need no account."""

from __future__ import annotations

from django.http import Http404
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny

from county.catalogue.carried import ITEM_VERSION_FIELDS
from county.catalogue.models import Delegation, DelegationMode, HandlingType, ItemKind, ItemVersion
from county.catalogue.selectors import delegation_list, item_current_versions, item_versions
from sites.registry.api import DepartmentSerializer


class MaterialSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="材料名称")
    deferrable = serializers.BooleanField(help_text="可容缺受理(后补)")
    defer_days = serializers.IntegerField(help_text="容缺补交期限(工作日)")


class ItemVersionSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="item.code", read_only=True)
    version = serializers.IntegerField(source="number", read_only=True)
    current_version = serializers.IntegerField(source="item.current_version", read_only=True)
    department = DepartmentSerializer(read_only=True)
    co_departments = DepartmentSerializer(many=True, read_only=True)
    kind = serializers.ChoiceField(choices=ItemKind.choices)
    handling_type = serializers.ChoiceField(choices=HandlingType.choices)
    materials = MaterialSerializer(many=True, read_only=True)

    class Meta:
        model = ItemVersion
        # What a version carries is defined once (county.catalogue.carried).
        fields = [
            "code",
            "version",
            "current_version",
            *(name for name in ITEM_VERSION_FIELDS if name != "number"),
            "created_at",
        ]


class DelegationSerializer(serializers.ModelSerializer):
    item = serializers.CharField(source="item.code", read_only=True)
    site = serializers.CharField(source="site.code", read_only=True)
    mode = serializers.ChoiceField(choices=DelegationMode.choices)
    active = serializers.BooleanField(read_only=True)

    class Meta:
        model = Delegation
        fields = ["id", "item", "site", "mode", "active", "granted_at", "withdrawn_at", "note"]


class PublicRead:
    permission_classes = [AllowAny]


class ItemList(PublicRead, generics.ListAPIView):
    """事项目录: each item's current version. Filter with ?department=&handling_type=&q=."""

    serializer_class = ItemVersionSerializer

    def get_queryset(self):
        qs = item_current_versions()
        params = self.request.query_params
        if params.get("department"):
            qs = qs.filter(department__code=params["department"])
        if params.get("handling_type"):
            qs = qs.filter(handling_type=params["handling_type"])
        if params.get("q"):
            qs = qs.filter(name__icontains=params["q"])
        return qs


class ItemVersionList(PublicRead, generics.ListAPIView):
    """All versions of one item, newest first; old versions stay readable."""

    serializer_class = ItemVersionSerializer

    def get_queryset(self):
        return item_versions(code=self.kwargs["code"])


class ItemVersionDetail(PublicRead, generics.RetrieveAPIView):
    """One version of an item; `current` names the current version."""

    serializer_class = ItemVersionSerializer

    def get_object(self) -> ItemVersion:
        qs = item_versions(code=self.kwargs["code"])
        number = self.kwargs.get("number")
        found = qs.first() if number is None else qs.filter(number=number).first()
        if found is None:
            raise Http404("没有这个事项或版本。")
        return found


class DelegationList(PublicRead, generics.ListAPIView):
    """事项下放: ?site=CODE&active=1."""

    serializer_class = DelegationSerializer

    def get_queryset(self):
        params = self.request.query_params
        qs = delegation_list(active_only=params.get("active") in {"1", "true"})
        if params.get("site"):
            qs = qs.filter(site__code=params["site"])
        return qs
