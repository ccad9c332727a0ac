"""Lights fire once per case, level and step, naming the hall and department that must act."""

from datetime import date

import pytest

from county.rules.services import rule_set
from county.supervision.alerts import alerts_tick
from county.supervision.models import Alert

pytestmark = pytest.mark.django_db
D = "t-maan-20261110-0001"  # mzj-002 at t-maan, accepted 11-10, deadline 11-19, still open
H = "t-maan-20261109-0001"  # scjg-003 at t-maan, deadline 11-23


def lights():
    return sorted(
        Alert.objects.values_list("number", "level", "step", "site_code", "department_code")
    )


def test_yellow_then_red_each_once(month):
    assert alerts_tick(today=date(2026, 11, 17))["fired"] == 0  # D has 2 working days left
    assert alerts_tick(today=date(2026, 11, 18))["fired"] == 1  # 1 left: yellow
    assert lights() == [(D, "warning", "case", "t-maan", "mzj")]
    assert alerts_tick(today=date(2026, 11, 18))["fired"] == 0  # the same light never again
    # 11-20: D is past 11-19 (red); H has 1 working day left before Monday 11-23 (yellow)
    assert alerts_tick(today=date(2026, 11, 20))["fired"] == 2
    assert alerts_tick(today=date(2026, 11, 20))["fired"] == 0
    assert lights() == [
        (H, "warning", "case", "t-maan", "scjg"),
        (D, "overdue", "case", "t-maan", "mzj"),
        (D, "warning", "case", "t-maan", "mzj"),
    ]


def test_a_red_light_that_came_at_once_brings_its_yellow_too(month):
    assert alerts_tick(today=date(2026, 11, 25))["fired"] == 4  # D and H both past due
    assert {(n, lvl) for n, lvl, *_ in lights()} == {
        (D, "warning"),
        (D, "overdue"),
        (H, "warning"),
        (H, "overdue"),
    }


def test_thresholds_are_county_rules_per_department(month, django_user_model):
    admin = django_user_model.objects.create_superuser("rules-admin", password="x")
    rule_set(
        key="supervision.thresholds", value={"warning_days": 3}, by=admin, scope="department:scjg"
    )
    alerts_tick(today=date(2026, 11, 18))  # H has 3 working days left: yellow for scjg only
    assert {n for n, *_ in lights()} == {D, H}
