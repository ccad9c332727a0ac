"""Joint approvals over REST: parts out, inputs in (Chinese labels, masked applicant)."""

from __future__ import annotations

from django.utils import timezone
from rest_framework import serializers

from county.workdays.selectors import calendar_current
from sites.cases.models import Outcome
from sites.cases.serializers import AssignmentInput
from sites.joint.clock import part_clock_state
from sites.joint.models import Opinion, Part, PartRecord


def _mask(name: str) -> str:
    return name[:1] + "*" * max(len(name) - 1, 1) if name else ""


class AssigneeSerializer(serializers.Serializer):
    department = serializers.CharField()
    site = serializers.CharField()
    window = serializers.CharField(allow_blank=True)
    reviewer = serializers.CharField(allow_blank=True)


# "from" is a Python keyword: the class is built from a dict of fields.
ReassignmentSerializer = type(
    "ReassignmentSerializer",
    (serializers.Serializer,),
    {
        "at": serializers.CharField(),
        "by": serializers.CharField(),
        "reason": serializers.CharField(),
        "restart": serializers.BooleanField(help_text="改派后是否重新计时"),
        "from": AssigneeSerializer(),
        "to": AssigneeSerializer(),
    },
)


class PartClockSerializer(serializers.Serializer):
    deadline = serializers.DateField()
    provisional = serializers.BooleanField()
    days_left = serializers.IntegerField(allow_null=True)
    state = serializers.CharField()


class PartSerializer(serializers.ModelSerializer):
    department = serializers.CharField(source="department.code")
    department_name = serializers.CharField(source="department.name")
    site = serializers.CharField(source="site.code")
    lead_site = serializers.CharField(source="lead_site.code")
    state = serializers.CharField(help_text="open/answered/deemed/moved/cancelled")
    state_label = serializers.CharField(source="get_state_display")
    opinion_label = serializers.CharField(source="get_opinion_display")
    deemed = serializers.BooleanField(help_text="逾期默认同意(非部门出具)")
    applicant_name = serializers.SerializerMethodField()
    clock = serializers.SerializerMethodField()
    reassignments = ReassignmentSerializer(many=True)

    class Meta:
        model = Part
        fields = [
            "key",
            "case_number",
            "item_code",
            "item_name",
            "applicant_name",
            "materials",
            "lead_site",
            "department",
            "department_name",
            "site",
            "window_number",
            "reviewer",
            "generation",
            "state",
            "state_label",
            "deemed",
            "opinion",
            "opinion_label",
            "reasons",
            "opinion_materials",
            "answered_at",
            "answered_by",
            "deemed_points",
            "opened_at",
            "clock",
            "reassignments",
        ]

    def get_applicant_name(self, obj) -> str:
        return _mask(obj.applicant_name)

    def get_clock(self, obj) -> dict:
        root = self.root  # the calendar is read once per response, not per part
        if not hasattr(root, "_calendar"):
            root._calendar = calendar_current()
        left = None
        if obj.state == "open":
            left = root._calendar.working_days_between(timezone.localdate(), obj.deadline).days
        return PartClockSerializer(
            {
                "deadline": obj.deadline,
                "provisional": obj.deadline_provisional,
                "days_left": left,
                "state": part_clock_state(obj),
            }
        ).data


class StalledPartSerializer(serializers.ModelSerializer):
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = PartRecord
        fields = [
            "key",
            "case_number",
            "lead_site",
            "department",
            "site",
            "window_number",
            "reviewer",
            "generation",
            "deadline",
            "warning_from",
            "opened_at",
            "overdue",
        ]

    def get_overdue(self, obj) -> bool:
        return obj.deadline < timezone.localdate()


class OpinionInput(serializers.Serializer):
    opinion = serializers.ChoiceField(choices=Opinion.choices, label="意见")
    reasons = serializers.CharField(required=False, allow_blank=True, default="", label="理由/条件")
    materials = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False, default=list, label="附件"
    )
    at = serializers.DateTimeField(required=False, label="时间")


class ReassignInput(serializers.Serializer):
    reason = serializers.CharField(max_length=500, label="改派理由")
    department = serializers.CharField(required=False, label="部门编码")
    site = serializers.CharField(required=False, label="站点编码")
    window = serializers.CharField(required=False, allow_blank=True, label="窗口号")
    reviewer = serializers.CharField(required=False, allow_blank=True, label="审核人账号")


class PartsOpenInput(serializers.Serializer):
    assignments = serializers.DictField(
        child=AssignmentInput(), required=False, default=dict, label="各协办部门的承办"
    )
    at = serializers.DateTimeField(required=False)


class CountersignInput(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices, label="办理结果")
    opinion = serializers.CharField(required=False, allow_blank=True, default="", label="审批意见")
    resolution = serializers.CharField(
        required=False, allow_blank=True, default="", label="牵头窗口书面处理意见"
    )
    at = serializers.DateTimeField(required=False)
