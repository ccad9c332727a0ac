"""The public keys of the halls' signing keys, as the county distributes them (ADR 0012).

Authoritative at the county (enrolled or rotated there); every other hall holds the copy of
its last catalogue release. Private keys are never in any database.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone


class HallKey(models.Model):
    site = models.CharField("站点代码", max_length=40)  # a code: keys travel as codes
    kid = models.CharField("公钥标识", max_length=16)
    public_key = models.CharField("公钥(hex)", max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    # Empty: the hall's current key. Set: a previous key, still accepted until then.
    valid_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "站点签名公钥"
        ordering = ["site", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["site", "kid"], name="hallkey_site_kid"),
            models.UniqueConstraint(
                fields=["site"], condition=Q(valid_until__isnull=True), name="hallkey_one_current"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.site} {self.kid}"
