"""Citizens' case-status query: number + query code, one answer for every failure, rate
limited per address, no personal data."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.permissions.factories import QUERY_CODE, case_at

URL = "/api/public/case-status/"


@pytest.fixture
def case(catalogue):
    return case_at(catalogue["v-shiqiao"])


def test_the_right_code_answers_without_personal_data(case):
    r = APIClient().post(URL, {"number": case.number, "query_code": QUERY_CODE.lower()})
    assert r.status_code == 200
    body = r.json()
    assert body["number"] == case.number and body["status_label"] == "已收件"
    text = r.content.decode()
    for secret in ("李四", "11010519491231002X", "13812345678", case.query_code_hash):
        assert secret not in text
    assert set(body) == {
        "number",
        "item",
        "status",
        "status_label",
        "outcome_label",
        "site",
        "submitted_on",
        "accepted_on",
        "concluded_on",
        "deadline",
        "clock_state_label",
    }


@pytest.mark.parametrize(
    "how",
    ["wrong_code", "no_such_case", "empty", "missing_fields", "nul", "too_long", "not_text"],
)
def test_every_failure_gets_the_same_answer(case, how):
    client = APIClient()
    reference = client.post(URL, {"number": "nope", "query_code": "NOPE"}, REMOTE_ADDR="10.9.9.9")
    data = {
        "wrong_code": {"number": case.number, "query_code": "WRONG234"},
        "no_such_case": {"number": case.number + "x", "query_code": QUERY_CODE},
        "empty": {"number": "", "query_code": ""},
        "missing_fields": {},
        # found by schemathesis: a NUL reached PostgreSQL and answered 500 (issue 25)
        "nul": {"number": "t-maan\x00", "query_code": QUERY_CODE},
        "too_long": {"number": "t" * 10_000, "query_code": QUERY_CODE},
        "not_text": {"number": {"a": [1]}, "query_code": None},
    }[how]
    r = client.post(URL, data, format="json")
    assert (r.status_code, r.content) == (reference.status_code, reference.content)
    assert r.status_code == 404


def test_rate_limited_per_address(case, settings):
    settings.HALL_CITIZEN_QUERY_LIMITS = [(3, 60)]
    client = APIClient()
    for _ in range(3):
        client.post(URL, {"number": "x", "query_code": "y"}, REMOTE_ADDR="10.0.0.7")
    r = client.post(URL, {"number": case.number, "query_code": QUERY_CODE}, REMOTE_ADDR="10.0.0.7")
    assert r.status_code == 429 and int(r["Retry-After"]) >= 1
    # another address is not affected
    r = client.post(URL, {"number": case.number, "query_code": QUERY_CODE}, REMOTE_ADDR="10.0.0.8")
    assert r.status_code == 200


def test_forwarded_for_is_ignored_unless_a_proxy_is_trusted(case, settings):
    settings.HALL_CITIZEN_QUERY_LIMITS = [(2, 60)]
    client = APIClient()
    for i in range(2):
        client.post(URL, {}, REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR=f"1.1.1.{i}")
    r = client.post(URL, {}, REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="1.1.1.99")
    assert r.status_code == 429  # spoofed header did not give a fresh budget


def test_a_citizen_session_cookie_does_not_matter(case, django_user_model):
    # the endpoint authenticates nobody: staff cookies neither help nor hurt
    client = APIClient()
    client.force_login(django_user_model.objects.create_user("someone"))
    r = client.post(URL, {"number": case.number, "query_code": "WRONG234"})
    assert r.status_code == 404
