"""Hall keys: every hall signs with its own Ed25519 private key, which never leaves it;
every hall verifies with public keys only. See docs/decisions/0012.

Where keys come from:
- this hall's private key: HALL_SYNC_KEY_FILE (JSON, mode 0600), made on first use
  (atomically: processes starting together end up with one key) together with its public
  half in HALL_SYNC_TRUST_DIR/<site>.pub;
- the public keys of the halls: the county distributes them in every catalogue release;
  sync/ reads them through the callable named by HALL_SYNC_PUBLIC_KEYS (it imports no
  domain package) as {site: [{"kid", "public_key" (hex), "until" (ISO or None)}, ...]};
- before a hall has a release (and for a hall the release does not know yet): pinned
  public keys in HALL_SYNC_TRUST_DIR/<site>.pub, installed with the configuration (at
  least the county's: the trust anchor of the first release).

Signature (the envelope's `sig`): "ed25519:<kid>:<signature hex>", where kid is the first
16 hex digits of sha256(public key). For a grace period after a rotation the signer adds
the certificate of its new key, made with the previous key:
"ed25519:<kid>:<sig>:<public key hex>:<previous kid>:<certificate signature hex>". A hall
that does not know the new key yet accepts it when the previous key is one it accepts for
that hall: rotation needs no flag day, whatever order releases and messages arrive in.

HMAC era (format 1: `sig` is 64 hex digits, HMAC-SHA256 with the site key from
HALL_SYNC_KEYRING or HALL_SYNC_MASTER_KEY) is refused unless HALL_SYNC_HMAC = "accept"
(while halls on the previous release still sign so); HALL_SYNC_SIGN = "hmac" makes a hall
sign that way for them.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import os
import secrets
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization as s
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from django.conf import settings

from sync.config import _imported, site_codes

ED = "ed25519"
CERT_CONTEXT = b"hall-sync-key:"  # what a certificate signs: context + site + ":" + public key


def kid_of(public: bytes) -> str:
    return hashlib.sha256(public).hexdigest()[:16]


def cert_message(site: str, public: bytes) -> bytes:
    return CERT_CONTEXT + site.encode() + b":" + public


# -- this hall's own key ----------------------------------------------------------------


@dataclass(frozen=True)
class OwnKey:
    site: str
    private: Ed25519PrivateKey
    public: bytes
    kid: str
    created_at: datetime
    cert: tuple[str, str] | None = None  # (previous kid, signature hex) after a rotation

    @property
    def public_hex(self) -> str:
        return self.public.hex()

    def sig_suffix(self) -> str:
        """What follows the signature in `sig` (the certificate, during the grace period)."""
        if self.cert is None or datetime.now(UTC) > self.created_at + grace():
            return ""
        return f":{self.public_hex}:{self.cert[0]}:{self.cert[1]}"


def grace() -> timedelta:
    return timedelta(seconds=getattr(settings, "HALL_SYNC_KEY_GRACE_S", 7 * 86400))


def _key_json(site: str, private: Ed25519PrivateKey, cert: tuple[str, str] | None) -> dict:
    raw = private.private_bytes(s.Encoding.Raw, s.PrivateFormat.Raw, s.NoEncryption())
    public = private.public_key().public_bytes(s.Encoding.Raw, s.PublicFormat.Raw)
    return {
        "site": site,
        "kid": kid_of(public),
        "private": raw.hex(),
        "public": public.hex(),
        "created_at": datetime.now(UTC).isoformat(),
        "cert": list(cert) if cert else None,
    }


def _load(path: Path) -> OwnKey:
    data = json.loads(path.read_text(encoding="utf-8"))
    private = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(data["private"]))
    public = bytes.fromhex(data["public"])
    return OwnKey(
        site=data["site"],
        private=private,
        public=public,
        kid=kid_of(public),
        created_at=datetime.fromisoformat(data["created_at"]),
        cert=tuple(data["cert"]) if data.get("cert") else None,
    )


def _write_new(path: Path, data: dict, *, replace: bool) -> None:
    """Write a key file 0600; without `replace`, only if none exists (os.link is atomic:
    of several processes creating it at once, one wins and all load the winner's)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".key-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f)
        os.chmod(tmp, 0o600)
        if replace:
            os.replace(tmp, path)
            return
        with contextlib.suppress(FileExistsError):
            os.link(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def key_ensure(*, site: str, path: Path, trust_dir: Path | None = None) -> OwnKey:
    """The key in `path`, made if missing; its public half is pinned in `trust_dir`."""
    if not path.exists():
        _write_new(path, _key_json(site, Ed25519PrivateKey.generate(), None), replace=False)
    key = _load(path)
    if key.site != site:
        raise RuntimeError(f"{path} holds the key of {key.site}, not {site}")
    if trust_dir is not None:
        pin_write(trust_dir=trust_dir, site=site, public=key.public)
    return key


def pin_write(*, trust_dir: Path, site: str, public: bytes) -> None:
    pin = trust_dir / f"{site}.pub"
    if not pin.exists() or pin.read_text().strip() != public.hex():
        trust_dir.mkdir(parents=True, exist_ok=True)
        tmp = trust_dir / f".{site}.pub.{secrets.token_hex(4)}"
        tmp.write_text(public.hex() + "\n")
        os.replace(tmp, pin)


@cache
def _own(path: str, site: str) -> OwnKey:
    trust = getattr(settings, "HALL_SYNC_TRUST_DIR", "")
    return key_ensure(site=site, path=Path(path), trust_dir=Path(trust) if trust else None)


def key_file() -> Path:
    """HALL_SYNC_KEY_FILE; a "{site}" in it stands for this hall's code (the test settings
    use it: a test that becomes another hall signs with that hall's key)."""
    return Path(settings.HALL_SYNC_KEY_FILE.replace("{site}", settings.HALL_SITE))


def own_key() -> OwnKey:
    return _own(str(key_file()), settings.HALL_SITE)


def key_rotate() -> OwnKey:
    """This hall: a new key, certified by the current one, which is kept as `<file>.prev`.
    The caller announces it to the county (`sync.api.key_announce`)."""
    path = key_file()
    old = own_key()
    new_private = Ed25519PrivateKey.generate()
    data = _key_json(old.site, new_private, None)
    public = bytes.fromhex(data["public"])
    data["cert"] = [old.kid, old.private.sign(cert_message(old.site, public)).hex()]
    prev = path.with_name(path.name + ".prev")
    prev.write_bytes(path.read_bytes())
    os.chmod(prev, 0o600)
    _write_new(path, data, replace=True)
    _own.cache_clear()
    return own_key()


def sign(data: bytes) -> str:
    """The `sig` of `data` from this hall (format per HALL_SYNC_SIGN)."""
    if getattr(settings, "HALL_SYNC_SIGN", ED) == "hmac":
        return hmac.new(legacy_signing_key(), data, hashlib.sha256).hexdigest()
    key = own_key()
    return f"{ED}:{key.kid}:{key.private.sign(data).hex()}{key.sig_suffix()}"


# -- many messages, one signature -------------------------------------------------------------
# Messages filed together (outbox_put_many) are signed as one Merkle tree: the hall signs
# the root once; each message carries its leaf's path:
# "ed25519t:<kid>:<root signature hex>:<index>:<path, base64url>[:<certificate>]".
# A receiver recomputes the root from the message's own bytes and checks the signature once
# per root (cached): a consumer batch of a thousand events filed a hundred per transaction
# costs ten Ed25519 checks instead of a thousand. Nodes are sha256 cut to 16 bytes (128-bit
# second-preimage resistance); leaves and inner nodes are hashed with different prefixes.
TREE = "ed25519t"
TREE_CONTEXT = b"hall-sync-tree:"
NODE = 16


def _leaf(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()[:NODE]


def _node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()[:NODE]


def sign_many(items: list[bytes]) -> list[str]:
    """The `sig` of each of `items`, from one signature over their tree."""
    if len(items) < 2 or getattr(settings, "HALL_SYNC_SIGN", ED) == "hmac":
        return [sign(item) for item in items]
    level = [_leaf(item) for item in items]
    levels = []
    while len(level) > 1:
        if len(level) % 2:
            level.append(level[-1])  # the last node pairs with itself
        levels.append(level)
        level = [_node(level[i], level[i + 1]) for i in range(0, len(level), 2)]
    key = own_key()
    head = f"{TREE}:{key.kid}:{key.private.sign(TREE_CONTEXT + level[0]).hex()}"
    suffix = key.sig_suffix()
    sigs = []
    for index in range(len(items)):
        path, i = [], index
        for lv in levels:
            path.append(lv[i ^ 1])
            i //= 2
        encoded = base64.urlsafe_b64encode(b"".join(path)).decode().rstrip("=")
        sigs.append(f"{head}:{index}:{encoded}{suffix}")
    return sigs


class _Roots:
    """Tree roots whose signature this process checked: (origin, kid, root, sig) -> True."""

    SIZE = 4096

    def __init__(self) -> None:
        self.seen: dict[tuple, bool] = {}

    def known(self, key: tuple) -> bool:
        return key in self.seen

    def add(self, key: tuple) -> None:
        if len(self.seen) >= self.SIZE:
            self.seen.pop(next(iter(self.seen)))
        self.seen[key] = True


_roots = _Roots()


def _tree_root(data: bytes, index: int, encoded: str) -> bytes | None:
    try:
        path = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
    except ValueError:
        return None
    if len(path) % NODE or index < 0 or index >= 2 ** (len(path) // NODE):
        return None
    node = _leaf(data)
    for at in range(0, len(path), NODE):
        sibling = path[at : at + NODE]
        node = _node(node, sibling) if index % 2 == 0 else _node(sibling, node)
        index //= 2
    return node


# -- everyone's public keys ----------------------------------------------------------------


class _Registry:
    """site -> {kid: public key object}; reloaded every RELOAD seconds, after keys_changed(),
    and (at most once a second) when a signature names a kid not known yet."""

    RELOAD = 30.0

    def __init__(self) -> None:
        self.by_site: dict[str, dict[str, Ed25519PublicKey]] = {}
        self.loaded = 0.0
        self.objects: dict[bytes, Ed25519PublicKey] = {}  # public keys never change

    def _obj(self, public: bytes) -> Ed25519PublicKey:
        obj = self.objects.get(public)
        if obj is None:
            obj = self.objects[public] = Ed25519PublicKey.from_public_bytes(public)
        return obj

    def load(self) -> None:
        now = datetime.now(UTC)
        by_site: dict[str, dict[str, Ed25519PublicKey]] = {}
        for site, rows in _distributed().items():
            keys = {}
            for row in rows:
                until = row.get("until")
                if until and datetime.fromisoformat(until) < now:
                    continue
                public = bytes.fromhex(row["public_key"])
                keys[kid_of(public)] = self._obj(public)
            if keys:
                by_site[site] = keys
        for site, public in _pins().items():
            if site not in by_site:  # the county's word replaces a pin
                by_site[site] = {kid_of(public): self._obj(public)}
        self.by_site = by_site
        self.loaded = time.monotonic()

    def keys(self, site: str, kid: str) -> tuple[dict[str, Ed25519PublicKey], bool]:
        """(the accepted keys of `site`, whether they were just reloaded)."""
        age = time.monotonic() - self.loaded
        reloaded = False
        if age > self.RELOAD or (kid not in self.by_site.get(site, {}) and age > 1.0):
            self.load()
            reloaded = True
        return self.by_site.get(site, {}), reloaded


_registry = _Registry()


def keys_changed() -> None:
    """The distributed keys changed (a release was applied): reload before the next check."""
    global _generation
    _registry.loaded = 0.0
    _roots.seen.clear()
    _generation += 1


_generation = 0


def generation() -> int:
    """Counts keys_changed() calls: the inbox re-checks, after a message of its batch changed
    the keys (a release), the later bodies of the batch refused for an unknown key."""
    return _generation


UNKNOWN_KEY = "bad signature: unknown key"


def _distributed() -> dict[str, list[dict]]:
    path = getattr(settings, "HALL_SYNC_PUBLIC_KEYS", "")
    if not path:
        return {}

    return _imported(path)()


def _pins() -> dict[str, bytes]:
    folder = getattr(settings, "HALL_SYNC_TRUST_DIR", "")
    found = {}
    if folder and os.path.isdir(folder):
        for site in site_codes():
            pin = Path(folder) / f"{site}.pub"
            if pin.exists():
                found[site] = bytes.fromhex(pin.read_text().strip())
    return found


def pinned_keys() -> dict[str, str]:
    """site -> public key hex found in HALL_SYNC_TRUST_DIR (the county enrols them)."""
    return {site: public.hex() for site, public in _pins().items()}


def verify(origin: str, data: bytes, sig: str) -> str | None:
    """None when `sig` is a valid signature of `data` by `origin`; otherwise why not."""
    parts = sig.split(":")
    if parts[0] == ED and len(parts) in (3, 6):
        signed, cert = data, parts[3:]
    elif parts[0] == TREE and len(parts) in (5, 8):
        root = _tree_root(data, int(parts[3]) if parts[3].isdigit() else -1, parts[4])
        if root is None:
            return "bad signature: malformed tree path"
        cache = (origin, parts[1], root, parts[2])
        if _roots.known(cache):
            return None
        signed, cert = TREE_CONTEXT + root, parts[5:]
    elif len(parts) == 1:
        return _verify_hmac(origin, data, sig)
    else:
        return "bad signature: malformed"
    kid = parts[1]
    try:
        signature = bytes.fromhex(parts[2])
    except ValueError:
        return "bad signature: malformed"
    keys, _ = _registry.keys(origin, kid)
    public = keys.get(kid)
    if public is None and cert:
        public = _certified(origin, kid, cert, keys)
    if public is None:
        return f"{UNKNOWN_KEY} {kid} of {origin}"
    try:
        public.verify(signature, signed)
    except InvalidSignature:
        return "bad signature"
    if parts[0] == TREE:
        _roots.add(cache)
    return None


def _certified(origin: str, kid: str, cert: list[str], keys) -> Ed25519PublicKey | None:
    """The new key a certificate vouches for, if a key we accept for `origin` made it."""
    public_hex, by_kid, cert_sig = cert
    try:
        public = bytes.fromhex(public_hex)
        signature = bytes.fromhex(cert_sig)
    except ValueError:
        return None
    signer = keys.get(by_kid)
    if kid_of(public) != kid or signer is None or len(public) != 32:
        return None
    try:
        signer.verify(signature, cert_message(origin, public))
    except InvalidSignature:
        return None
    return _registry._obj(public)


def certificate_valid(*, site: str, public: bytes, by_kid: str, signature: bytes) -> bool:
    """Whether a key we accept for `site` certified `public` (the county, on a rotation)."""
    keys, _ = _registry.keys(site, by_kid)
    signer = keys.get(by_kid)
    if signer is None:
        return False
    try:
        signer.verify(signature, cert_message(site, public))
    except InvalidSignature:
        return False
    return True


# -- the HMAC era (format 1) --------------------------------------------------------------


def _derived(site: str) -> bytes:
    master = settings.HALL_SYNC_MASTER_KEY.encode()
    return hmac.new(master, f"hall-sync-key:{site}:1".encode(), hashlib.sha256).digest()


@cache
def _keyring(path: str) -> dict[str, list[bytes]]:
    if not path:
        return {code: [_derived(code)] for code in site_codes()}
    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    return {site: [bytes.fromhex(k) for k in keys[:2]] for site, keys in raw.items()}


def keys_for(site: str) -> list[bytes]:
    """HMAC era: the accepted symmetric keys of `site`, current first."""
    return _keyring(settings.HALL_SYNC_KEYRING).get(site, [])


def legacy_signing_key() -> bytes:
    keys = keys_for(settings.HALL_SITE)
    if not keys:
        raise RuntimeError(f"no signing key for site {settings.HALL_SITE}")
    return keys[0]


def _verify_hmac(origin: str, data: bytes, sig: str) -> str | None:
    if getattr(settings, "HALL_SYNC_HMAC", "refuse") != "accept":
        return "bad signature: HMAC (format 1) is no longer accepted"
    for key in keys_for(origin):
        if hmac.compare_digest(hmac.new(key, data, hashlib.sha256).hexdigest(), sig):
            return None
    return "bad signature"


def keyring_rotate(*, path: Path, sites: list[str] | None = None) -> dict[str, list[str]]:
    """HMAC era, county: a new current key for `sites` (default all)."""
    ring: dict[str, list[str]] = {}
    if path.exists():
        ring = json.loads(path.read_text(encoding="utf-8"))
    for code in sites or list(site_codes()):
        old = ring.get(code, [_derived(code).hex()])
        ring[code] = [secrets.token_hex(32), old[0]]
    path.write_text(json.dumps(ring, indent=2), encoding="utf-8")
    _keyring.cache_clear()
    return ring


# Requests between halls over HTTP (a village asking the county for its cases): the hall's
# own key signs the body (Ed25519, as its messages; a context prefix keeps a request
# signature from ever standing for a message's); the county checks origin, signature, age.
REQUEST_MAX_AGE_SECONDS = 300
REQUEST_SIGNATURE_HEADER = "X-Hall-Signature"
REQUEST_CONTEXT = b"hall-request:"


def request_sign(body: bytes) -> str:
    return sign(REQUEST_CONTEXT + body)


def request_verified(*, site: str, body: bytes, sig: str) -> bool:
    if not sig or site not in site_codes():
        return False
    return verify(site, REQUEST_CONTEXT + body, sig) is None
