"""Multi-node, in Chromium: a village agent files and forwards a case at the village station,
the township decides it, and the agent's 我代办的办件 at the village shows the township's
decision (the village asks the county's read model)."""

import re

import pytest

from tests.cases.test_multinode_cases import halls_up
from tests.citizen.test_multinode_citizen import free_port, wait_http
from tests.support.nodes import Cluster

pytestmark = [pytest.mark.multinode, pytest.mark.slow]

PASSWORD = "Daiban-2026!"
AGENT = f"""
from permissions.roles import Role
from permissions.services import staff_create
from sites.registry.models import Site
staff_create(username="shiqiao-agent", name="周七", site=Site.objects.get(code="v-shiqiao"),
    roles=[Role.VILLAGE_AGENT, Role.CLERK], password={PASSWORD!r})
"""
DECIDE = """
from django.contrib.auth import get_user_model
from sites.cases import services
from sites.cases.models import Case
user, _ = get_user_model().objects.get_or_create(username="maan-clerk")
services.case_decide(case=Case.objects.get(number=%r), by=user, outcome="approved")
"""


def test_the_agent_sees_the_townships_decision(tmp_path, browser, screenshot):
    county_port, village_port = free_port(), free_port()
    county_url, village_url = f"http://127.0.0.1:{county_port}", f"http://127.0.0.1:{village_port}"
    with Cluster(tmp_path, extra_env={"HALL_COUNTY_URL": county_url}) as cluster:
        county, township, village = halls_up(cluster)
        village.python(AGENT)
        county.start("runserver", f"127.0.0.1:{county_port}", "--noreload")
        village.start("runserver", f"127.0.0.1:{village_port}", "--noreload")
        wait_http(county_url + "/healthz/")
        wait_http(village_url + "/healthz/")

        tab = browser.new_page()
        tab.set_default_timeout(20_000)
        try:
            # Given the agent files, accepts and forwards a villager's case at the station
            tab.goto(f"{village_url}/accounts/login/")
            tab.fill("input[name=username]", "shiqiao-agent")
            tab.fill("input[name=password]", PASSWORD)
            tab.locator("form [type=submit]").first.click()
            tab.wait_for_load_state()
            tab.goto(f"{village_url}/gongzuotai/shoujian/?item=mzj-002")
            tab.fill("input[name=applicant_name]", "李四")
            tab.fill("input[name=applicant_id_number]", "11010519491231002X")
            tab.fill("input[name=applicant_phone]", "13812345678")
            tab.click("button:has-text('收件')")
            tab.wait_for_url(re.compile(r"/gongzuotai/banjian/"))
            number = tab.url.rstrip("/").rsplit("/", 1)[-1]
            tab.click("button[value=accept]")
            tab.goto(f"{village_url}/gongzuotai/banjian/{number}/")
            tab.fill("input[name=note]", "代收代办，请镇里审批")
            tab.click("button[value=forward]")
            cluster.wait(
                lambda: (
                    township.sql(
                        "SELECT count(*) FROM cases_case c JOIN registry_site s "
                        "ON s.id = c.owner_site_id WHERE c.number = ? AND s.code = 't-maan'",
                        (number,),
                    )[0][0]
                    == 1
                ),
                timeout=60,
                what="the case at the township",
            )
            # When the township decides it
            township.python(DECIDE % number)
            cluster.wait(
                lambda: (
                    county.sql(
                        "SELECT status FROM readmodel_caserecord WHERE number = ?", (number,)
                    )
                    == [("concluded",)]
                ),
                timeout=60,
                what="the decision at the county",
            )
            # Then the agent's list at the village shows the decision and who holds the case
            tab.goto(f"{village_url}/gongzuotai/daiban/")
            row = tab.locator("tr.followed", has_text=number)
            assert row.locator(".status").inner_text() == "已办结（准予）"
            assert row.locator(".holder").inner_text() == "马鞍镇便民服务中心"
            text = tab.inner_text("body")
            assert "县级中心暂时无法连接" not in text and "11010519491231002X" not in text
            from tests.browser.test_workbench import chinese_only

            chinese_only(tab)
            screenshot(tab, "agent-followed")
        finally:
            tab.close()
