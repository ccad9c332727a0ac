"""`hall.key`: a hall announces its new public key, certified by its previous key."""

from __future__ import annotations

from county.hallkeys.services import hall_key_rotated
from sites.registry.tier import here
from sync.api import Obj, Reject, Str, applier

KEY_ANNOUNCED = "hall.key"
KEY_SCHEMA = Obj(
    {
        "public_key": Str(max_length=64, blank=False),
        "by_kid": Str(max_length=16, blank=False),
        "signature": Str(max_length=128, blank=False),
    }
)


@applier(KEY_ANNOUNCED, payload=KEY_SCHEMA)
def key_announced(envelope) -> None:
    if not here().enrols_hall_keys:
        raise Reject("公钥通告只能发给县政务服务中心")
    p = envelope.payload
    hall_key_rotated(
        site=envelope.origin,
        public_key=p["public_key"],
        by_kid=p["by_kid"],
        signature=p["signature"],
    )
