"""Every error a person sees is in Chinese: API bodies, error pages, CSRF failure, 413."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from rest_framework.exceptions import Throttled

from deploy.errors import api_exception_handler

CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.django_db
def test_malformed_json_is_answered_in_chinese(client):
    response = client.post("/api/auth/token/", data="{bad", content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": "请求内容不是有效的 JSON。"}


@pytest.mark.django_db
def test_unsupported_media_type_is_answered_in_chinese(client):
    response = client.post("/api/auth/token/", data="a=b", content_type="text/csv")
    assert response.status_code == 415
    assert "不支持的请求内容类型" in response.json()["detail"]


@pytest.mark.django_db
def test_method_not_allowed_not_authenticated_and_not_found_in_chinese(client):
    assert client.delete("/api/auth/token/").json() == {"detail": "不允许此请求方法。"}
    me = client.get("/api/auth/me/")
    assert me.status_code in (401, 403) and me.json() == {
        "detail": "请先登录或提供有效的身份令牌。"
    }
    assert "Not found" not in client.get("/api/catalogue/items/NOPE/").content.decode()


@pytest.mark.django_db
def test_validation_errors_keep_their_field_structure(client):
    response = client.post("/api/auth/token/", data={}, content_type="application/json")
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"username", "password"}
    assert CHINESE.search(body["username"][0])


def test_throttled_says_when_to_retry_in_chinese():
    response = api_exception_handler(Throttled(wait=4.2), {})
    assert response.status_code == 429
    assert response.data == {"detail": "请求过于频繁，请在 5 秒后重试。"}


@pytest.mark.django_db
def test_a_missing_page_is_a_chinese_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


@pytest.mark.django_db
def test_a_three_megabyte_body_is_a_chinese_413_page(client):
    body = "number=" + "x" * (3 * 1024 * 1024)
    response = client.post("/chaxun/", data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    page = response.content.decode()
    assert "提交内容过大" in page and "Traceback" not in page


@pytest.mark.django_db
def test_a_three_megabyte_api_body_is_a_chinese_413(client):
    body = '{"username": "' + "x" * (3 * 1024 * 1024) + '"}'
    response = client.post("/api/auth/token/", data=body, content_type="application/json")
    assert response.status_code == 413
    assert response.json() == {"detail": "提交的内容超过了本站允许的大小，请减少内容后重试。"}


@pytest.mark.django_db
def test_chaxun_without_its_csrf_cookie_is_a_chinese_page(tree):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/chaxun/", {"number": "X", "query_code": "Y"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "页面已过期" in page and "CSRF" not in page


def test_a_services_refusal_is_a_400_with_its_fields_named():
    """The API's one conversion (ADR 0026): a Django ValidationError from a service."""
    keyed = api_exception_handler(ValidationError({"reason": "请填写延期理由。"}), {})
    assert (keyed.status_code, keyed.data) == (400, {"reason": ["请填写延期理由。"]})
    plain = api_exception_handler(ValidationError("办件已结束。"), {})
    assert (plain.status_code, plain.data) == (400, {"non_field_errors": ["办件已结束。"]})
