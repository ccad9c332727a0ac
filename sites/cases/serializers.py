"""API shapes of cases. Applicant data is always masked here: no list or detail needs it."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from rest_framework import serializers

from sites.cases.identity import mask_id_number, mask_name, mask_phone
from sites.cases.models import (
    CLOCK_LABELS,
    STATUS_LABELS,
    CaseStatus,
    ClockEntry,
    ClockState,
    Outcome,
)


class CaseEventSerializer(serializers.Serializer):
    seq = serializers.IntegerField()
    type = serializers.CharField()
    type_label = serializers.CharField(source="get_type_display")
    at = serializers.DateTimeField()
    site = serializers.CharField(source="site.code")
    site_name = serializers.CharField(source="site.name")
    actor = serializers.CharField(source="actor_name")
    data = serializers.JSONField()


class ClockEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = ClockEntry
        fields = ["kind", "days", "start", "end", "reason"]


class ClockSerializer(serializers.Serializer):
    deadline = serializers.DateField(allow_null=True)
    provisional = serializers.BooleanField(source="deadline_provisional")
    state = serializers.ChoiceField(source="clock_state", choices=ClockState.choices)
    state_label = serializers.CharField(source="get_clock_state_display")
    days_used = serializers.IntegerField()
    days_left = serializers.IntegerField(allow_null=True)


_WHEN = serializers.DateTimeField()  # DRF's own output: local time zone, ISO 8601


class CaseSerializer(serializers.Serializer):
    number = serializers.CharField()
    item_code = serializers.CharField(source="item_version.item.code")
    item_name = serializers.CharField(source="item_version.name")
    item_version = serializers.IntegerField(source="item_version.number")
    handling_type = serializers.CharField(source="item_version.handling_type")
    status = serializers.ChoiceField(choices=CaseStatus.choices)
    status_label = serializers.CharField(source="get_status_display")
    outcome = serializers.CharField()
    owner_site = serializers.CharField(source="owner_site.code")
    origin_site = serializers.CharField(source="origin_site.code")
    applicant_name = serializers.SerializerMethodField()
    applicant_id_number = serializers.SerializerMethodField()
    applicant_phone = serializers.SerializerMethodField()
    clerk = serializers.SerializerMethodField()
    submitted_at = serializers.DateTimeField()
    accepted_at = serializers.DateTimeField(allow_null=True)
    concluded_at = serializers.DateTimeField(allow_null=True)
    clock = ClockSerializer(source="*")

    def get_applicant_name(self, case) -> str:
        return mask_name(case.applicant_name)

    def get_applicant_id_number(self, case) -> str:
        return mask_id_number(case.applicant_id_number)

    def get_applicant_phone(self, case) -> str:
        return mask_phone(case.applicant_phone)

    def get_clerk(self, case) -> str:
        if case.clerk is None:
            return ""
        staff = getattr(case.clerk, "staff", None)
        return staff.name if staff else case.clerk.get_username()

    def to_representation(self, case) -> dict:
        """The row in plain Python: DRF's generic path resolves every source through
        getattr chains and inspects callables, 60% of a 50-row page's serialising time.
        The declared fields above stay the schema; a test holds both outputs equal."""
        when = _WHEN.to_representation
        version = case.item_version
        return {
            "number": case.number,
            "item_code": version.item.code,
            "item_name": version.name,
            "item_version": version.number,
            "handling_type": version.handling_type,
            "status": case.status,
            "status_label": case.get_status_display(),
            "outcome": case.outcome,
            "owner_site": case.owner_site.code,
            "origin_site": case.origin_site.code,
            "applicant_name": mask_name(case.applicant_name),
            "applicant_id_number": mask_id_number(case.applicant_id_number),
            "applicant_phone": mask_phone(case.applicant_phone),
            "clerk": self.get_clerk(case),
            "submitted_at": when(case.submitted_at),
            "accepted_at": when(case.accepted_at) if case.accepted_at else None,
            "concluded_at": when(case.concluded_at) if case.concluded_at else None,
            "clock": {
                "deadline": case.deadline.isoformat() if case.deadline else None,
                "provisional": case.deadline_provisional,
                "state": case.clock_state,
                "state_label": case.get_clock_state_display(),
                "days_used": case.days_used,
                "days_left": case.days_left,
            },
        }


# The list's rows as plain values (selectors.LIST_COLUMNS), no model instances: building a
# Case with its version, item and two sites per row was a third of the list's Python.
def case_list_rows(rows: list[dict]) -> list[dict]:
    """CaseSerializer's output for rows of `.values(*LIST_COLUMNS)`; the clerks' names come
    in one query for the page. A test holds it equal to CaseSerializer on the same cases."""
    ids = {r["clerk_id"] for r in rows if r["clerk_id"] is not None}
    clerks = {}
    if ids:
        user = get_user_model()
        for pk, username, name in user.objects.filter(pk__in=ids).values_list(
            "pk", user.USERNAME_FIELD, "staff__name"
        ):
            clerks[pk] = username if name is None else name
    when = _WHEN.to_representation
    return [
        {
            "number": r["number"],
            "item_code": r["item_version__item__code"],
            "item_name": r["item_version__name"],
            "item_version": r["item_version__number"],
            "handling_type": r["item_version__handling_type"],
            "status": r["status"],
            "status_label": STATUS_LABELS.get(r["status"], r["status"]),
            "outcome": r["outcome"],
            "owner_site": r["owner_site__code"],
            "origin_site": r["origin_site__code"],
            "applicant_name": mask_name(r["applicant_name"]),
            "applicant_id_number": mask_id_number(r["applicant_id_number"]),
            "applicant_phone": mask_phone(r["applicant_phone"]),
            "clerk": "" if r["clerk_id"] is None else clerks[r["clerk_id"]],
            "submitted_at": when(r["submitted_at"]),
            "accepted_at": when(r["accepted_at"]) if r["accepted_at"] else None,
            "concluded_at": when(r["concluded_at"]) if r["concluded_at"] else None,
            "clock": {
                "deadline": r["deadline"].isoformat() if r["deadline"] else None,
                "provisional": r["deadline_provisional"],
                "state": r["clock_state"],
                "state_label": CLOCK_LABELS.get(r["clock_state"], r["clock_state"]),
                "days_used": r["days_used"],
                "days_left": r["days_left"],
            },
        }
        for r in rows
    ]


class CaseDetailSerializer(CaseSerializer):
    to_representation = serializers.Serializer.to_representation  # one case: the generic path

    materials_received = serializers.ListField(child=serializers.CharField())
    materials_deferred = serializers.JSONField()
    supplement_items = serializers.ListField(child=serializers.CharField())
    route = serializers.ListField(child=serializers.CharField())
    ledger = ClockEntrySerializer(many=True)
    timeline = CaseEventSerializer(source="events", many=True)


def detail_field_add(name: str, field: serializers.Field) -> None:
    """A hall app adds a read-only field to the case detail from its AppConfig.ready()
    (sites.delivery: `delivery`), so sites.cases imports none of the apps built on it
    (docs/decisions/0025-layers.md)."""
    todo = [CaseDetailSerializer]
    while todo:  # subclasses copied the declared fields when they were made
        cls = todo.pop()
        cls._declared_fields[name] = field
        todo.extend(cls.__subclasses__())


class CaseAcceptedSerializer(CaseDetailSerializer):
    query_code = serializers.CharField(help_text="查询码，仅此一次显示，请打印在受理通知书上。")
    notice_url = serializers.CharField()


# ---------------------------------------------------------------- inputs


class CaseSubmitInput(serializers.Serializer):
    item_code = serializers.CharField(label="事项编码")
    applicant_name = serializers.CharField(label="申请人姓名", max_length=50)
    applicant_id_number = serializers.CharField(label="身份证号", max_length=18)
    applicant_phone = serializers.CharField(label="联系电话", max_length=20)
    materials = serializers.ListField(child=serializers.CharField(), label="已收材料")
    at = serializers.DateTimeField(required=False, label="收件时间")
    as_supplement = serializers.BooleanField(
        required=False, default=False, label="缺少必交材料时登记为补办件(一次性告知)"
    )
    sms_refused = serializers.BooleanField(
        required=False, default=False, label="申请人不接收短信通知"
    )


class AtInput(serializers.Serializer):
    at = serializers.DateTimeField(required=False, label="时间")


class AssignmentInput(serializers.Serializer):
    site = serializers.CharField(required=False, label="承办站点编码")
    window = serializers.CharField(required=False, allow_blank=True, label="窗口号")
    reviewer = serializers.CharField(required=False, allow_blank=True, label="审核人账号")


class AcceptInput(AtInput):
    assignments = serializers.DictField(
        child=AssignmentInput(),
        required=False,
        label="联办件：各协办部门的承办(部门编码 → 站点/窗口/审核人)，缺省为本站",
    )


class RefuseInput(AtInput):
    reasons = serializers.CharField(label="不予受理理由")


class SupplementInput(AtInput):
    items = serializers.ListField(child=serializers.CharField(), label="补正材料(一次性告知)")


class MaterialsInput(AtInput):
    names = serializers.ListField(child=serializers.CharField(), label="补交的容缺材料")


class ExtendInput(AtInput):
    days = serializers.IntegerField(label="延期工作日")
    reason = serializers.CharField(label="延期理由")


class DecideInput(AtInput):
    outcome = serializers.ChoiceField(choices=Outcome.choices, label="办理结果")
    opinion = serializers.CharField(required=False, allow_blank=True, label="审批意见")


class ReturnInput(AtInput):
    reason = serializers.CharField(label="退办理由")
    policy = serializers.CharField(required=False, allow_blank=True, label="政策依据")


class WithdrawInput(AtInput):
    reason = serializers.CharField(label="撤回原因")


class NoteInput(AtInput):
    note = serializers.CharField(required=False, allow_blank=True, label="说明")


class CaseFilterInput(serializers.Serializer):
    status = serializers.ChoiceField(choices=CaseStatus.choices, required=False)
    item = serializers.CharField(required=False)
    clock_state = serializers.ChoiceField(
        choices=[*ClockState.choices, ("provisional", "临时期限")], required=False
    )
    submitted_from = serializers.DateField(required=False)
    submitted_to = serializers.DateField(required=False)
