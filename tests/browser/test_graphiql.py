"""GraphiQL at the county's /graphql/ in Chromium: every file from the hall itself, and a
query runs."""

from urllib.parse import urlencode, urlsplit

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


def test_graphiql_speaks_chinese_but_leaves_queries_and_schema_names_alone(page, tree, screenshot):
    # given GraphiQL opened with a query whose comment holds words GraphiQL itself uses
    query = "# Type Fields Variables\n{ sites { code } }"
    page.goto(page.base_url + "/graphql/?" + urlencode({"query": query}))
    page.wait_for_selector(".graphiql-execute-button")
    # then its own buttons and tabs are in Chinese
    page.wait_for_function(
        "document.querySelector('.graphiql-execute-button')"
        ".getAttribute('aria-label') === '运行查询 (Ctrl-Enter)'"
    )
    assert page.get_attribute("[aria-label='美化查询 (Shift-Ctrl-P)']", "aria-label")
    tools = page.inner_text(".graphiql-editor-tools")
    assert "变量" in tools and "请求头" in tools and "Variables" not in tools
    # and the documentation explorer opens under its Chinese name, with headings in Chinese
    page.click("[aria-label='打开字段说明']")
    page.wait_for_selector(".graphiql-doc-explorer")
    page.wait_for_function(
        "document.querySelector('.graphiql-doc-explorer').innerText.includes('入口类型')"
    )
    explorer = page.inner_text(".graphiql-doc-explorer")
    assert "Root Types" not in explorer and "provides a root type" not in explorer
    # but the schema's own type names and the user's query text stay as they are
    assert "Query" in explorer
    assert "# Type Fields Variables" in page.inner_text(".graphiql-query-editor")
    screenshot(page, "graphiql-zh")
