"""The citizen's query in at most 3 SQL statements (issue 27): the rate limit (every window in
one upsert), the case row (with its hall and when the county last heard from it), and the
public steps (with each hall's name) — for caseStatus over HTTP and for the county's /chaxun/."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.citizen.test_case_status_graph import ask

MAX_QUERIES = 3


@pytest.fixture
def no_cleanup(monkeypatch):
    """The rate limit deletes old windows on one request in a hundred (random); pin it off so
    the count is the ordinary request's."""
    monkeypatch.setattr("permissions.ratelimit.random.random", lambda: 0.5)


def test_case_status_answers_in_three_queries(accepted, client, no_cleanup):
    number, code = accepted
    ask(client, number, code)  # a first request: the rate windows' rows now exist
    with CaptureQueriesContext(connection) as ctx:
        _, body = ask(client, number, code)
    assert body["data"]["caseStatus"]["steps"], body
    assert body["data"]["caseStatus"]["hallTier"] == "县政务服务中心"
    assert len(ctx.captured_queries) <= MAX_QUERIES, [q["sql"] for q in ctx.captured_queries]


def test_a_wrong_code_costs_no_more(accepted, client, no_cleanup):
    number, _ = accepted
    with CaptureQueriesContext(connection) as ctx:
        _, body = ask(client, number, "WRONGCOD")
    assert body["data"]["caseStatus"] is None
    assert len(ctx.captured_queries) <= MAX_QUERIES, [q["sql"] for q in ctx.captured_queries]


def test_the_county_page_answers_in_three_queries_and_counts_once(
    accepted, client, no_cleanup, settings
):
    from permissions.models import RateCounter

    number, code = accepted
    with CaptureQueriesContext(connection) as ctx:
        page = client.post("/chaxun/", {"number": number, "query_code": code})
    assert page.status_code == 200 and "已受理" in page.content.decode()
    assert len(ctx.captured_queries) <= MAX_QUERIES, [q["sql"] for q in ctx.captured_queries]
    # the page and the schema it asks in-process count the query once, not twice
    assert set(RateCounter.objects.values_list("count", flat=True)) == {1}


@pytest.mark.django_db(transaction=True)
def test_the_one_statement_limit_counts_every_window_outside_a_transaction(no_cleanup):
    """Autocommit, as a request runs: on PostgreSQL the statement also turns off its commit's
    WAL wait; the counts still add up and the limit still refuses."""
    from permissions.models import RateCounter
    from permissions.ratelimit import RateLimited, rate_limit_hits

    hits = [("t:burst", 2, 60), ("t:hour", 5, 3600)]
    for _ in range(2):
        with CaptureQueriesContext(connection) as ctx:
            rate_limit_hits(hits)
        assert len(ctx.captured_queries) == 1
    with pytest.raises(RateLimited):
        rate_limit_hits(hits)
    counts = dict(RateCounter.objects.values_list("key", "count"))
    assert counts == {"t:burst": 3, "t:hour": 3}
    with connection.cursor() as cursor:  # the setting was the statement's own, not the session's
        cursor.execute(
            "SHOW synchronous_commit" if connection.vendor == "postgresql" else "SELECT 'on'"
        )
        assert cursor.fetchone()[0] == "on"


@pytest.mark.django_db(transaction=True)
def test_old_windows_go_in_the_same_statement_on_postgresql(monkeypatch):
    """The one request in a hundred that deletes old windows: on PostgreSQL still one
    statement (a DELETE in its WITH), elsewhere one more."""
    from datetime import timedelta

    from django.utils import timezone

    from permissions.models import RateCounter
    from permissions.ratelimit import rate_limit_hits

    old = timezone.now() - timedelta(days=3)
    RateCounter.objects.create(key="t:old", window_start=old, count=5)
    monkeypatch.setattr("permissions.ratelimit.random.random", lambda: 0.0)
    with CaptureQueriesContext(connection) as ctx:
        rate_limit_hits([("t:new", 10, 60)])
    assert len(ctx.captured_queries) == (1 if connection.vendor == "postgresql" else 2)
    assert set(RateCounter.objects.values_list("key", flat=True)) == {"t:new"}
