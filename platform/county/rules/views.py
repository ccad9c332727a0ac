"""规则 pages at the county: every registered rule with its value in force, and an edit form
generated from the rule's fields (numbers, texts, switches) — no raw JSON for anyone."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render

from county.catalogue.services import NOT_ALLOWED, catalogue_may_write
from county.rules.access import may_read_rules
from county.rules.models import COUNTY_SCOPE, RuleChange
from county.rules.registry import rule_spec, rule_specs
from county.rules.selectors import rule_value, rule_values
from county.rules.services import rule_set


def _may_edit(request) -> None:
    if not catalogue_may_write(user=request.user):
        raise PermissionDenied(NOT_ALLOWED)


def rule_form_class(spec):
    fields = {}
    for name, default in spec.default.items():
        label = spec.labels.get(name, name)
        if isinstance(default, bool):
            fields[name] = forms.BooleanField(label=label, required=False)
        elif isinstance(default, int):
            fields[name] = forms.IntegerField(label=label)
        elif isinstance(default, float):
            fields[name] = forms.FloatField(label=label)
        else:
            fields[name] = forms.CharField(label=label, max_length=200, required=False)
    fields["note"] = forms.CharField(label="修改说明", max_length=200, required=False)
    return type("RuleForm", (forms.Form,), fields)


@login_required
def rule_list(request):
    if not may_read_rules(user=request.user):  # supervisors read, the catalogue's authors edit
        raise PermissionDenied(NOT_ALLOWED)
    rows = [(spec, rule_values(spec.key)) for spec in rule_specs()]
    context = {"rows": rows, "may_edit": catalogue_may_write(user=request.user)}
    return render(request, "rules/list.html", context)


@login_required
def rule_edit(request, key: str):
    _may_edit(request)
    try:
        spec = rule_spec(key)
    except LookupError:
        raise Http404("没有这项规则") from None
    asked = ScopeForm(request.POST if request.method == "POST" else request.GET)
    scope = ((asked.cleaned_data.get("scope") if asked.is_valid() else "") or COUNTY_SCOPE).strip()
    form_class = rule_form_class(spec)
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            note = data.pop("note", "")
            try:
                rule_set(key=key, value=data, by=request.user, scope=scope, note=note)
            except ValidationError as exc:
                # (getattr's default is evaluated first: a dict error has no error_list)
                by_field = (
                    exc.error_dict if hasattr(exc, "error_dict") else {"__all__": exc.error_list}
                )
                for field, errors in by_field.items():
                    for error in errors:
                        form.add_error(None if field in ("__all__", "scope") else field, error)
            else:
                return redirect("rules:list")
    else:
        form = form_class(initial=rule_value(key, scopes=(scope,) if scope else ()))
    history = RuleChange.objects.filter(key=key)[:20]
    context = {"spec": spec, "form": form, "scope": scope, "history": history}
    return render(request, "rules/edit.html", context, status=400 if form.errors else 200)


class ScopeForm(forms.Form):
    """?scope= : the county, or one hall's code."""

    scope = forms.CharField(max_length=40, required=False)
