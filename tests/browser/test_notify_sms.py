"""Multi-node, in Chromium, against the fake SMS gateway (tests/support/fake_sms.py): a
village files a villager's case and forwards it (代收代办), the township's chief decides it;
the gateway receives the receipt and acceptance SMS once each, fails twice on the decision
SMS and still receives it once; the township's 短信记录 page shows it, phones masked."""

import re

import pytest

from tests.browser.test_workbench import chinese_only
from tests.citizen.test_multinode_citizen import free_port, wait_http
from tests.support.fake_sms import FakeSms
from tests.support.nodes import Cluster

pytestmark = [pytest.mark.multinode, pytest.mark.slow]

PASSWORD = "Duanxin-2026!"
PHONE = "13812345678"
STAFF = f"""
from permissions.roles import Role
from permissions.services import staff_create
from sites.registry.models import Site
staff_create(username=%r, name=%r, site=Site.objects.get(code=%r), roles=%s,
    password={PASSWORD!r})
"""
# Retries one second apart (then two...) instead of the default 30: set at the county and
# released to the halls like every county rule.
BACKOFF = """
from county.rules.services import rule_set
rule_set(key="notify.sending", value={"attempts": 6, "backoff_seconds": 1}, by=None)
"""


def login(tab, url, username):
    tab.goto(f"{url}/accounts/login/")
    tab.fill("input[name=username]", username)
    tab.fill("input[name=password]", PASSWORD)
    tab.locator("form [type=submit]").first.click()
    tab.wait_for_load_state()


