"""The hall office's forms for what no point moved without (issue 22): 回访核实 of a bad
rating, 交办 of a complaint to its department and the department's answer, 查实 (处置) of
a complaint. Errors beside the fields with 400; refused to anonymous, a clerk, a township."""

import pytest

from county.assessment import feedback as assess
from county.assessment.models import PointEntry
from permissions.roles import Role
from sites.feedback import services
from sites.feedback.models import Complaint, ComplaintStep, Rating
from tests.feedback.test_pages import login
from tests.permissions.factories import staff


@pytest.fixture
def bad_rating(served):
    case, _, _ = served
    facts = services.case_facts(case)
    services.rating_give(facts=facts, level="very_dissatisfied", channel="window", comment="慢")
    return Rating.objects.get()


@pytest.fixture
def complaint(served):
    case, _, _ = served
    number = services.complaint_file(facts=services.case_facts(case), content="窗口态度恶劣推诿")
    return Complaint.objects.get(number=number)


@pytest.fixture
def office(halls, client):
    login(client, staff(halls["county"], Role.COUNTY_SUPERVISOR))
    return client


def test_the_office_verifies_a_bad_rating_from_the_list(bad_rating, office):
    url = f"/kaohe/chaping/{bad_rating.pk}/hecha/"
    assert url in office.get("/kaohe/chaping/").content.decode()  # reached by a click
    page = office.get(url).content.decode()
    assert "核实结论" in page and "属窗口工作人员本人责任" in page

    empty = office.post(url, {})
    assert empty.status_code == 400 and 'id="id_note-error"' in empty.content.decode()
    # the service's rule shows on the page: not upheld cannot be the person's fault
    wrong = office.post(url, {"upheld": "no", "staff_fault": "on", "note": "电话回访"})
    assert wrong.status_code == 400 and "不属实的差评不能认定" in wrong.content.decode()
    assert not PointEntry.objects.exists()

    done = office.post(url, {"upheld": "yes", "staff_fault": "on", "note": "调取录像，属实"})
    assert done.status_code == 302 and done.url == "/kaohe/chaping/"
    assert sorted(PointEntry.objects.values_list("rule", "points")) == [
        ("dissatisfied", -2),
        ("dissatisfied_upheld", -10),
    ]
    assert "回访核实</a>" not in office.get("/kaohe/chaping/").content.decode()
    again = office.post(url, {"upheld": "yes", "note": "再次核实"})
    assert again.status_code == 400 and "该差评已核实" in again.content.decode()
    assert PointEntry.objects.count() == 2


def test_a_rating_found_untrue_costs_nothing(bad_rating, office):
    url = f"/kaohe/chaping/{bad_rating.pk}/hecha/"
    assert office.post(url, {"upheld": "no", "note": "申请人误点"}).status_code == 302
    bad_rating.refresh_from_db()
    assert bad_rating.verified_at and bad_rating.upheld is False
    assert not PointEntry.objects.exists()


def test_the_office_hands_a_complaint_to_its_department_and_records_the_answer(complaint, office):
    url = f"/kaohe/tousu/{complaint.pk}/chuli/"
    assert url in office.get("/kaohe/tousu/").content.decode()
    assert "交办" in office.get(url).content.decode()
    early = office.post(url, {"action": "answer", "answer": "已整改"})
    assert early.status_code == 400 and "该投诉未交办部门" in early.content.decode()
    assert office.post(url, {"action": "assign"}).status_code == 302
    complaint.refresh_from_db()
    assert complaint.assigned_at and complaint.answer_due
    again = office.post(url, {"action": "assign"})
    assert again.status_code == 400 and "该投诉已交办" in again.content.decode()

    empty = office.post(url, {"action": "answer", "answer": ""})
    assert empty.status_code == 400 and 'id="id_answer-error"' in empty.content.decode()
    assert office.post(url, {"action": "answer", "answer": "已约谈整改"}).status_code == 302
    complaint.refresh_from_db()
    assert complaint.answered_at and complaint.department_answer == "已约谈整改"
    assert "已约谈整改" in office.get(url).content.decode()
    unknown = office.post(url, {"action": "drop"})
    assert unknown.status_code == 400 and "未知的操作" in unknown.content.decode()


def test_the_office_finds_a_complaint_upheld_and_serious(complaint, office):
    url = f"/kaohe/tousu/{complaint.pk}/chuli/"
    finding = {"action": "dispose", "upheld": "yes", "serious": "on", "disposal": "经查属实"}
    early = office.post(url, finding)  # not investigated yet
    assert early.status_code == 400 and "当前环节不能进行此操作" in early.content.decode()
    for step, text in (("accept", ""), ("investigate", "调取录像")):
        assess.complaint_advance(complaint=complaint, step=step, text=text, by=None)
    assert 'name="serious"' in office.get(url).content.decode()
    assert office.post(url, {**finding, "upheld": ""}).status_code == 400
    assert office.post(url, finding).status_code == 302
    complaint.refresh_from_db()
    assert complaint.step == ComplaintStep.DISPOSED and complaint.upheld is True
    assert sorted(PointEntry.objects.values_list("rule", "points")) == [
        ("complaint_attitude_serious", -5),
        ("complaint_upheld", -10),
    ]


@pytest.mark.parametrize("who", ["anonymous", "clerk", "auditor", "township-chief"])
def test_the_office_forms_are_refused(bad_rating, complaint, halls, client, who):
    if who == "clerk":
        login(client, staff(halls["county"], Role.CLERK))
    elif who == "auditor":
        login(client, staff(halls["county"], Role.AUDITOR))
    elif who == "township-chief":
        login(client, staff(halls["t-maan"], Role.CHIEF_REPRESENTATIVE))
    verify = f"/kaohe/chaping/{bad_rating.pk}/hecha/"
    handle = f"/kaohe/tousu/{complaint.pk}/chuli/"
    for url in (verify, handle):
        assert client.get(url).status_code in (302, 403), url
    assert client.post(verify, {"upheld": "yes", "note": "属实"}).status_code in (302, 403)
    assert client.post(handle, {"action": "assign"}).status_code in (302, 403)
    finding = {"action": "dispose", "upheld": "yes", "disposal": "属实"}
    assert client.post(handle, finding).status_code in (302, 403)
    bad_rating.refresh_from_db()
    complaint.refresh_from_db()
    assert bad_rating.verified_at is None and complaint.assigned_at is None
    assert not PointEntry.objects.exists()
