"""Cases across halls in GraphQL: constant queries per page, visibility, filters, pages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from county.catalogue.sample import catalogue_load_sample
from tests.graph.conftest import make_records
from tests.graph.test_catalogue_graph import gql

PAGE = """query($n: Int!, $after: String) { cases(first: $n, after: $after) {
  pageInfo { hasNextPage endCursor }
  edges { node {
    number statusLabel
    item { code name itemVersion { name promisedLimitDays } }
    ownerSite { code tierLabel } originSite { code }
    path { code }
    clock { deadline daysUsed daysLeft state stateLabel provisional }
    timeline { seq label at site { name } }
  } }
} }"""


def run(client, query, variables=None):
    with CaptureQueriesContext(connection) as ctx:
        status, body = gql(client, query, variables)
    return len(ctx.captured_queries), status, body


@pytest.fixture
def records(tree):
    catalogue_load_sample()
    return make_records(["v-shiqiao", "v-xiaohe", "t-maan", "county"], 120)


def test_a_page_of_100_costs_the_queries_of_a_page_of_10(records, supervisor, client):
    client.force_login(supervisor)
    run(client, PAGE, {"n": 1})  # warm the per-process calendar cache
    small, _, body10 = run(client, PAGE, {"n": 10})
    large, _, body100 = run(client, PAGE, {"n": 100})
    assert "errors" not in body100, body100
    assert len(body10["data"]["cases"]["edges"]) == 10
    assert len(body100["data"]["cases"]["edges"]) == 100
    assert large == small
    node = body100["data"]["cases"]["edges"][0]["node"]
    assert node["number"] == records[-1]  # newest first
    assert node["item"]["itemVersion"]["name"] == "最低生活保障申请"
    assert node["clock"]["stateLabel"] in {"正常", "预警"}
    assert [t["label"] for t in node["timeline"]] == ["收件", "受理", "上报"]


def test_the_path_follows_the_case_up(records, supervisor, client):
    client.force_login(supervisor)
    query = "query($n: String!) { case(number: $n) { path { code } } }"
    _, _, body = run(client, query, {"n": records[0]})
    assert [s["code"] for s in body["data"]["case"]["path"]] == ["v-shiqiao", "t-maan"]


def test_anonymous_gets_an_error_and_no_data(records, client):
    _, _, body = run(client, PAGE, {"n": 10})
    assert body["data"] is None
    assert body["errors"][0]["message"] == "需要工作人员登录。"


def test_a_township_clerk_sees_its_subtree_only(records, maan_clerk, client):
    client.force_login(maan_clerk)
    _, _, body = run(client, PAGE, {"n": 100})
    owners = {e["node"]["ownerSite"]["code"] for e in body["data"]["cases"]["edges"]}
    assert owners == {"t-maan"}
    other = next(n for n in records if n.startswith("v-xiaohe"))
    _, _, single = run(client, "query($n: String!) { case(number: $n) { number } }", {"n": other})
    assert single["data"]["case"] is None


def test_walking_every_page_returns_each_case_once(records, supervisor, client):
    client.force_login(supervisor)
    seen, after = [], None
    while True:
        _, _, body = run(client, PAGE, {"n": 50, "after": after})
        page = body["data"]["cases"]
        seen += [e["node"]["number"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == list(reversed(records))


def test_filters(records, supervisor, client):
    client.force_login(supervisor)
    query = """{ cases(first: 100, site: "t-huangtan", clockState: "warning") {
      edges { node { ownerSite { code } clock { state } } } } }"""
    _, _, body = run(client, query)
    edges = body["data"]["cases"]["edges"]
    assert edges
    assert {e["node"]["ownerSite"]["code"] for e in edges} == {"t-huangtan"}
    assert {e["node"]["clock"]["state"] for e in edges} == {"warning"}
    _, _, none = run(
        client, '{ cases(first: 5, submittedTo: "2026-11-01") { edges { node { number } } } }'
    )
    assert none["data"]["cases"]["edges"] == []


def test_the_total_is_counted_only_when_asked(records, supervisor, client):
    client.force_login(supervisor)
    without, _, _ = run(client, "{ cases(first: 5) { edges { node { number } } } }")
    with_total, _, body = run(
        client, "{ cases(first: 5) { totalCount edges { node { number } } } }"
    )
    assert body["data"]["cases"]["totalCount"] == 120
    assert with_total == without + 1


def test_bad_page_sizes_and_cursors_are_errors(records, supervisor, client):
    client.force_login(supervisor)
    _, _, body = run(client, "{ cases(first: 101) { edges { node { number } } } }")
    assert body["data"] is None and "1到100" in body["errors"][0]["message"]
    _, _, body = run(client, '{ cases(first: 5, after: "garbage") { edges { node { number } } } }')
    assert body["data"] is None and "游标" in body["errors"][0]["message"]


STATS = """{ site(code: "county") { statistics { received } children {
  code statistics(since: "2026-11-01", until: "2026-11-30") { received accepted concluded
  completionRate overdue } children { code statistics { received } } } } }"""


def test_site_statistics_for_a_period_in_grouped_queries(records, supervisor, client):
    client.force_login(supervisor)
    run(client, STATS)  # warm the per-process caches
    queries, _, body = run(client, STATS)
    assert "errors" not in body, body
    maan = next(c for c in body["data"]["site"]["children"] if c["code"] == "t-maan")
    shiqiao = next(c for c in maan["children"] if c["code"] == "v-shiqiao")
    # 120 cases round-robin over four halls: 30 filed at each
    assert maan["statistics"]["received"] == 30 and shiqiao["statistics"]["received"] == 30
    # a forwarded case counts once: accepted where it is decided (docs/decisions/0024), so
    # 马鞍镇 holds its own 30 and the 30 石桥村 forwarded to it
    assert maan["statistics"]["accepted"] == 60 and maan["statistics"]["concluded"] == 0
    _, _, outside = run(client, STATS.replace("2026-11-30", "2026-11-01"))
    maan_before = next(c for c in outside["data"]["site"]["children"] if c["code"] == "t-maan")
    assert maan_before["statistics"]["received"] == 0
    # session, user, grants, sites, then per period 3 grouped statistics queries for the whole
    # tree (intake where filed, 受理 where decided, outcomes), whatever the number of halls
    assert queries <= 10


def test_statistics_need_a_staff_role(records, client):
    _, _, body = run(client, STATS)
    assert body["data"]["site"] is None
    assert "统计数据仅对" in body["errors"][0]["message"]


def test_pages_hold_when_many_cases_share_a_second(records, supervisor, client):
    from county.readmodel.models import CaseRecord
    from tests.graph.conftest import START

    CaseRecord.objects.filter(number__in=records[:60]).update(submitted_at=START)
    client.force_login(supervisor)
    seen, after = [], None
    while True:
        _, _, body = run(client, PAGE, {"n": 7, "after": after})
        page = body["data"]["cases"]
        seen += [e["node"]["number"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == len(set(seen)) == 120
