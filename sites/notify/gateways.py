"""SMS gateways: the demo's (writes the 短信记录 page) and an HTTP adapter for production.

A gateway's `send(key=, phone=, text=)` returns when the gateway took the message and
raises `GatewayError` otherwise. The key is the notification's idempotency key: the same
key sent twice (a retry after a crash) must be delivered once, which the demo gateway does
by its unique key and the HTTP adapter asks of the gateway with the `Idempotency-Key`
header and the `key` field. Chosen by HALL_SMS_GATEWAY (deploy/env.py VARIABLES).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from django.conf import settings
from django.utils import timezone

from sites.notify.models import SmsRecord
from sites.registry.selectors import site_current


class GatewayError(Exception):
    """The gateway did not take the message (worth retrying)."""


class DemoGateway:
    """Writes what would be sent to this hall's 短信记录 page (one row per key)."""

    def send(self, *, key: str, phone: str, text: str) -> None:
        SmsRecord.objects.get_or_create(
            key=key,
            defaults={"site": site_current(), "phone": phone, "text": text, "at": timezone.now()},
        )


class HttpGateway:
    """POST JSON to the SMS provider: account, secret, signature (签名), phone, text, key.

    2xx means taken; anything else, a refused connection or a timeout is a GatewayError.
    """

    def __init__(
        self, *, url: str, account: str, secret: str, signature: str, timeout: float
    ) -> None:
        self.url, self.account, self.secret = url, account, secret
        self.signature, self.timeout = signature, timeout

    def send(self, *, key: str, phone: str, text: str) -> None:
        body = json.dumps(
            {
                "account": self.account,
                "secret": self.secret,
                "signature": self.signature,
                "phone": phone,
                "text": text,
                "key": key,
            },
            ensure_ascii=False,
        ).encode()
        request = urllib.request.Request(
            self.url,
            data=body,
            method="POST",
            headers={"Content-Type": "application/json; charset=utf-8", "Idempotency-Key": key},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:
                answer.read(4096)
        except urllib.error.HTTPError as exc:
            raise GatewayError(f"网关返回 {exc.code}") from exc
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            reason = getattr(exc, "reason", exc)
            raise GatewayError(f"网关不可达：{type(reason).__name__}") from exc


def gateway_get():
    """The configured gateway (HALL_SMS_GATEWAY: demo or http)."""
    if settings.HALL_SMS_GATEWAY == "http":
        return HttpGateway(
            url=settings.HALL_SMS_URL,
            account=settings.HALL_SMS_ACCOUNT,
            secret=settings.HALL_SMS_SECRET,
            signature=settings.HALL_SMS_SIGNATURE,
            timeout=settings.HALL_SMS_TIMEOUT,
        )
    return DemoGateway()
