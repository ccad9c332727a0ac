"""`hall broker-provision` as the runbook runs it, on the real RabbitMQ (issue 28, issue 25
item 3): the administrator of --admin-url gets rights on the new vhost (the topology is
declared there), --out holds every hall's URL, and each account writes only to the halls
it really sends to, with no wildcard. Its own vhost and users, removed afterwards."""

import json
import os
import shutil
import uuid
from urllib.parse import unquote, urlsplit

import amqp
import pytest
from amqp import Message
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from sync.provision import ProvisionError, RabbitmqCtl, hall_grant, hall_peers, hall_url

BROKER = os.environ.get("HALL_TEST_BROKER_URL", "")
needs_rabbitmq = pytest.mark.skipif(
    not BROKER.startswith("amqp") or shutil.which("rabbitmqctl") is None,
    reason="needs RabbitMQ and rabbitmqctl (hall test --real)",
)
SITES = ["county", "t-maan", "t-huangtan", "v-shiqiao", "v-liujia"]


def test_each_hall_writes_only_to_its_parent_children_and_the_county():
    assert hall_peers("v-shiqiao") == ["county", "t-maan"]
    assert set(hall_peers("t-maan")) == {"county", "v-shiqiao", "v-liujia"}
    assert "t-huangtan" not in hall_peers("t-maan")
    assert len(hall_peers("county")) == len(hall_peers("county", None)) > 5  # every hall
    tree = {"county": 1, "t-*": 2}
    with override_settings(HALL_SYNC_FANIN="county"), pytest.raises(ProvisionError):
        hall_grant("t-*", prefix="hall-", tree=tree)


@pytest.fixture(scope="module")
def provisioned(tmp_path_factory):
    ns = f"ops{uuid.uuid4().hex[:6]}"
    vhost, prefix = f"ops-{ns}", f"{ns}-"
    p = urlsplit(BROKER)
    admin_url = hall_url(
        broker=BROKER,
        user=unquote(p.username or "guest"),
        password=unquote(p.password or "guest"),
        vhost=vhost,
    )
    out = tmp_path_factory.mktemp("prov") / "broker-accounts.json"
    ctl = RabbitmqCtl()
    overrides = override_settings(HALL_SYNC_NAMESPACE=ns, HALL_SYNC_DECLARE=False)
    overrides.enable()
    try:
        args = ["--vhost", vhost, "--prefix", prefix, "--broker", BROKER, "--out", str(out)]
        args += [arg for site in SITES for arg in ("--site", site)]
        call_command("broker-provision", *args, "--admin-url", admin_url)
        yield {"ns": ns, "out": out, "urls": json.loads(out.read_text()), "admin": admin_url}
    finally:
        overrides.disable()
        ctl.remove(vhost, [f"{prefix}{site}" for site in SITES])


def _publish(url: str, key: str, exchange: str) -> str:
    p = urlsplit(url)
    conn = amqp.Connection(
        f"{p.hostname}:{p.port or 5672}",
        userid=unquote(p.username),
        password=unquote(p.password),
        virtual_host=unquote(p.path[1:]),
    )
    conn.connect()
    try:
        ch = conn.channel()
        ch.confirm_select()
        ch.basic_publish_confirm(
            Message(b"{}", user_id=unquote(p.username)), exchange=exchange, routing_key=key
        )
        return "allowed"
    except amqp.exceptions.AccessRefused:
        return "refused"
    finally:
        conn.collect()


@pytest.mark.multinode
@needs_rabbitmq
def test_provision_declares_in_its_new_vhost_and_keeps_every_password(provisioned):
    out = provisioned["out"]
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    assert sorted(provisioned["urls"]) == sorted(SITES)
    # the topology was declared in the new vhost with the administrator (it had no rights
    # there before: NOT_ALLOWED, and --out was never written)
    assert _publish(provisioned["admin"], "county.x", provisioned["ns"]) == "allowed"


@pytest.mark.multinode
@needs_rabbitmq
def test_a_village_account_cannot_publish_to_a_sibling_or_with_a_wildcard(provisioned):
    ns, village = provisioned["ns"], provisioned["urls"]["v-shiqiao"]
    township = provisioned["urls"]["t-maan"]
    verdicts = {
        key: _publish(village, key, ns)
        for key in [
            "county.v-shiqiao.agg.case.event",  # the county: allowed
            "t-maan.v-shiqiao.agg.case.transfer",  # its township: allowed
            "v-liujia.v-shiqiao.ctl.x",  # a sibling village
            "t-huangtan.v-shiqiao.ctl.x",  # another township
            "*.v-shiqiao.agg.case.event",  # a wildcard destination
            "county.v-shiqiao.agg.#",  # a wildcard further on
            "county.t-maan.agg.case.event",  # another origin
        ]
    }
    assert verdicts == {
        "county.v-shiqiao.agg.case.event": "allowed",
        "t-maan.v-shiqiao.agg.case.transfer": "allowed",
        "v-liujia.v-shiqiao.ctl.x": "refused",
        "t-huangtan.v-shiqiao.ctl.x": "refused",
        "*.v-shiqiao.agg.case.event": "refused",
        "county.v-shiqiao.agg.#": "refused",
        "county.t-maan.agg.case.event": "refused",
    }
    assert _publish(township, "v-liujia.t-maan.ctl.x", ns) == "allowed"  # its own village
    assert _publish(township, "t-huangtan.t-maan.ctl.x", ns) == "refused"  # a sibling


@pytest.mark.multinode
@needs_rabbitmq
def test_grants_only_sets_permissions_again_and_keeps_the_password(provisioned):
    ns, township = provisioned["ns"], provisioned["urls"]["t-maan"]
    vhost = unquote(urlsplit(township).path[1:])
    prefix = unquote(urlsplit(township).username).removesuffix("t-maan")
    with override_settings(HALL_SYNC_NAMESPACE=ns):
        call_command(
            "broker-provision",
            "--vhost",
            vhost,
            "--prefix",
            prefix,
            "--grants-only",
            "--site",
            "t-maan",
        )
    assert _publish(township, "v-liujia.t-maan.ctl.x", ns) == "allowed"  # same password
    assert _publish(township, "t-huangtan.t-maan.ctl.x", ns) == "refused"


def test_out_must_be_somewhere_writable(tmp_path):
    with pytest.raises(CommandError):
        call_command(
            "broker-provision",
            "--broker",
            "amqp://127.0.0.1:5672/",
            "--out",
            str(tmp_path / "missing" / "x.json"),
        )


@pytest.mark.multinode
@needs_rabbitmq
def test_the_passwords_are_kept_even_when_declaring_fails(tmp_path):
    """The accounts exist at the broker once the command ran: --out must hold them even if
    the topology cannot be declared (before, NOT_ALLOWED came first and they were lost)."""
    ns = f"ops{uuid.uuid4().hex[:6]}"
    vhost, prefix, out = f"ops-{ns}", f"{ns}-", tmp_path / "accounts.json"
    bad_admin = hall_url(broker=BROKER, user="guest", password="wrong-password", vhost=vhost)
    try:
        with override_settings(HALL_SYNC_NAMESPACE=ns), pytest.raises(Exception):  # noqa: B017
            call_command(
                "broker-provision",
                "--vhost",
                vhost,
                "--prefix",
                prefix,
                "--broker",
                BROKER,
                "--out",
                str(out),
                "--site",
                "t-maan",
                "--admin-url",
                bad_admin,
            )
        assert list(json.loads(out.read_text())) == ["t-maan"]
    finally:
        RabbitmqCtl().remove(vhost, [f"{prefix}t-maan"])
