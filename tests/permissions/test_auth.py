"""Staff authentication: password rule, lockout on the page and the API, token use."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from permissions.auth import cool_off_for, locked_message
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


def _token(client, username, password, address="10.0.0.1"):
    return client.post(
        "/api/auth/token/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_api_lockout_after_repeated_failures_says_how_long_to_wait(clerk):
    client = APIClient()
    for _ in range(4):
        assert _token(client, "wang", "wrong").status_code == 400
    r = _token(client, "wang", "wrong")  # the fifth locks the pair
    assert r.status_code == 429
    assert r.json()["detail"] == locked_message(15) and r["Retry-After"] == "900"
    # the right password no longer helps from that address while locked
    r = _token(client, "wang", GOOD)
    assert r.status_code == 429 and "分钟后再试" in r.json()["detail"]


def test_an_outsider_cannot_lock_the_clerk_out(clerk):
    # Given an outsider who guesses the clerk's (predictable) username from their address
    client = APIClient()
    for _ in range(8):
        _token(client, "wang", "wrong", address="203.0.113.7")
    assert _token(client, "wang", GOOD, address="203.0.113.7").status_code == 429
    # Then the clerk at the window still logs in, from the hall's address
    assert _token(client, "wang", GOOD, address="10.0.0.1").status_code == 200


def test_unknown_usernames_lock_the_same_way(tree):
    # no difference between real and made-up accounts: nothing to enumerate
    client = APIClient()
    answers = [_token(client, "nobody", "wrong").status_code for _ in range(6)]
    assert answers == [400, 400, 400, 400, 429, 429]


def test_the_wait_grows_with_every_failure_of_a_locked_pair(clerk):
    assert cool_off_for(5) == timedelta(minutes=15)
    assert cool_off_for(6) == timedelta(minutes=30)
    assert cool_off_for(8) == timedelta(minutes=120)
    assert cool_off_for(100) == timedelta(hours=24)  # at most a day
    client = APIClient()
    for _ in range(7):
        r = _token(client, "wang", "wrong")
    assert r.status_code == 429 and r.json()["detail"] == locked_message(60)


def test_page_login_lockout_and_success(clerk, client):
    page = client.get("/accounts/login/")
    assert page.status_code == 200 and "工作人员登录" in page.content.decode()
    ok = client.post("/accounts/login/", {"username": "wang", "password": GOOD})
    assert ok.status_code == 302
    client.post("/accounts/logout/")
    for _ in range(5):
        r = client.post("/accounts/login/", {"username": "WANG", "password": "nope"})
    assert r.status_code == 429  # usernames are locked case-insensitively
    assert locked_message(15) in r.content.decode()
    r = client.post("/accounts/login/", {"username": "wang", "password": GOOD})
    assert r.status_code == 429 and "分钟后再试" in r.content.decode()


def test_a_lock_expires_and_success_resets(clerk):
    client = APIClient()
    for _ in range(5):
        _token(client, "wang", "wrong")
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert _token(client, "wang", GOOD).status_code == 200
    # and the count starts again: one more wrong password does not lock
    assert _token(client, "wang", "wrong").status_code == 400
    assert _token(client, "wang", GOOD).status_code == 200


def test_staff_unlock_command(clerk):
    client = APIClient()
    for _ in range(5):
        _token(client, "wang", "wrong")
    assert _token(client, "wang", GOOD).status_code == 429
    call_command("staff-unlock", username="WANG")
    assert _token(client, "wang", GOOD).status_code == 200


def test_a_hall_administrator_unlocks_in_the_admin(clerk, client, django_user_model):
    api = APIClient()
    for _ in range(5):
        _token(api, "wang", "wrong")
    (attempt,) = AccessAttempt.objects.all()
    admin_user = django_user_model.objects.create_superuser("hall-admin", "", "Qingshan-Admin-1")
    client.force_login(admin_user)
    listing = client.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200 and "wang" in listing.content.decode()
    done = client.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    assert done.status_code == 302
    assert _token(api, "wang", GOOD).status_code == 200


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
