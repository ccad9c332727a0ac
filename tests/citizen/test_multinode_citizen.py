"""Multi-node: a villager's case, filed at the village station, answered by the county over
HTTP once the village's events arrived, and by the village's own page through the county."""

import http.cookiejar
import json
import re
import socket
import time
import urllib.parse
import urllib.request

import pytest

from tests.support.nodes import Cluster

pytestmark = [pytest.mark.multinode, pytest.mark.slow]

FILE_AND_ACCEPT = """
from django.contrib.auth import get_user_model
from sites.cases import services
user, _ = get_user_model().objects.get_or_create(username="agent")
c = services.case_submit(by=user, item_code='mzj-002', applicant_name='李四',
    applicant_id_number='11010519491231002X', applicant_phone='13812345678',
    materials=['申请人身份证', '临时救助申请书', '困难情况证明材料'])
code = services.case_accept(case=c, by=user)
result = [c.number, code]
"""
STATUS = """query($n: String!, $c: String!) { caseStatus(number: $n, queryCode: $c) {
  itemName statusLabel hall hallTier lastHeardAt steps { label hall } } }"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer")


def graphql(base: str, query: str, variables: dict) -> dict:
    request = urllib.request.Request(
        base + "/graphql/",
        data=json.dumps({"query": query, "variables": variables}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def ask_page(base: str, number: str, code: str) -> str:
    """A citizen's browser: GET the form (CSRF cookie and token), then POST it."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    form = opener.open(base + "/chaxun/", timeout=10).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "number": number, "query_code": code}
    ).encode()
    request = urllib.request.Request(base + "/chaxun/", data=data, headers={"Referer": base})
    return opener.open(request, timeout=20).read().decode()


def test_a_village_case_is_answered_by_the_county_and_at_the_village(tmp_path):
    county_port, village_port = free_port(), free_port()
    county_url = f"http://127.0.0.1:{county_port}"
    with Cluster(tmp_path, extra_env={"HALL_COUNTY_URL": county_url}) as cluster:
        county = cluster.node("county", sample=True)
        village = cluster.node("v-shiqiao")
        for node in (county, village):
            node.start("consume")
            node.start("relay")
        county.python(
            "from county.catalogue.release import catalogue_release_cut\ncatalogue_release_cut()"
        )
        cluster.wait(
            lambda: village.sql("SELECT count(*) FROM catalogue_delegation")[0][0] > 0,
            timeout=90,
            what="catalogue at the village",
        )

        # Given a case filed and accepted at the village station
        number, code = village.python(FILE_AND_ACCEPT)
        cluster.wait(
            lambda: (
                county.sql("SELECT last_seq FROM readmodel_caserecord WHERE number = ?", (number,))
                == [(2,)]
            ),
            timeout=60,
            what="the case at the county",
        )
        county.start("runserver", f"127.0.0.1:{county_port}", "--noreload")
        village.start("runserver", f"127.0.0.1:{village_port}", "--noreload")
        wait_http(county_url + "/")
        wait_http(f"http://127.0.0.1:{village_port}/")

        # When the citizen asks the county with the number and code on the notice
        answer = graphql(county_url, STATUS, {"n": number, "c": code})["data"]["caseStatus"]
        # Then the county answers for the village's case, and says when it last heard
        assert answer["itemName"] == "临时救助" and answer["statusLabel"] == "已受理"
        assert (answer["hall"], answer["hallTier"]) == ("石桥村便民服务站", "村(社区)便民服务站")
        assert [s["label"] for s in answer["steps"]] == ["收件", "受理"]
        assert answer["lastHeardAt"]
        wrong = graphql(county_url, STATUS, {"n": number, "c": "WRONGCOD"})
        assert wrong["data"]["caseStatus"] is None

        # And the village's own page answers through the county
        page = ask_page(f"http://127.0.0.1:{village_port}", number, code)
        assert "已受理" in page and "石桥村便民服务站" in page and "本站记录" not in page
        assert "李四" not in page and "13812345678" not in page

        # When the county is down, the village page still answers, from its own data
        county.stop("runserver")
        page = ask_page(f"http://127.0.0.1:{village_port}", number, code)
        assert "县级中心暂时无法连接" in page and "已受理" in page
