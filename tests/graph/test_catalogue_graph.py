"""GraphQL at the county: the site tree and the catalogue, with limits that hold."""

import json
import urllib.request

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from county.catalogue.sample import catalogue_load_sample
from county.graph.limits import MAX_DEPTH


def gql(client, query, variables=None):
    response = client.post(
        "/graphql/",
        json.dumps({"query": query, "variables": variables or {}}),
        content_type="application/json",
    )
    return response.status_code, response.json()


@pytest.fixture
def catalogue(tree):
    catalogue_load_sample()
    return tree


TREE = """{ site(code: "county") { name children {
  code tierLabel children { code parent { code } } } } }"""


def test_the_site_tree_in_one_query(tree, client, django_assert_num_queries):
    with django_assert_num_queries(1):
        status, body = gql(client, TREE)
    assert status == 200 and "errors" not in body
    townships = body["data"]["site"]["children"]
    assert {t["code"] for t in townships} == {"t-maan", "t-huangtan"}
    maan = next(t for t in townships if t["code"] == "t-maan")
    assert maan["tierLabel"] == "乡镇便民服务中心"
    assert {v["code"] for v in maan["children"]} == {"v-shiqiao", "v-liujia"}
    assert {v["parent"]["code"] for v in maan["children"]} == {"t-maan"}


ITEMS = """query($n: Int!) { items(first: $n) { totalCount edges { node {
  code current { name handlingType materials { name deferrable } coDepartments { name } }
  versions { number } delegations(active: true) { mode site { code tierLabel } }
} } } }"""


def queries_for(client, n):
    with CaptureQueriesContext(connection) as ctx:
        status, body = gql(client, ITEMS, {"n": n})
    assert status == 200 and "errors" not in body, body
    return len(ctx.captured_queries), body


def test_an_item_page_costs_the_same_queries_for_5_or_30_rows(catalogue, client):
    small, _ = queries_for(client, 5)
    large, body = queries_for(client, 30)
    assert large == small
    edges = body["data"]["items"]["edges"]
    assert len(edges) == 30 and body["data"]["items"]["totalCount"] >= 30
    delegated = [e for e in edges if e["node"]["delegations"]]
    assert delegated and delegated[0]["node"]["delegations"][0]["site"]["tierLabel"]


def test_items_filter_by_the_current_handling_type(catalogue, client):
    joint = 'items(first: 50, handlingType: "joint")'
    _, body = gql(client, f"{{ {joint} {{ edges {{ node {{ current {{ handlingType }} }} }} }} }}")
    kinds = {e["node"]["current"]["handlingType"] for e in body["data"]["items"]["edges"]}
    assert kinds == {"joint"}


def test_a_page_above_the_cap_is_an_error_not_data(catalogue, client):
    status, body = gql(client, "{ items(first: 500) { edges { node { code } } } }")
    assert status == 200
    assert body["data"]["items"] is None
    assert "exceeds the `first` limit of 100" in body["errors"][0]["message"]


def test_too_deep_is_refused_before_running(tree, client, django_assert_num_queries):
    nested = "code " + "parent { " * (MAX_DEPTH + 1) + "code" + " }" * (MAX_DEPTH + 1)
    with django_assert_num_queries(0):
        status, body = gql(client, f"{{ sites {{ {nested} }} }}")
    assert status == 400
    assert "exceeds maximum operation depth" in body["errors"][0]["message"]
    assert "data" not in body or body["data"] is None


def test_too_costly_is_refused_before_running(tree, client, django_assert_num_queries):
    query = (
        "{ items(first: 100) { edges { node { versions { number } delegations { uid } code } } } "
        "a: items(first: 100) { edges { node { code } } } }"
    )
    wide = (
        "{ "
        + " ".join(f"i{n}: items(first: 100) {{ edges {{ node {{ code }} }} }}" for n in range(70))
        + " }"
    )
    status, body = gql(client, query)
    assert status == 200
    with django_assert_num_queries(0):
        status, body = gql(client, wide)
    assert status == 400 and "查询过于复杂" in body["errors"][0]["message"]


def test_unknown_fields_and_wrong_types_are_errors(tree, client):
    status, body = gql(client, "{ sites { code secret } }")
    assert status == 400 and "没有字段 secret" in body["errors"][0]["message"]
    status, body = gql(client, '{ items(first: "ten") { edges { node { code } } } }')
    assert status == 400 and body["errors"]


@pytest.mark.django_db(transaction=True)
def test_over_real_http(live_server, tree):
    request = urllib.request.Request(
        live_server.url + "/graphql/",
        data=json.dumps({"query": "{ sites { code } }"}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        body = json.loads(response.read())
    assert {"county", "t-maan", "v-dongping"} <= {s["code"] for s in body["data"]["sites"]}


def test_an_overlong_document_is_refused(tree, client):
    _, body = gql(client, "{ sites { code } }" + " " * 20_001)
    assert body["errors"][0]["message"].startswith("查询过长")
    assert body.get("data") is None


def test_the_same_document_is_validated_once(tree, client):
    from county.graph.views import query_checked

    query_checked.cache_clear()
    for _ in range(3):
        assert gql(client, "{ sites { code } }")[0] == 200
    info = query_checked.cache_info()
    assert (info.misses, info.hits) == (1, 2)


def test_graphiql_can_be_turned_off(tree, client, settings):
    settings.HALL_GRAPHIQL = False  # read per request
    page = client.get("/graphql/", HTTP_ACCEPT="text/html")
    assert b"graphiql" not in page.content.lower()
