"""Read-only registry API: the site tree and departments are public."""

from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny

from sites.registry.models import Department, Site, Tier


class DepartmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["code", "name"]


class SiteSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True)
    tier = serializers.ChoiceField(choices=Tier.choices)
    tier_label = serializers.CharField(source="get_tier_display", read_only=True)

    class Meta:
        model = Site
        fields = ["code", "name", "tier", "tier_label", "parent", "path"]


class SiteList(generics.ListAPIView):
    """站点树: every hall, parents before children."""

    permission_classes = [AllowAny]
    serializer_class = SiteSerializer
    pagination_class = None
    queryset = Site.objects.select_related("parent").order_by("path")


class DepartmentList(generics.ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = DepartmentSerializer
    pagination_class = None
    queryset = Department.objects.order_by("code")
