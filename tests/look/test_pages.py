"""Error pages, DEBUG and the displays of issue 21 (part 2): Chinese words, Beijing times,
halls by name, no Python values, a plain <title>."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
import uuid

import pytest
from django.test import RequestFactory

from deploy import errors
from deploy.errors import server_error
from deploy.prepare import DEMO_PASSWORD, demo_staff_ensure
from sync.models import OriginState
from tests.cases.conftest import at_site, halls  # noqa: F401  (shared fixtures)

pytestmark = pytest.mark.django_db
TITLE = re.compile(r"<title>(.*?)</title>", re.S)


def title(html: str) -> str:
    return TITLE.search(html).group(1).strip()


def test_debug_is_off_unless_asked_for():
    env = {k: v for k, v in os.environ.items() if k != "HALL_DEBUG"}
    code = "import deploy.settings.base as s; print(s.DEBUG, s.WHITENOISE_USE_FINDERS)"
    off = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    on = subprocess.run(
        [sys.executable, "-c", code], env={**env, "HALL_DEBUG": "1"}, capture_output=True, text=True
    )
    assert off.stdout.split() == ["False", "True"], off.stderr
    assert on.stdout.split() == ["True", "True"], on.stderr


def test_the_stylesheet_is_served_by_the_hall(client):
    answer = client.get("/static/deploy/hall.css")
    assert answer.status_code == 200
    assert b".error-summary" in b"".join(answer.streaming_content)


@pytest.mark.parametrize(
    ("how", "status", "words"),
    [
        ("404", 404, "页面不存在"),
        ("405", 405, "操作方式有误"),
        ("400", 400, "请求有误"),
        ("403", 403, "无权访问"),
    ],
)
def test_chinese_error_pages_with_a_way_back(how, status, words, halls, at_site, client):  # noqa: F811
    at_site("v-shiqiao")
    demo_staff_ensure()
    if how == "404":
        answer = client.get("/no-such-page/")
    elif how == "405":  # an action opened by its address instead of its button
        client.login(username="v-shiqiao-clerk", password=DEMO_PASSWORD)
        answer = client.get("/gongzuotai/banjian/v-shiqiao-1/caozuo/accept/")
    elif how == "400":
        answer = client.get("/", HTTP_HOST="evil.example.com")
    else:
        client.login(username="v-shiqiao-agent", password=DEMO_PASSWORD)
        answer = client.get("/gongzuotai/jiaohao/")
    html = answer.content.decode()
    assert answer.status_code == status
    assert words in title(html) and 'href="/"' in html and 'class="hall-nav"' in html
    if how == "405":
        assert answer["Allow"] == "POST"


def test_the_500_page_is_chinese_even_without_a_database(rf: RequestFactory, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database away")

    monkeypatch.setattr(errors, "render", broken)
    answer = server_error(rf.get("/"))
    assert answer.status_code == 500 and "系统出错" in answer.content.decode()


def test_the_staff_front_page_shows_sync_in_beijing_time_and_halls_by_name(
    halls,  # noqa: F811
    at_site,  # noqa: F811
    client,
):
    at_site("t-maan")
    demo_staff_ensure()
    OriginState.objects.create(
        origin="county",
        last_msg_id=uuid.uuid4(),
        last_type="catalogue.release",
        last_at=dt.datetime(2026, 12, 7, 17, 57, 12, 783083, tzinfo=dt.UTC),
        applied=3,
    )
    client.login(username="t-maan-clerk", password=DEMO_PASSWORD)
    html = client.get("/").content.decode()
    assert "最后收到青山县政务服务中心的消息" in html
    assert "2026年12月8日 01:57" in html  # 17:57 UTC is 01:57 the next day in Beijing
    assert "+00:00" not in html and "最后收到 county" not in html


def test_rules_and_complaints_read_in_chinese(halls, at_site, client):  # noqa: F811
    at_site("county")
    demo_staff_ensure()
    client.login(username="county-supervisor", password=DEMO_PASSWORD)
    html = client.get("/guize/").content.decode()
    body = html[html.index("<main") :]
    assert "seed" not in body and not re.search(r"\b(True|False|None)\b", body)
    assert "《政务大厅管理制度》" in body


def test_every_title_is_plain_text(halls, at_site, client):  # noqa: F811
    at_site("county")
    demo_staff_ensure()
    client.login(username="county-supervisor", password=DEMO_PASSWORD)
    for url in ("/", "/jiancha/", "/kaohe/", "/guize/", "/jiancha/duban/", "/kaohe/tousu/"):
        text = title(client.get(url).content.decode())
        assert text and "<" not in text and "csrf" not in text, (url, text)
