"""Catalogue admin for the county's catalogue admins. Saving an item publishes a new version."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from county.catalogue.materials import MaterialsField
from county.catalogue.models import Delegation, HandlingType, Item, ItemKind, ItemVersion
from county.catalogue.services import (
    VERSION_FIELDS,
    catalogue_may_write,
    check_version_fields,
    delegation_check,
    delegation_grant,
    delegation_withdraw,
    item_create,
    item_revise,
)
from sites.registry.models import Department


class CountyOnly:
    """Only the county authors the catalogue, and only with the catalogue permission there;
    other halls and other staff see it read-only."""

    def _authoring(self, request) -> bool:
        return getattr(settings, "HALL_AUTHORS_CATALOGUE", False) and catalogue_may_write(
            user=request.user
        )

    def has_add_permission(self, request, *args) -> bool:
        return self._authoring(request) and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._authoring(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ItemForm(forms.ModelForm):
    """The item and the rules of its next version in one form."""

    name = forms.CharField(label="事项名称", max_length=100)
    kind = forms.ChoiceField(label="事项类型", choices=ItemKind.choices)
    handling_type = forms.ChoiceField(label="办件类型", choices=HandlingType.choices)
    legal_limit_days = forms.IntegerField(label="法定时限(工作日)", min_value=0)
    promised_limit_days = forms.IntegerField(label="承诺时限(工作日)", min_value=0)
    fees = forms.CharField(label="收费标准", initial="不收费")
    legal_basis = forms.CharField(label="法定依据", widget=forms.Textarea(attrs={"rows": 2}))
    content = forms.CharField(
        label="办理内容", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    procedure = forms.CharField(
        label="办事程序", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    materials = MaterialsField(label="申报材料", initial=list)
    co_departments = forms.ModelMultipleChoiceField(
        label="联办部门", queryset=Department.objects.all(), required=False
    )
    part_limit_days = forms.IntegerField(label="联办部门时限(工作日)", required=False, min_value=1)
    change_note = forms.CharField(label="变更说明", required=False)

    class Meta:
        model = Item
        fields = ["code", "department"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.version_fields():  # a rule added to ItemVersion gets its field here
            if name not in self.fields:
                self.fields[name] = ItemVersion._meta.get_field(name).formfield()
        latest = self.instance.latest if self.instance.pk else None
        if latest:
            self.fields["code"].disabled = True
            for name in self.version_fields():
                self.initial[name] = getattr(latest, name)
            self.initial["co_departments"] = list(latest.co_departments.all())
            self.initial["materials"] = [dict(m) for m in latest.materials]

    def clean(self):
        data = super().clean()
        fields = {name: data.get(name) for name in self.version_fields()}
        fields["materials"] = fields["materials"] or []
        try:
            check_version_fields(fields, list(data.get("co_departments") or []))
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        return data

    @staticmethod
    def version_fields() -> tuple[str, ...]:
        return VERSION_FIELDS


class ItemVersionInline(admin.TabularInline):
    model = ItemVersion
    fields = [
        "number",
        "name",
        "handling_type",
        "legal_limit_days",
        "promised_limit_days",
        "change_note",
        "created_at",
    ]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class DelegationInline(admin.TabularInline):
    model = Delegation
    fields = ["site", "mode", "granted_at", "withdrawn_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Item)
class ItemAdmin(CountyOnly, admin.ModelAdmin):
    form = ItemForm
    list_display = ["code", "current_name", "department", "current_version"]
    list_filter = ["department"]
    search_fields = ["code", "versions__name"]
    inlines = [ItemVersionInline, DelegationInline]

    @admin.display(description="事项名称")
    def current_name(self, obj: Item) -> str:
        latest = obj.latest
        return latest.name if latest else ""

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data.get(name) for name in ItemForm.version_fields()}
        co = list(form.cleaned_data.get("co_departments") or [])
        note = form.cleaned_data.get("change_note", "")
        if change:
            version = item_revise(
                item=obj,
                by=request.user,
                change_note=note,
                co_departments=co,
                department=obj.department,
                **data,
            )
        else:
            version = item_create(
                code=obj.code,
                department=obj.department,
                by=request.user,
                change_note=note,
                co_departments=co,
                **data,
            )
        # The admin goes on with `obj` (log entry, redirect): make it the saved item.
        obj.pk = version.item.pk
        obj._state.adding = False
        obj.refresh_from_db()
        messages.info(request, f"已发布 {version.item.code} 第{version.number}版。")

    def save_related(self, request, form, formsets, change):
        """Versions and delegations are written by the services, not by inline formsets."""

    def construct_change_message(self, request, form, formsets, add=False):
        return super().construct_change_message(request, form, [], add)


@admin.register(ItemVersion)
class ItemVersionAdmin(admin.ModelAdmin):
    """Published versions: readable forever, never edited."""

    list_display = ["item", "number", "name", "handling_type", "promised_limit_days", "created_at"]
    list_filter = ["handling_type", "kind", "department"]
    search_fields = ["item__code", "name"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class DelegationForm(forms.ModelForm):
    class Meta:
        model = Delegation
        fields = ["item", "site", "mode", "note"]

    def clean(self):
        data = super().clean()
        if self.instance.pk is None and data.get("item") and data.get("site") and data.get("mode"):
            try:
                delegation_check(item=data["item"], site=data["site"], mode=data["mode"])
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    self.add_error(field if field in self.fields else None, errors)
        return data


@admin.register(Delegation)
class DelegationAdmin(CountyOnly, admin.ModelAdmin):
    form = DelegationForm
    list_display = ["item", "site", "mode", "granted_at", "withdrawn_at"]
    list_filter = ["mode", "site"]
    actions = ["withdraw"]

    def get_readonly_fields(self, request, obj=None):
        return ["item", "site", "mode", "note", "granted_at", "withdrawn_at"] if obj else []

    def save_model(self, request, obj, form, change):
        if not change:
            form.instance = delegation_grant(
                item=obj.item, site=obj.site, mode=obj.mode, note=obj.note, by=request.user
            )

    @admin.action(description="收回所选下放")
    def withdraw(self, request, queryset):
        done = 0
        for delegation in queryset.filter(withdrawn_at__isnull=True):
            delegation_withdraw(delegation=delegation, by=request.user)
            done += 1
        messages.info(request, f"已收回 {done} 项下放；已受理的办件继续办理。")
