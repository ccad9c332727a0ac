"""Staff authentication: password rule, lockout on the page and the API, token use."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from permissions.auth import login_failure_record, login_locked
from permissions.models import LoginThrottle
from tests.permissions.factories import staff

GOOD = "Qingshan-2026"


@pytest.fixture
def clerk(tree):
    return staff(tree["t-maan"], "clerk", username="wang", password=GOOD)


@pytest.mark.parametrize(
    "password",
    ["short1A", "alllowercaseletters", "1234567890123", "onlyletters-and", "qingshan2026"],
)
def test_weak_passwords_are_refused(tree, password):
    with pytest.raises(ValidationError):
        staff(tree["t-maan"], "clerk", password=password)


def test_token_login_then_api(clerk):
    client = APIClient()
    response = client.post("/api/auth/token/", {"username": "wang", "password": GOOD})
    assert response.status_code == 200
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    me = client.get("/api/auth/me/").json()
    assert me["roles"] == [{"site": "t-maan", "role": "clerk", "label": "窗口办事员"}]
    assert client.post("/api/auth/token/revoke/").status_code == 204
    assert client.get("/api/auth/me/").status_code in (401, 403)  # the token is gone


def test_api_lockout_after_repeated_failures(clerk):
    client = APIClient()
    for _ in range(5):
        r = client.post("/api/auth/token/", {"username": "wang", "password": "wrong"})
        assert r.status_code == 400
    assert "锁定" in r.json()["detail"]
    # the right password no longer helps while locked
    r = client.post("/api/auth/token/", {"username": "wang", "password": GOOD})
    assert r.status_code == 403
    assert "锁定" in r.json()["detail"]


def test_unknown_usernames_lock_the_same_way(tree):
    # no difference between real and made-up accounts: nothing to enumerate
    client = APIClient()
    for _ in range(5):
        client.post("/api/auth/token/", {"username": "nobody", "password": "wrong"})
    assert login_locked(username="nobody")


def test_page_login_lockout_and_success(clerk, client):
    page = client.get("/accounts/login/")
    assert page.status_code == 200 and "工作人员登录" in page.content.decode()
    ok = client.post("/accounts/login/", {"username": "wang", "password": GOOD})
    assert ok.status_code == 302
    client.post("/accounts/logout/")
    for _ in range(5):
        r = client.post("/accounts/login/", {"username": "WANG", "password": "nope"})
    assert "锁定" in r.content.decode()  # usernames are locked case-insensitively
    r = client.post("/accounts/login/", {"username": "wang", "password": GOOD})
    assert r.status_code == 200 and "锁定" in r.content.decode()


def test_lock_expires_and_success_resets(clerk):
    past = timezone.now() - timedelta(hours=1)
    for _ in range(5):
        login_failure_record(username="wang", address="10.0.0.1", now=past)
    assert not login_locked(username="wang")  # lock was 15 minutes, long over
    client = APIClient()
    assert (
        client.post("/api/auth/token/", {"username": "wang", "password": GOOD}).status_code == 200
    )
    assert not LoginThrottle.objects.filter(username="wang").exists()


def test_failures_outside_the_window_do_not_add_up(clerk):
    now = timezone.now()
    for minutes in (60, 45, 30, 16):
        login_failure_record(username="wang", address=None, now=now - timedelta(minutes=minutes))
    login_failure_record(username="wang", address=None, now=now)
    assert not login_locked(username="wang")


def test_staff_unlock_command(clerk):
    for _ in range(5):
        login_failure_record(username="wang", address=None)
    assert login_locked(username="wang")
    call_command("staff-unlock", username="wang")
    assert not login_locked(username="wang")


def test_staff_create_command(tree, settings, capsys, monkeypatch):
    import io

    settings.HALL_SITE = "t-maan"
    monkeypatch.setattr("sys.stdin", io.StringIO(GOOD + "\n"))
    call_command(
        "staff-create",
        "--role=clerk",
        "--role=chief_representative",
        username="li",
        name="李明",
        password_stdin=True,
    )
    from django.contrib.auth import authenticate

    from permissions import access

    user = authenticate(username="li", password=GOOD)
    assert user is not None
    assert {r for _, r in access.roles_of(user=user)} == {"clerk", "chief_representative"}
    assert user.staff.site.code == "t-maan"
    assert "已创建" in capsys.readouterr().out


def test_staff_create_refuses_a_role_outside_its_tier(tree, settings):
    from django.core.management.base import CommandError

    settings.HALL_SITE = "v-shiqiao"
    with pytest.raises(CommandError, match="只能设在"):
        call_command(
            "staff-create", "--role=county_supervisor", username="x", name="某", no_password=True
        )


def test_staff_grant_at_a_second_site(tree, settings):
    user = staff(tree["v-shiqiao"], "clerk")
    call_command("staff-grant", username=user.username, role="village_agent", at="v-liujia")
    from permissions import access

    assert set(access.roles_of(user=user)) == {
        ("v-shiqiao", "clerk"),
        ("v-liujia", "village_agent"),
    }
    call_command(
        "staff-grant", username=user.username, role="village_agent", at="v-liujia", revoke=True
    )
    user = type(user).objects.get(pk=user.pk)
    assert set(access.roles_of(user=user)) == {("v-shiqiao", "clerk")}


def test_an_account_without_roles_gets_no_api(tree):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("norole", password=GOOD)
    client = APIClient()
    client.force_authenticate(user)
    assert client.get("/api/auth/me/").status_code == 403
    assert client.get("/api/cases/").status_code == 403
