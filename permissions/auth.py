"""Staff authentication: lockout after repeated failures and the password rule.

Lockout is per username (lower-cased), whether or not the account exists, so a lock tells an
outsider nothing about which usernames are real. While locked, attempts are refused before
the password is checked and are not counted, so the lock ends on time and an attacker gets at
most `failures` guesses per lock period. `hall staff-unlock` clears a lock.
"""

from __future__ import annotations

import re
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone

from permissions.models import LoginThrottle

LOCKED_MESSAGE = "登录失败次数过多，账号已临时锁定，请稍后再试。"


def _policy() -> dict:
    default = {"failures": 5, "window_minutes": 15, "lock_minutes": 15}
    return {**default, **getattr(settings, "HALL_LOGIN_LOCKOUT", {})}


def _key(username: str | None) -> str:
    return (username or "").strip().lower()[:150]


def client_address(request) -> str | None:
    """The caller's address: REMOTE_ADDR, or the address `HALL_TRUSTED_PROXY_HOPS` reverse
    proxies in front of us saw (taken from the right of X-Forwarded-For; a client can
    prepend anything it likes on the left)."""
    if request is None:
        return None
    hops = int(getattr(settings, "HALL_TRUSTED_PROXY_HOPS", 0))
    if hops > 0:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [a for a in forwarded if a]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR")


def login_locked(*, username: str, now=None) -> bool:
    now = now or timezone.now()
    return LoginThrottle.objects.filter(username=_key(username), locked_until__gt=now).exists()


@transaction.atomic
def login_failure_record(*, username: str, address: str | None, now=None) -> LoginThrottle:
    policy = _policy()
    now = now or timezone.now()
    row, _ = LoginThrottle.objects.select_for_update().get_or_create(username=_key(username))
    if row.locked_until and row.locked_until > now:
        return row  # locked: not counted (see module docstring)
    window = timedelta(minutes=policy["window_minutes"])
    if row.first_failure_at is None or now - row.first_failure_at > window or row.locked_until:
        row.failures, row.first_failure_at, row.locked_until = 0, now, None
    row.failures += 1
    row.last_failure_at, row.last_failure_ip = now, address
    if row.failures >= policy["failures"]:
        row.locked_until = now + timedelta(minutes=policy["lock_minutes"])
    row.save()
    return row


def login_success_record(*, username: str) -> None:
    LoginThrottle.objects.filter(username=_key(username)).delete()


def login_unlock(*, username: str) -> bool:
    return LoginThrottle.objects.filter(username=_key(username)).delete()[0] > 0


class LockoutModelBackend(ModelBackend):
    """ModelBackend that refuses a locked username before looking at the password."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        username = username if username is not None else kwargs.get("username")
        if username is not None and login_locked(username=username):
            # PermissionDenied stops Django trying other backends; user_login_failed is
            # still sent, and the receiver below does not count it while locked.
            raise PermissionDenied(LOCKED_MESSAGE)
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None:
            login_success_record(username=username)
        return user


@receiver(user_login_failed, dispatch_uid="permissions-login-failed")
def _on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    username = credentials.get("username")
    if username:
        login_failure_record(username=username, address=client_address(request))


class CharacterClassValidator:
    """At least `min_classes` of: lower-case, upper-case, digits, other characters
    (the usual rule for government information systems under 等保)."""

    CLASSES = (r"[a-z]", r"[A-Z]", r"[0-9]", r"[^a-zA-Z0-9]")

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password: str, user=None) -> None:
        have = sum(1 for pattern in self.CLASSES if re.search(pattern, password))
        if have < self.min_classes:
            raise ValidationError(
                f"密码须至少包含小写字母、大写字母、数字、符号中的{self.min_classes}类。",
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return f"密码须至少包含小写字母、大写字母、数字、符号中的{self.min_classes}类。"
