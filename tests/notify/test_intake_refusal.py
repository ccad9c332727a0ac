"""The applicant refuses SMS at intake (收件 page and API): nothing is written or sent for
the case at any step, here or after a transfer; without the tick everything is sent."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from sites.cases import services
from sites.cases.models import Case
from sites.notify.models import Notification, SmsRecord
from sites.notify.worker import send_due
from tests.cases.factories import signer
from tests.workbench.test_pages import clerk_client, intake_post

pytestmark = pytest.mark.django_db


def test_refused_on_the_intake_page_nothing_is_sent(township):
    web, user = clerk_client(township)
    page = web.get(reverse("workbench:intake"), {"item": "mzj-002"}).content.decode()
    assert "申请人不接收短信通知" in page
    assert intake_post(web, sms_refused="on").status_code == 302
    case = Case.objects.get()
    services.case_accept(case=case, by=user)
    services.case_decide(case=case, by=signer(case, user), outcome="approved")
    send_due()
    assert Notification.objects.count() == 0
    assert SmsRecord.objects.count() == 0


def test_not_refused_every_step_is_sent_once(township):
    web, user = clerk_client(township)
    assert intake_post(web).status_code == 302
    case = Case.objects.get()
    services.case_accept(case=case, by=user)
    send_due()
    send_due()
    texts = list(SmsRecord.objects.order_by("id").values_list("text", flat=True))
    assert len(texts) == 2
    assert texts[0].startswith("您的“临时救助”申请已由") and case.number in texts[0]
    assert "已受理" in texts[1] and "承诺于" in texts[1]


def test_refused_through_the_api(township):
    _, user = clerk_client(township)
    api = APIClient()
    api.force_authenticate(user)
    answer = api.post(
        "/api/cases/",
        {
            "item_code": "mzj-002",
            "applicant_name": "李四",
            "applicant_id_number": "11010519491231002X",
            "applicant_phone": "13812345678",
            "materials": ["申请人身份证", "临时救助申请书", "困难情况证明材料"],
            "sms_refused": True,
        },
        format="json",
    )
    assert answer.status_code == 201, answer.content
    assert Notification.objects.count() == 0