def test_sms_at_receipt_acceptance_and_decision_once_each(tmp_path, browser, screenshot):
    township_port, village_port = free_port(), free_port()
    township_url = f"http://127.0.0.1:{township_port}"
    village_url = f"http://127.0.0.1:{village_port}"
    with FakeSms() as fake:
        env = {
            "HALL_SMS_GATEWAY": "http",
            "HALL_SMS_URL": fake.url,
            "HALL_SMS_TIMEOUT": "2",
        }
        with Cluster(tmp_path, extra_env=env) as cluster:
            county = cluster.node("county", sample=True)
            county.python(BACKOFF)
            township, village = cluster.node("t-maan"), cluster.node("v-shiqiao")
            for node in (county, township, village):
                node.start("consume")
                node.start("relay")
            county.python(
                "from county.catalogue.release import catalogue_release_cut\n"
                "catalogue_release_cut()"
            )
            for node in (township, village):
                cluster.wait(
                    lambda n=node: (
                        n.sql("SELECT count(*) FROM rules_rule WHERE key = 'notify.sending'")[0][0]
                        and n.sql("SELECT count(*) FROM catalogue_delegation")[0][0]
                    ),
                    timeout=90,
                    what=f"catalogue and rules at {node.code}",
                )
                node.start("notify-send")
            village.python(
                STAFF % ("shiqiao-clerk", "周七", "v-shiqiao", "[Role.VILLAGE_AGENT, Role.CLERK]")
            )
            township.python(
                STAFF % ("maan-chief", "赵六", "t-maan", "[Role.CLERK, Role.CHIEF_REPRESENTATIVE]")
            )
            village.start("runserver", f"127.0.0.1:{village_port}", "--noreload")
            township.start("runserver", f"127.0.0.1:{township_port}", "--noreload")
            wait_http(village_url + "/healthz/")
            wait_http(township_url + "/healthz/")

            tab = browser.new_page()
            tab.set_default_timeout(20_000)
            try:
                # Given the village files the villager's case, accepts and forwards it
                login(tab, village_url, "shiqiao-clerk")
                tab.goto(f"{village_url}/gongzuotai/shoujian/?item=mzj-002")
                tab.fill("input[name=applicant_name]", "李四")
                tab.fill("input[name=applicant_id_number]", "11010519491231002X")
                tab.fill("input[name=applicant_phone]", PHONE)
                tab.click("button:has-text('收件')")
                tab.wait_for_url(re.compile(r"/gongzuotai/banjian/"))
                number = tab.url.rstrip("/").rsplit("/", 1)[-1]
                tab.click("button[value=accept]")
                tab.goto(f"{village_url}/gongzuotai/banjian/{number}/")
                tab.fill("input[name=note]", "代收代办，请镇里审批")
                tab.click("button[value=forward]")
                # Then the applicant got the receipt and the acceptance, once each
                cluster.wait(
                    lambda: len(fake.delivered_matching(number)) >= 2,
                    timeout=60,
                    what="receipt and acceptance SMS",
                )
                cluster.wait(
                    lambda: township.sql(
                        "SELECT count(*) FROM cases_case WHERE number = ?", (number,)
                    )[0][0],
                    timeout=60,
                    what="the case at the township",
                )
                # When the gateway fails twice on the decision SMS and the township decides
                fake.fail_next(2, match="结果：")
                login(tab, township_url, "maan-chief")
                tab.goto(f"{township_url}/gongzuotai/banjian/{number}/")
                tab.check("input[name=outcome][value=approved]")
                tab.fill("input[name=opinion]", "符合条件")
                tab.click("button[value=decide]")
                assert "已办结" in tab.inner_text("#status")
                # Then the decision SMS is delivered once, on the third call
                cluster.wait(
                    lambda: fake.delivered_matching("结果："), timeout=60, what="decision SMS"
                )
                cluster.wait(
                    lambda: (
                        township.sql(
                            "SELECT count(*) FROM notify_notification WHERE status = 'sent'"
                        )[0][0]
                        == 3
                    ),  # the decision, the result ready (sites.delivery) and the rating invitation
                    timeout=60,
                    what="the township's outbox sent",
                )
                texts = [m["text"] for m in fake.delivered_matching(number)]
                assert sum("收件，编号" in t for t in texts) == 1, texts
                assert sum("已受理" in t for t in texts) == 1
                assert sum("结果：准予" in t for t in texts) == 1
                assert sum("请对" in t for t in texts) == 1  # the rating invitation
                assert sum("结果已可领取" in t for t in texts) == 1  # 送达: ready at the window
                assert len(texts) == 5
                decision = next(k for k, m in fake.delivered.items() if "结果：" in m["text"])
                assert fake.requests[decision] == 3 and fake.failures == 2
                for key, m in fake.delivered.items():
                    if number in m["text"] and key != decision:
                        assert fake.requests[key] == 1, key

                # The township's 短信记录, reached from the menu: sent, after three tries
                tab.goto(f"{township_url}/")
                tab.click("nav.hall-nav a:has-text('短信记录')")
                row = tab.locator("#sms-log tr", has_text="办结通知")
                assert "已发送" in row.inner_text()
                assert row.locator("td").nth(6).inner_text() == "3"
                text = chinese_only(tab)
                assert PHONE not in text and "138****5678" in text
                screenshot(tab, "sms-log")

                # And the citizen collects the result at the window with the pickup code
                # printed on the 办结通知书: the case shows 已领取
                pickup = township.sql(
                    "SELECT d.pickup_code FROM delivery_delivery d"
                    " JOIN cases_case c ON c.id = d.case_id WHERE c.number = ?",
                    (number,),
                )[0][0]
                tab.goto(f"{township_url}/")
                tab.click("nav.hall-nav a:has-text('结果送达')")
                row = tab.locator(f"tr[data-number='{number}']")
                row.get_by_role("link", name="登记送达").click()
                tab.wait_for_url(re.compile(r"/gongzuotai/songda/[^/]+/$"))
                assert "待领取" in tab.inner_text("#delivery-status")
                tab.fill("#lingqu-pickup_code", pickup)
                tab.fill("#lingqu-collector_id_number", "11010519491231002X")
                tab.get_by_role("button", name="登记领取").click()
                tab.wait_for_url(re.compile(r"\?done=lingqu$"))
                assert "已领取" in tab.inner_text("#delivery-status")
                assert "11010519491231002X" not in tab.inner_text("main")
                screenshot(tab, "collected")
            finally:
                tab.close()
