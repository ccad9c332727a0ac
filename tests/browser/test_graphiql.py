"""GraphiQL at the county's /graphql/ in Chromium: every file from the hall itself, and a
query runs."""

from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_graphiql_runs_a_query_with_no_outside_request(page, tree, screenshot):
    requested = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(page.base_url + "/graphql/?query=%7B%20sites%20%7B%20code%20name%20%7D%20%7D")
    page.wait_for_selector(".graphiql-execute-button")
    page.click(".graphiql-execute-button")
    page.wait_for_function(
        "document.querySelector('.result-window') &&"
        " document.querySelector('.result-window').innerText.includes('t-maan')"
    )
    assert "马鞍镇便民服务中心" in page.inner_text(".result-window")
    screenshot(page, "graphiql")
    here = urlsplit(page.base_url).netloc
    outside = [
        u
        for u in requested
        if urlsplit(u).scheme in ("http", "https") and urlsplit(u).netloc != here
    ]
    assert not outside, outside
    for element in page.query_selector_all("script[src], link[href]"):
        url = element.get_attribute("src") or element.get_attribute("href")
        assert not urlsplit(url).netloc or urlsplit(url).netloc == here, url
