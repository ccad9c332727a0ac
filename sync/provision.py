"""Per-hall broker accounts on RabbitMQ (`hall broker-provision`, run for the county).

Every hall gets its own user with, on the vhost:
- configure: its own celery queue only (`celery-<code>`: the worker's task queue and the
  direct exchange of that name; the sync topology is declared here, with the
  administrator's account);
- write: the halls exchange and its own celery exchange;
- read: its own sync queue and its own celery queue;
- topic permission on the halls exchange: routing keys "<dest>.<its own code>.(agg|ctl).…"
  where <dest> is one of the halls it really sends to (`hall_peers`: the county sends to
  every hall; a township to the county and its villages; a village to its township and the
  county), and no `*` or `#` anywhere in the key,
so a hall's credentials can neither read another hall's queue, nor publish as another
origin, nor write to a sibling's queue, and the relay sets `user_id` on every publish,
which RabbitMQ checks against the account (a receiver knows which hall's account sent a
message). Halls then run with HALL_SYNC_DECLARE=false and their own URL. Two ways to talk
to RabbitMQ: `rabbitmqctl` (on the broker's machine) or the management HTTP API (anywhere).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import secrets
import subprocess
import urllib.request
from dataclasses import dataclass
from urllib.parse import quote, urlsplit, urlunsplit

from sync.config import fanin, site_codes
from sync.transport import names


@dataclass(frozen=True)
class Grant:
    user: str
    configure: str
    write: str
    read: str
    topic_write: str
    topic_read: str


class ProvisionError(ValueError):
    """A hall code that cannot be put safely into a permission pattern."""


SAFE_CODE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


def hall_peers(site: str, tree=None) -> list[str]:
    """The halls `site` sends to: the county (fan-in) sends to every hall; any other hall
    to its parent, its children and the county. In tree order."""
    tree = site_codes() if tree is None else tree
    county = fanin()
    if site == county:
        return [code for code in tree if code != site]

    def parent(code):
        return getattr(tree[code], "parent", None) if isinstance(tree, dict) else None

    wanted = {county, parent(site)} | {code for code in tree if parent(code) == site}
    return [code for code in tree if code in wanted and code != site]


def hall_grant(site: str, *, prefix: str, tree=None) -> Grant:
    tree = site_codes() if tree is None else tree
    for code in [site, *tree]:
        if not SAFE_CODE.match(code):  # a "*", "#", "." or regex character in a code
            raise ProvisionError(f"hall code {code!r}: only a-z, 0-9, - and _")
    n = names()
    celery = re.escape(f"celery-{site}")
    dests = "|".join(re.escape(code) for code in hall_peers(site, tree)) or "(?!)"
    return Grant(
        user=f"{prefix}{site}",
        configure=f"^{celery}$",
        write=f"^({re.escape(n['exchange'])}|{celery})$",
        read=f"^({re.escape(n['exchange'])}\\.{re.escape(site)}|{celery})$",
        topic_write=f"^({dests})\\.{re.escape(site)}\\.(agg|ctl)\\.[^*#]+$",
        topic_read="^$",
    )


class RabbitmqCtl:
    """rabbitmqctl on the broker's machine."""

    def __init__(self, binary: str = "rabbitmqctl") -> None:
        self.binary = binary

    def _run(self, *args: str, ok_codes=(0,)) -> str:
        done = subprocess.run([self.binary, "-q", *args], capture_output=True, text=True)
        if done.returncode not in ok_codes:
            raise RuntimeError(f"rabbitmqctl {args[0]}: {done.stderr.strip() or done.stdout}")
        return done.stdout

    def vhost(self, vhost: str) -> None:
        if vhost not in self._run("list_vhosts", "name").split():
            self._run("add_vhost", vhost)

    def user(self, user: str, password: str) -> None:
        if user in [ln.split("\t")[0] for ln in self._run("list_users").splitlines()]:
            self._run("change_password", user, password)
        else:
            self._run("add_user", user, password)
        self._run("set_user_tags", user)  # no management rights

    def grant(self, vhost: str, g: Grant, exchange: str) -> None:
        self._run("set_permissions", "-p", vhost, g.user, g.configure, g.write, g.read)
        self._run(
            "set_topic_permissions", "-p", vhost, g.user, exchange, g.topic_write, g.topic_read
        )

    def admin_grant(self, vhost: str, user: str) -> None:
        self._run("set_permissions", "-p", vhost, user, ".*", ".*", ".*")

    def delete_user(self, user: str) -> None:
        self._run("delete_user", user, ok_codes=range(256))  # gone already is fine

    def provision(self, vhost: str, accounts: list, exchange: str, admin_user) -> None:
        """Everything in one `import_definitions` (each rabbitmqctl call starts an Erlang
        VM: a second or two): the vhost, the users (created or their password replaced),
        their permissions, and the administrator's on the vhost."""
        definitions = definitions_for(vhost, accounts, exchange, admin_user)
        done = subprocess.run(
            [self.binary, "-q", "import_definitions", "--format", "json"],
            input=json.dumps(definitions),
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise RuntimeError(f"rabbitmqctl import_definitions: {done.stderr or done.stdout}")

    def delete_vhost(self, vhost: str) -> None:
        self._run("delete_vhost", vhost, ok_codes=range(256))

    def remove(self, vhost: str, users: list[str]) -> None:
        """Delete the vhost and the users, the calls at once (gone already is fine)."""
        calls = [["delete_vhost", vhost]] + [["delete_user", user] for user in users]
        running = [
            subprocess.Popen(
                [self.binary, "-q", *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            for args in calls
        ]
        for process in running:
            process.wait()


class ManagementApi:
    """The management plugin's HTTP API (http://admin:password@host:15672)."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.base = urlunsplit(parts._replace(netloc=f"{parts.hostname}:{parts.port or 15672}"))
        token = f"{parts.username}:{parts.password}".encode()
        self.auth = "Basic " + base64.b64encode(token).decode()

    def _call(self, method: str, path: str, body: dict | None = None) -> None:
        request = urllib.request.Request(
            self.base.rstrip("/") + "/api/" + path,
            method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={"Authorization": self.auth, "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10):
            pass

    def vhost(self, vhost: str) -> None:
        self._call("PUT", f"vhosts/{quote(vhost, safe='')}", {})

    def user(self, user: str, password: str) -> None:
        self._call("PUT", f"users/{quote(user, safe='')}", {"password": password, "tags": ""})

    def grant(self, vhost: str, g: Grant, exchange: str) -> None:
        where = f"{quote(vhost, safe='')}/{quote(g.user, safe='')}"
        self._call(
            "PUT",
            f"permissions/{where}",
            {"configure": g.configure, "write": g.write, "read": g.read},
        )
        self._call(
            "PUT",
            f"topic-permissions/{where}",
            {"exchange": exchange, "write": g.topic_write, "read": g.topic_read},
        )

    def admin_grant(self, vhost: str, user: str) -> None:
        where = f"{quote(vhost, safe='')}/{quote(user, safe='')}"
        self._call("PUT", f"permissions/{where}", {"configure": ".*", "write": ".*", "read": ".*"})

    def delete_user(self, user: str) -> None:
        self._call("DELETE", f"users/{quote(user, safe='')}")

    def delete_vhost(self, vhost: str) -> None:
        self._call("DELETE", f"vhosts/{quote(vhost, safe='')}")


def password_hash(password: str) -> str:
    """RabbitMQ's rabbit_password_hashing_sha256: base64(salt + sha256(salt + password))."""
    salt = secrets.token_bytes(4)
    return base64.b64encode(salt + hashlib.sha256(salt + password.encode()).digest()).decode()


def definitions_for(vhost: str, accounts: list, exchange: str, admin_user) -> dict:
    """accounts: (Grant, password) pairs; RabbitMQ's definitions format."""
    permissions = [
        {"user": g.user, "vhost": vhost, "configure": g.configure, "write": g.write, "read": g.read}
        for g, _ in accounts
    ]
    if admin_user:
        permissions.append(
            {"user": admin_user, "vhost": vhost, "configure": ".*", "write": ".*", "read": ".*"}
        )
    return {
        "vhosts": [{"name": vhost}],
        "users": [
            {
                "name": g.user,
                "password_hash": password_hash(password),
                "hashing_algorithm": "rabbit_password_hashing_sha256",
                "tags": "",
            }
            for g, password in accounts
        ],
        "permissions": permissions,
        "topic_permissions": [
            {
                "user": g.user,
                "vhost": vhost,
                "exchange": exchange,
                "write": g.topic_write,
                "read": g.topic_read,
            }
            for g, _ in accounts
        ],
    }


def grants_refresh(*, admin, vhost: str, prefix: str, sites=None) -> list[str]:
    """Set the permissions of existing accounts again (the site tree changed: a new village
    is one more destination for its township and the county), passwords unchanged."""
    tree = site_codes()
    exchange = names()["exchange"]
    chosen = list(sites or tree)
    grants = [hall_grant(site, prefix=prefix, tree=tree) for site in chosen]
    for grant in grants:
        admin.grant(vhost, grant, exchange)
    return chosen


def hall_url(*, broker: str, user: str, password: str, vhost: str) -> str:
    """The AMQP URL a hall runs with (host, port and scheme of `broker`: amqp or amqps)."""
    parts = urlsplit(broker)
    netloc = f"{quote(user, safe='')}:{quote(password, safe='')}@{parts.hostname}"
    if parts.port:
        netloc += f":{parts.port}"
    return urlunsplit(parts._replace(netloc=netloc, path="/" + quote(vhost, safe="")))


def broker_provision(
    *,
    admin,
    vhost: str,
    prefix: str,
    broker: str,
    sites=None,
    admin_user: str | None = None,
    on_password=None,
) -> dict[str, str]:
    """Create the vhost, one account per hall with its permissions, and return each hall's
    broker URL (new passwords: the county ships each hall its own). `admin_user` gets every
    right on the new vhost (the topology is then declared with its connection,
    `topology_declare(conn, force=True)`). `on_password(urls)` is called with every URL
    before any new password is set at the broker, so a caller can keep them first."""
    tree = site_codes()
    chosen = list(sites or tree)
    grants = {site: hall_grant(site, prefix=prefix, tree=tree) for site in chosen}  # refuse early
    exchange = names()["exchange"]
    passwords = {site: secrets.token_hex(24) for site in grants}  # hex: no shell quoting
    urls = {
        site: hall_url(broker=broker, user=grants[site].user, password=pw, vhost=vhost)
        for site, pw in passwords.items()
    }
    if on_password:
        on_password(urls)  # kept before the broker has them: a password is never lost
    if hasattr(admin, "provision"):
        accounts = [(grants[site], pw) for site, pw in passwords.items()]
        admin.provision(vhost, accounts, exchange, admin_user)
        return urls
    admin.vhost(vhost)
    if admin_user:
        admin.admin_grant(vhost, admin_user)
    for site, grant in grants.items():
        admin.user(grant.user, passwords[site])
        admin.grant(vhost, grant, exchange)
    return urls
