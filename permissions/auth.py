"""Staff authentication: login lockout (django-axes) and the password rule.

Lockout is per pair (username, client address), never per username alone: usernames are
predictable (t-maan-clerk), and an outsider's wrong passwords from their address must not
lock the clerk out at the window. `failures` wrong passwords lock the pair for
`lock_minutes`; every further failure of a locked pair doubles its wait, up to
`max_minutes` (a guesser slows itself down, nobody else). The answer says in Chinese how
long to wait. A hall administrator unlocks in the admin (访问尝试, django-axes) or with
`hall staff-unlock`. Decision 0020.
"""

from __future__ import annotations

import math
import re
from datetime import timedelta

from axes.backends import AxesStandaloneBackend
from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone

from permissions.ratelimit import RateLimited, rate_limit_hit


def _policy() -> dict:
    default = {"failures": 5, "lock_minutes": 15, "max_minutes": 24 * 60}
    return {**default, **getattr(settings, "HALL_LOGIN_LOCKOUT", {})}


def login_failure_limit(request=None, credentials=None) -> int:
    return _policy()["failures"]


def login_username(request, credentials) -> str:
    """The username as locked: case does not make a new pair (AXES_USERNAME_CALLABLE)."""
    name = (credentials or {}).get("username") or ""
    return str(name).strip().lower()[:150]


def client_address(request) -> str | None:
    """The caller's address: REMOTE_ADDR, or the address `HALL_TRUSTED_PROXY_HOPS` reverse
    proxies in front of us saw (taken from the right of X-Forwarded-For; a client can
    prepend anything it likes on the left). Also AXES_CLIENT_IP_CALLABLE."""
    if request is None:
        return None
    hops = int(getattr(settings, "HALL_TRUSTED_PROXY_HOPS", 0))
    if hops > 0:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [a for a in forwarded if a]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR")


def address_limited(request, *, kind: str, limit: tuple[int, int]) -> bool:
    """True when this client address has used up `limit` = (requests, seconds) of `kind`
    (取号, 预约, 网上申报: per address, so one hall's other citizens keep their turn)."""
    try:
        rate_limit_hit(
            key=f"{kind}:{client_address(request) or 'unknown'}",
            limit=limit[0],
            window_seconds=limit[1],
        )
    except RateLimited:
        return True
    return False


def _attempt(request) -> AccessAttempt | None:
    credentials = getattr(request, "axes_credentials", None) or {}
    username = login_username(request, credentials)
    if request is None or not username:
        return None
    return (
        AccessAttempt.objects.filter(username=username, ip_address=client_address(request))
        .order_by("-attempt_time")
        .first()
    )


def cool_off_for(failures: int) -> timedelta:
    """The wait of a pair after `failures` failures: lock_minutes at the limit, doubled for
    each failure after it, at most max_minutes."""
    policy = _policy()
    extra = max(0, failures - policy["failures"])
    minutes = policy["lock_minutes"] * 2 ** min(extra, 16)
    return timedelta(minutes=min(minutes, policy["max_minutes"]))


def login_cool_off(request=None) -> timedelta:
    """AXES_COOLOFF_TIME: the growing wait of the pair making this request."""
    attempt = _attempt(request) if request is not None else None
    return cool_off_for(attempt.failures_since_start if attempt else 0)


def login_wait_minutes(request) -> int:
    """Whole minutes (at least 1) until the pair making `request` may try again."""
    attempt = _attempt(request)
    if attempt is None:
        return math.ceil(cool_off_for(0).total_seconds() / 60)
    until = attempt.attempt_time + cool_off_for(attempt.failures_since_start)
    return max(1, math.ceil((until - timezone.now()).total_seconds() / 60))


def locked_message(minutes: int) -> str:
    return f"登录失败次数过多，该账号在您所在的地址已临时锁定，请 {minutes} 分钟后再试。"


def login_lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: 429 with the wait, as JSON for the API, else the login page."""
    minutes = login_wait_minutes(request)
    message = locked_message(minutes)
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=429)
    else:
        response = render(request, "permissions/login.html", {"locked": message}, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' check, first of the backends. A login without a request (the shell, a
    management command, a test client's login()) has no address to lock a pair by: it is
    not checked here (axes would raise) and the password backends decide as usual."""

    def authenticate(self, request=None, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def login_unlock(*, username: str) -> bool:
    """Clear every lock of `username` (any address): a hall administrator's action."""
    return reset(username=login_username(None, {"username": username})) > 0


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
