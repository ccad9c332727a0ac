"""The citizen page every hall serves: the county's answer, or the hall's own, labelled."""

import pytest

from tests.citizen.conftest import ALL_MATERIALS, APPLICANT, ID_NUMBER, accept_case


def post(client, number, code):
    return client.post("/chaxun/", {"number": number, "query_code": code})


def test_the_form_speaks_chinese_and_fits_a_phone(client, halls):
    page = client.get("/chaxun/").content.decode()
    assert "办件编号" in page and "查询码" in page
    assert 'name="viewport"' in page


def test_at_the_county_the_page_answers_from_the_read_model(client, accepted):
    number, code = accepted
    page = post(client, number, code).content.decode()
    assert "已受理" in page and "结婚登记" in page and "青山县政务服务中心" in page
    assert APPLICANT not in page and ID_NUMBER not in page
    assert "本站记录" not in page


def test_a_county_node_without_the_county_answerer_answers_from_its_own_data(
    client, accepted, monkeypatch
):
    """The answerer is handed in by county.graph (docs/decisions/0025-layers.md); a node
    without it falls back as if the county were unreachable, never a 500."""
    from sites.citizen import county_client

    monkeypatch.setattr(county_client, "_here", {})
    number, code = accepted
    page = post(client, number, code).content.decode()
    assert "县级中心暂时无法连接" in page
    assert "已受理" in page and APPLICANT not in page


def test_a_wrong_code_gets_the_one_answer(client, accepted):
    number, _ = accepted
    page = post(client, number, "WRONGCOD").content.decode()
    assert "未查询到办件" in page and "已受理" not in page


def test_a_township_falls_back_to_its_own_data_when_the_county_is_down(client, accepted, settings):
    number, code = accepted
    settings.HALL_TIER = "township"
    settings.HALL_COUNTY_URL = "http://127.0.0.1:9"  # nothing listens there
    page = post(client, number, code).content.decode()
    assert "县级中心暂时无法连接" in page
    assert "已受理" in page and APPLICANT not in page


@pytest.mark.django_db(transaction=True)
def test_a_township_asks_the_county_over_http(live_server, settings, halls):
    from django.test import Client

    number, code = accept_case(halls["county"])
    settings.HALL_TIER = "township"
    settings.HALL_COUNTY_URL = live_server.url
    page = post(Client(), number, code).content.decode()
    assert "已受理" in page and "青山县政务服务中心" in page
    assert "本站记录" not in page


@pytest.mark.django_db(transaction=True)
def test_a_case_the_county_has_not_heard_of_yet_is_answered_locally(live_server, settings, halls):
    from django.test import Client

    settings.HALL_SITE, settings.HALL_TIER = "t-maan", "township"
    settings.HALL_COUNTY_URL = live_server.url
    # Filed at the township: its events wait in the outbox, the county has not heard yet.
    number, code = accept_case(halls["t-maan"], item="mzj-002", materials=ALL_MATERIALS)
    page = post(Client(), number, code).content.decode()
    assert "县级中心尚未收到本站最新消息" in page
    assert "已受理" in page and "马鞍镇便民服务中心" in page
