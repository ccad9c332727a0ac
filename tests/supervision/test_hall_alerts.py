"""At a township: lights over the cases it holds, their 容缺 due dates and open supplements."""

import pytest
from django.utils import timezone

from county.supervision.alerts import alerts_tick
from county.supervision.models import Alert
from county.workdays.selectors import add_working_days
from tests.cases.factories import case_make, clerk

pytestmark = pytest.mark.django_db


@pytest.fixture
def township_node(halls, at_site, settings):
    settings.HALL_TIER = "township"
    at_site("t-maan")
    return halls["t-maan"]


def test_deferred_material_case_clock_and_supplement_each_light_once(township_node):
    user = clerk(township_node)
    # Given a case accepted with 困难情况证明材料 deferred (due in 3 working days, 容缺)
    deferred = case_make(by=user, state="accepted", materials=["申请人身份证", "临时救助申请书"])
    # and a case waiting for supplements (补正)
    waiting = case_make(by=user, state="suspended")
    today = timezone.localdate()
    # When the tick runs on the due day of the material, then well past the promised limit
    alerts_tick(today=add_working_days(today, 3).date)
    assert set(Alert.objects.values_list("number", "level", "step")) == {
        (deferred.number, "warning", "deferred"),
    }
    later = add_working_days(today, 12).date
    alerts_tick(today=later)
    alerts_tick(today=later)
    lights = set(Alert.objects.values_list("number", "level", "step", "site_code"))
    assert lights == {
        (deferred.number, "warning", "deferred", "t-maan"),
        (deferred.number, "overdue", "deferred", "t-maan"),
        (deferred.number, "warning", "case", "t-maan"),
        (deferred.number, "overdue", "case", "t-maan"),
        (waiting.number, "warning", "supplement", "t-maan"),
    }
    assert Alert.objects.filter(department_code="mzj").count() == 5
