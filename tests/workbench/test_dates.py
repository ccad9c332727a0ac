"""Validated dates: no filing or acceptance before the item version and the delegation
existed, nor in the future; the services say so in Chinese, the API and the pages show it."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from county.catalogue.models import Delegation, ItemVersion
from permissions.roles import Role
from permissions.services import staff_create
from sites.cases import services
from sites.cases.models import Case
from tests.cases.factories import ALL_MATERIALS, ID_NUMBER, PHONE, case_make
from tests.cases.test_services import submit as submit_case
from tests.workbench.test_pages import clerk_client, intake_post

pytestmark = pytest.mark.django_db


def submit(by, at):
    return submit_case(by, at=at)


def clerk(site):
    return staff_create(
        username=f"{site.code}-dates", name="王五", site=site, roles=[Role.CLERK], password=None
    )


def test_filing_before_the_delegation_is_refused(township):
    granted = timezone.now() - timedelta(days=10)
    Delegation.objects.filter(site=township, item__code="mzj-002").update(granted_at=granted)
    by = clerk(township)
    with pytest.raises(ValidationError) as refused:
        submit(by, granted - timedelta(days=1))
    assert "不能早于该事项下放到本站点的时间" in refused.value.message_dict["at"][0]
    assert submit(by, granted + timedelta(hours=1)).number


def test_filing_before_the_item_version_is_refused(halls, at_site):
    at_site("county")
    published = timezone.now() - timedelta(days=3)
    ItemVersion.objects.filter(item__code="mzj-002").update(created_at=published)
    with pytest.raises(ValidationError) as refused:
        submit(clerk(halls["county"]), published - timedelta(days=1))
    assert "发布时间" in refused.value.message_dict["at"][0]


def test_filing_and_accepting_in_the_future_are_refused(township):
    by = clerk(township)
    tomorrow = timezone.now() + timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        submit(by, tomorrow)
    assert refused.value.message_dict["at"] == ["时间不能晚于当前时间。"]
    case = case_make(by=by)
    with pytest.raises(ValidationError):
        services.case_accept(case=case, by=by, at=tomorrow)


def test_accepting_before_a_re_granted_delegation_is_refused(township):
    by = clerk(township)
    case = case_make(by=by, when=timezone.now() - timedelta(days=5))
    regranted = timezone.now() - timedelta(days=2)
    Delegation.objects.filter(site=township, item__code="mzj-002").update(granted_at=regranted)
    with pytest.raises(ValidationError) as refused:
        services.case_accept(case=case, by=by, at=regranted - timedelta(days=1))
    assert "下放到本站点" in refused.value.message_dict["at"][0]


def test_the_api_shows_the_chinese_error_on_the_field(township):
    api = APIClient()
    api.force_authenticate(clerk(township))
    granted = timezone.now() - timedelta(days=10)
    Delegation.objects.filter(site=township, item__code="mzj-002").update(granted_at=granted)
    body = {
        "item_code": "mzj-002",
        "applicant_name": "李四",
        "applicant_id_number": ID_NUMBER,
        "applicant_phone": PHONE,
        "materials": ALL_MATERIALS,
        "at": (granted - timedelta(days=1)).isoformat(),
    }
    answer = api.post(reverse("case-list"), body, format="json")
    assert answer.status_code == 400
    assert "下放到本站点" in answer.json()["at"][0]


def test_the_intake_page_shows_the_error_beside_the_time(township):
    web, _ = clerk_client(township)
    future = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    page = intake_post(web, submitted_at=future)
    assert page.status_code == 400 and "时间不能晚于当前时间" in page.content.decode()
    assert 'id="id_submitted_at-error"' in page.content.decode()
    earlier = (timezone.localtime() - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    made = intake_post(web, submitted_at=earlier)
    assert made.status_code == 302
    assert Case.objects.get().submitted_at < timezone.now() - timedelta(hours=1)
