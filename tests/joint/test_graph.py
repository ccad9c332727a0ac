"""Joint approvals in the county's GraphQL: parts on cases, the stalled list, query counts."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from permissions.roles import Role
from sites.joint.models import PartRecord
from sites.joint.reassign import part_reassign
from sites.joint.supervision import parts_deem_due
from tests.graph.test_catalogue_graph import gql
from tests.joint.conftest import joint_case, person

pytestmark = pytest.mark.django_db

PARTS = """query($n: Int!) { cases(first: $n) { edges { node {
  number
  parts {
    key state stateLabel deemed deemedPoints opinion opinionLabel reasons answeredBy
    deadline daysLeft clockState generation
    assignee { department departmentName site { code } window }
    reassignments { at by reason restart from { site { code } } to { site { code } } }
  }
} } } }"""

STALLED = """{ stalledParts { key caseNumber clockState assignee { site { code } } } }"""


def run(client, query, variables=None):
    with CaptureQueriesContext(connection) as ctx:
        status, body = gql(client, query, variables)
    assert status == 200 and "errors" not in body, body
    return len(ctx.captured_queries), body["data"]


@pytest.fixture
def cases(lead_clerk, supervisor):
    spread = {"hbj": {"site": "t-maan"}, "zrzy": {"site": "t-huangtan"}}
    made = [joint_case(by=lead_clerk, assignments=spread) for _ in range(4)]
    first = made[0]
    part_reassign(
        part=first.parts.get(department__code="hbj"),
        by=supervisor,
        site="t-huangtan",
        reason="马鞍镇停电",
    )
    return made


def test_parts_show_opinions_deemed_consent_and_reassignments(cases, supervisor, client, joint):
    from sites.joint.models import Part

    first = cases[0]
    wjj = Part.objects.get(case=first, department__code="wjj")
    from sites.joint.services import part_opinion_give

    reviewer = person(joint["county"], Role.DEPARTMENT_REVIEWER, "卫健审核")
    part_opinion_give(part=wjj, by=reviewer, opinion="disagree", reasons="卫生条件不合格")
    parts_deem_due(today=wjj.deadline + timedelta(days=1))
    client.force_login(supervisor)
    _, data = run(client, PARTS, {"n": 10})
    nodes = {e["node"]["number"]: e["node"]["parts"] for e in data["cases"]["edges"]}
    parts = {p["assignee"]["department"]: p for p in nodes[first.number]}
    assert parts["wjj"]["opinionLabel"] == "不同意" and parts["wjj"]["deemed"] is False
    assert parts["zrzy"]["deemed"] is True and parts["zrzy"]["deemedPoints"] == -5
    assert parts["zrzy"]["stateLabel"] == "逾期默认同意"
    hbj = parts["hbj"]
    assert hbj["assignee"]["site"]["code"] == "t-huangtan" and hbj["generation"] == 2
    [move] = hbj["reassignments"]
    assert (move["from"]["site"]["code"], move["to"]["site"]["code"]) == ("t-maan", "t-huangtan")
    assert move["reason"] == "马鞍镇停电" and move["by"] == "监管"


def test_a_page_of_cases_with_parts_costs_the_same_queries_whatever_its_size(
    cases, supervisor, client
):
    client.force_login(supervisor)
    run(client, PARTS, {"n": 1})  # warm the per-process calendar cache
    small, _ = run(client, PARTS, {"n": 1})
    large, four = run(client, PARTS, {"n": 4})
    assert len(four["cases"]["edges"]) == 4
    assert all(len(e["node"]["parts"]) == 3 for e in four["cases"]["edges"])
    assert large == small


def test_stalled_parts_for_the_supervisor_oldest_deadline_first(cases, supervisor, client, joint):
    today = timezone.localdate()
    a, b = cases[1], cases[2]
    PartRecord.objects.filter(key=f"{a.number}:zrzy").update(
        warning_from=today, deadline=today + timedelta(days=1)
    )
    PartRecord.objects.filter(key=f"{b.number}:hbj").update(
        warning_from=today - timedelta(days=4), deadline=today - timedelta(days=1)
    )
    client.force_login(supervisor)
    _, data = run(client, STALLED)
    assert [(p["key"], p["clockState"]) for p in data["stalledParts"]] == [
        (f"{b.number}:hbj", "overdue"),
        (f"{a.number}:zrzy", "warning"),
    ]
    # a clerk is not shown the supervisor's list
    client.force_login(person(joint["t-maan"], Role.CLERK, "马鞍镇"))
    _, data = run(client, STALLED)
    assert data["stalledParts"] == []
