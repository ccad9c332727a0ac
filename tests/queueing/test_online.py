"""网上申报: filing with uploads (limits, never publicly served), the clerk's 预审: take in as
a case (query code issued then, handed to the citizen once) or return with what is missing."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from permissions.roles import Role
from sites.cases.models import Case, CaseStatus
from sites.online.models import Application, ApplicationStatus
from tests.cases.factories import ID_NUMBER, PHONE
from tests.queueing.test_pages import staff_client

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def file_online(web, **files):
    data = {
        "applicant_name": "李四",
        "applicant_id_number": ID_NUMBER,
        "applicant_phone": PHONE,
        "note": "家中突发困难",
        **files,
    }
    return web.post(reverse("online:apply", args=["mzj-002"]), data)


def uploads():
    return {
        "file-0": SimpleUploadedFile("id.pdf", PDF, "application/pdf"),
        "file-1": SimpleUploadedFile("form.png", PNG, "image/png"),
    }


def receipt(response):
    html = response.content.decode()
    number = re.search(r'id="receipt-number">([^<]+)<', html).group(1)
    code = re.search(r'id="receipt-code"><strong>([^<]+)<', html).group(1)
    return number, code


def test_a_refused_application_shows_each_error_beside_its_field(township):
    web = Client()
    data = {"applicant_name": "李四", "applicant_id_number": "110105194912310021"}
    refused = web.post(reverse("online:apply", args=["mzj-002"]), {**data, "applicant_phone": "12"})
    assert refused.status_code == 400
    html = refused.content.decode()
    assert 'class="error-summary"' in html and 'href="#id_applicant_phone"' in html
    assert 'id="id_applicant_phone-error"' in html and 'id="id_applicant_id_number-error"' in html
    assert html.index('for="id_applicant_phone"') < html.index('id="id_applicant_phone-error"')
    assert 'value="李四"' in html and "110105194912310021" not in html  # the ID is not echoed


def test_uploads_are_checked_by_type_content_and_size(township, settings):
    web = Client()
    fake = file_online(
        web, **{"file-0": SimpleUploadedFile("id.pdf", b"MZ\x90\x00", "application/pdf")}
    )
    assert fake.status_code == 400 and "文件内容与类型不符" in fake.content.decode()
    exe = file_online(
        web, **{"file-0": SimpleUploadedFile("x.exe", b"MZ", "application/x-msdownload")}
    )
    assert "只接受" in exe.content.decode()
    from county.rules.models import Rule

    Rule.objects.create(
        key="online.uploads", scope="", value={"max_file_mb": 0}, changed_at="2026-12-01T00:00Z"
    )
    big = file_online(web, **uploads())
    assert "文件超过 0 MB" in big.content.decode()
    assert not Application.objects.exists()


def test_file_take_in_as_a_case_and_the_code_is_shown_once(township):
    web = Client()
    number, code = receipt(file_online(web, **uploads()))
    application = Application.objects.get()
    assert application.number == number and application.files.count() == 2
    stored = application.files.first()
    assert "uploads" in stored.file.path and "/static/" not in stored.file.path

    clerk = staff_client(township)
    listed = clerk.get(reverse("workbench:prereview-list")).content.decode()
    assert number in listed
    page = clerk.get(reverse("workbench:prereview", args=[number])).content.decode()
    assert ID_NUMBER not in page and PHONE not in page and "138****5678" in page
    served = clerk.get(reverse("workbench:prereview-file", args=[number, stored.pk]))
    assert served.status_code == 200 and b"".join(served.streaming_content) == PDF
    assert (
        Client().get(reverse("workbench:prereview-file", args=[number, stored.pk])).status_code
        == 302
    )

    clerk.post(
        reverse("workbench:prereview-act", args=[number, "take_in"]),
        {"materials": ["申请人身份证", "临时救助申请书"]},
    )
    application.refresh_from_db()
    case = Case.objects.get()
    assert application.status == ApplicationStatus.TAKEN_IN
    assert application.case_number == case.number and case.status == CaseStatus.ACCEPTED
    assert case.materials_deferred[0]["name"] == "困难情况证明材料"

    first = web.post(reverse("online:status"), {"number": number, "code": code}).content.decode()
    case_code = re.search(r'id="case-code">([^<]+)<', first).group(1)
    from sites.cases.querycode import query_code_matches

    assert query_code_matches(number=case.number, code=case_code, stored=case.query_code_hash)
    again = web.post(reverse("online:status"), {"number": number, "code": code}).content.decode()
    assert case.number in again and case_code not in again  # handed over once
    wrong = web.post(reverse("online:status"), {"number": number, "code": "WRONG123"})
    assert "未查询到" in wrong.content.decode()


def test_return_with_the_complete_list_of_what_is_missing(township):
    web = Client()
    number, code = receipt(file_online(web, **uploads()))
    clerk = staff_client(township)
    clerk.post(
        reverse("workbench:prereview-act", args=[number, "return"]),
        {"missing": "户口簿\n收入证明\n", "note": "请补齐后重新申报"},
    )
    application = Application.objects.get()
    assert application.status == ApplicationStatus.RETURNED
    assert application.missing == ["户口簿", "收入证明"]
    again = clerk.post(
        reverse("workbench:prereview-act", args=[number, "return"]), {"missing": "x"}
    )
    assert again.status_code == 302 and Application.objects.get().missing == ["户口簿", "收入证明"]
    shown = web.post(reverse("online:status"), {"number": number, "code": code}).content.decode()
    assert "户口簿" in shown and "收入证明" in shown and "一次性告知" in shown


def test_prereview_refuses_anonymous_wrong_site_and_wrong_tier(township, halls):
    number, _ = receipt(file_online(Client(), **uploads()))
    urls = [
        reverse("workbench:prereview-list"),
        reverse("workbench:prereview", args=[number]),
    ]
    act = reverse("workbench:prereview-act", args=[number, "return"])
    for url in urls:
        assert Client().get(url).status_code == 302
    assert Client().post(act, {"missing": "x"}).status_code == 302
    for web in (
        staff_client(halls["t-huangtan"], name="other"),
        staff_client(halls["v-shiqiao"], Role.VILLAGE_AGENT, name="agent"),
        staff_client(halls["county"], Role.COUNTY_SUPERVISOR, name="sup"),
    ):
        for url in urls:
            assert web.get(url).status_code == 403
        assert web.post(act, {"missing": "x"}).status_code == 403
    assert Application.objects.get().status == ApplicationStatus.SUBMITTED
