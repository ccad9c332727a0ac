"""caseStatus at the county: public, one answer for every failure, no personal data."""

import json

from tests.citizen.conftest import APPLICANT, ID_NUMBER, PHONE
from tests.graph.test_catalogue_graph import gql

QUERY = """query($n: String!, $c: String!) { caseStatus(number: $n, queryCode: $c) {
  number itemName statusLabel outcomeLabel hall hallTier acceptedOn promisedOn
  promisedProvisional lastHeardAt steps { label at hall } } }"""


def ask(client, number, code):
    return gql(client, QUERY, {"n": number, "c": code})


def test_the_number_and_code_on_the_notice_answer(accepted, client):
    number, code = accepted
    _, body = ask(client, number, code.lower())  # codes are read aloud: case-insensitive
    answer = body["data"]["caseStatus"]
    assert answer["number"] == number
    assert answer["itemName"] == "结婚登记"
    assert answer["statusLabel"] == "已受理"
    assert (answer["hall"], answer["hallTier"]) == ("青山县政务服务中心", "县政务服务中心")
    assert [s["label"] for s in answer["steps"]] == ["收件", "受理"]
    assert answer["acceptedOn"] and answer["promisedOn"] == answer["acceptedOn"]  # instant item


def test_no_personal_data_and_no_staff_names(accepted, client):
    number, code = accepted
    _, body = ask(client, number, code)
    text = json.dumps(body, ensure_ascii=False)
    for secret in (APPLICANT, ID_NUMBER, PHONE, "王窗口", "1381234", ID_NUMBER[-4:]):
        assert secret not in text


def test_unknown_number_and_wrong_code_get_the_same_answer(accepted, client):
    number, code = accepted
    _, wrong = ask(client, number, "WRONGCOD")
    _, unknown = ask(client, "county-20990101-0001", code)
    _, empty = ask(client, "", "")
    assert wrong == unknown == empty
    assert wrong["data"]["caseStatus"] is None
    assert wrong["errors"][0]["message"] == "未查询到办件，请核对办件编号和查询码。"


def test_too_many_queries_from_one_address_are_refused(accepted, client, settings):
    settings.HALL_CITIZEN_QUERY_LIMITS = [(3, 60)]
    number, code = accepted
    answers = [ask(client, number, "WRONGCOD")[1] for _ in range(3)]
    assert all(a["data"]["caseStatus"] is None for a in answers)
    _, blocked = ask(client, number, code)  # even the right code, once over the limit
    assert blocked["data"]["caseStatus"] is None
    assert blocked["errors"][0]["message"] == "查询过于频繁，请稍后再试。"
