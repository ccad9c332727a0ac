"""GraphiQL from the hall's own files, and GraphQL errors in Chinese."""

import re

import pytest
from django.test import Client

from county.graph.errors import message_chinese

pytestmark = pytest.mark.django_db
EXTERNAL = re.compile(r"""(?:src|href)=["'](?:https?:)?//""")


def ask(query, client=None, **variables):
    client = client or Client()
    return client.post(
        "/graphql/", {"query": query, "variables": variables}, content_type="application/json"
    ).json()


def test_graphiql_loads_only_the_halls_own_files(tree):
    page = Client().get("/graphql/", HTTP_ACCEPT="text/html")
    html = page.content.decode()
    assert page.status_code == 200 and "全县办件查询" in html
    assert "/static/deploy/vendor/graphiql/graphiql.min.js" in html
    assert not EXTERNAL.search(html), EXTERNAL.search(html).group(0)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("{ sites { code ", "语法错误：此处应为 Name，实际为 <EOF>。"),
        ("{ sites { nosuch } }", "类型 Site 没有字段 nosuch。"),
        ("{ site { code } }", "字段 site 缺少必填参数 code(类型 String!)。"),
        ("{ sites }", "须列出要查询的子字段"),
        ("{ cases { edges { node { number } } } }", "需要工作人员登录。"),
        ("mutation { x }", "本接口只读"),
    ],
)
def test_errors_are_chinese(tree, query, expected):
    errors = ask(query)["errors"]
    assert expected in errors[0]["message"], errors


def test_an_unknown_english_message_is_labelled_and_kept():
    assert message_chinese("Something odd.") == "查询出错：Something odd."
    assert message_chinese("需要工作人员登录。") == "需要工作人员登录。"


def test_no_query_is_a_chinese_400(tree):
    answer = Client().post("/graphql/", {}, content_type="application/json")
    assert answer.status_code == 400 and "请提供查询语句" in answer.json()["errors"][0]["message"]
