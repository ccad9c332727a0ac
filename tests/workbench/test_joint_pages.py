"""联办件 pages: the supervisor's stalled board with 改派, the chief's 集中会签 list; each
refused to anonymous callers, the wrong tier and the wrong site; queries constant per page."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from permissions.roles import Role
from sites.cases.models import Case, CaseStatus
from sites.joint.models import Part, PartRecord
from tests.joint.conftest import joint_case, person

pytestmark = pytest.mark.django_db
SPREAD = {"hbj": {"site": "t-maan"}, "zrzy": {"site": "t-huangtan"}}
BOARD = reverse("workbench:stalled")
SIGN = reverse("workbench:countersign")


def web(user=None) -> Client:
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


def constant_queries(client, url, row_mark, django_assert_num_queries, small=1, big=4):
    """The page costs as many queries with `big` rows as with `small` (rows counted by mark)."""
    with CaptureQueriesContext(connection) as few:
        page = client.get(url, {"size": small})
    assert page.content.decode().count(row_mark) == small
    with django_assert_num_queries(len(few.captured_queries)):
        page = client.get(url, {"size": big})
    assert page.content.decode().count(row_mark) == big


def stall(case, department="hbj", overdue=True):
    today = timezone.localdate()
    PartRecord.objects.filter(key=f"{case.number}:{department}").update(
        warning_from=today - timedelta(days=3),
        deadline=today - timedelta(days=1) if overdue else today + timedelta(days=1),
    )


@pytest.fixture
def people(joint, lead_clerk, supervisor):
    return {
        "lead": lead_clerk,
        "supervisor": supervisor,
        "chief": person(joint["county"], Role.CHIEF_REPRESENTATIVE, "首代"),
        "township": person(joint["t-maan"], Role.CLERK, "马鞍镇"),
        "township_chief": person(joint["t-maan"], Role.CHIEF_REPRESENTATIVE, "马鞍镇首代"),
        "village": person(joint["v-shiqiao"], Role.CLERK, "石桥村"),
    }


def test_the_supervisor_sees_stalled_parts_and_reassigns_one(people):
    case = joint_case(by=people["lead"], assignments=SPREAD)
    stall(case)
    boss = web(people["supervisor"])
    page = boss.get(BOARD).content.decode()
    part = Part.objects.get(case=case, department__code="hbj")
    assert case.number in page and part.department.name in page
    assert "超时" in page and "改派理由" in page
    url = reverse("workbench:reassign", args=[case.number, "hbj"])
    done = boss.post(url, {"site": "t-huangtan", "reason": "马鞍镇停电"})
    assert done.status_code == 302
    part.refresh_from_db()
    assert part.site.code == "t-huangtan" and part.generation == 2
    after = boss.get(BOARD).content.decode()
    assert f"已改派至{part.site.name}" in after


def test_a_refused_reassignment_says_why_in_chinese(people):
    case = joint_case(by=people["lead"], assignments=SPREAD)
    stall(case)
    url = reverse("workbench:reassign", args=[case.number, "hbj"])
    boss = web(people["supervisor"])
    refused = boss.post(url, {"site": "t-maan", "reason": "停滞"})
    assert refused.status_code == 400  # the board again, the reason on top
    assert 'class="error-summary"' in refused.content.decode()
    assert "改派目标与当前承办相同" in refused.content.decode()
    from_case = boss.post(url, {"site": "t-maan", "reason": "停滞", "back": "case"})
    assert from_case.status_code == 400  # the case page it was asked from
    assert case.number in from_case.content.decode()
    assert "改派目标与当前承办相同" in from_case.content.decode()


def test_reassignment_refused_to_anonymous_wrong_tier_and_wrong_site(people):
    case = joint_case(by=people["lead"], assignments=SPREAD)
    url = reverse("workbench:reassign", args=[case.number, "hbj"])
    body = {"site": "t-huangtan", "reason": "停滞"}
    assert web().post(url, body).status_code == 302  # to the login page
    assert web(people["lead"]).post(url, body).status_code == 403  # a clerk: not a supervisor
    assert web(people["township_chief"]).post(url, body).status_code == 403  # township tier
    assert web(people["village"]).post(url, body).status_code == 404  # not even visible there
    assert Part.objects.get(case=case, department__code="hbj").generation == 1


def test_the_board_is_refused_to_anonymous_and_to_clerks(people):
    assert web().get(BOARD).status_code == 302
    assert web(people["lead"]).get(BOARD).status_code == 403
    assert web(people["township_chief"]).get(BOARD).status_code == 403


def test_board_queries_constant_in_page_size(people, django_assert_num_queries):
    for _ in range(4):
        stall(joint_case(by=people["lead"], assignments=SPREAD))
    constant_queries(web(people["supervisor"]), BOARD, 'class="stalled', django_assert_num_queries)


def answered(case):
    Part.objects.filter(case=case).update(state="deemed", answered_at=timezone.now())


def test_the_chief_countersigns_a_ready_case(people):
    waiting = joint_case(by=people["lead"], assignments=SPREAD)
    ready = joint_case(by=people["lead"], assignments=SPREAD)
    answered(ready)
    page = web(people["chief"]).get(SIGN).content.decode()
    assert ready.number in page and waiting.number not in page
    assert ready.applicant_id_number not in page
    url = reverse("workbench:act", args=[ready.number, "countersign"])
    web(people["chief"]).post(url, {"outcome": "approved", "opinion": "同意"})
    ready.refresh_from_db()
    assert ready.status == CaseStatus.CONCLUDED and ready.outcome == "approved"
    assert ready.number not in web(people["chief"]).get(SIGN).content.decode()


def test_countersign_refused_to_anonymous_wrong_tier_and_wrong_site(people):
    case = joint_case(by=people["lead"], assignments=SPREAD)
    answered(case)
    url = reverse("workbench:act", args=[case.number, "countersign"])
    body = {"outcome": "approved"}
    assert web().post(url, body).status_code == 302
    assert web(people["supervisor"]).post(url, body).status_code == 403  # sees, may not act
    assert web(people["township_chief"]).post(url, body).status_code == 404  # another hall's
    assert Case.objects.get(pk=case.pk).status == CaseStatus.ACCEPTED
    assert web().get(SIGN).status_code == 302
    assert web(people["lead"]).get(SIGN).status_code == 403  # a clerk does not sign
    assert web(people["township_chief"]).get(SIGN).status_code == 403  # a chief elsewhere


def test_countersign_list_queries_constant_in_page_size(people, django_assert_num_queries):
    for _ in range(4):
        answered(joint_case(by=people["lead"], assignments=SPREAD))
    constant_queries(web(people["chief"]), SIGN, 'class="ready"', django_assert_num_queries)
