"""AMQPS (ADR 0012): with a CA made here, a TLS listener is added to the shared RabbitMQ
for this test only (at runtime, on a free port, removed at the end: its other listeners and
users are untouched); the relay publishes over it, verifying the broker against the CA, and
a broker whose certificate another CA signed is refused."""

import os
import shutil
import socket
import ssl
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest
from django.test import override_settings
from kombu.exceptions import OperationalError

from sync.relay import Publisher
from sync.transport import connect, names
from tests.support.tls import ca_and_server_cert

BROKER = os.environ.get("HALL_TEST_BROKER_URL", "")
pytestmark = [
    pytest.mark.multinode,
    pytest.mark.skipif(not BROKER.startswith("amqp"), reason="needs RabbitMQ (hall test --real)"),
    pytest.mark.skipif(shutil.which("rabbitmqctl") is None, reason="needs rabbitmqctl"),
]


def _eval(expression: str) -> str:
    done = subprocess.run(["rabbitmqctl", "eval", expression], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def tls_listener():
    folder = Path(tempfile.mkdtemp(prefix="hall-tls-"))
    folder.chmod(0o755)  # the broker reads the certificate as its own user
    files = ca_and_server_cert(folder)
    other = folder / "other"
    other.mkdir()
    other_ca = ca_and_server_cert(other, cn="another-ca")["ca"]
    port = _free_port()
    options = ",".join(
        f'{{{name},"{files[key]}"}}'
        for name, key in (("cacertfile", "ca"), ("certfile", "cert"), ("keyfile", "key"))
    )
    assert _eval(f"rabbit_networking:start_ssl_listener({port}, [{options}], 1, 1).") == "ok"
    try:
        yield {"port": port, "ca": str(files["ca"]), "other_ca": str(other_ca)}
    finally:
        _eval(f"rabbit_networking:stop_tcp_listener({port}).")
        shutil.rmtree(folder, ignore_errors=True)


def test_the_relay_publishes_over_amqps_and_verifies_the_broker(tls_listener):
    url = f"amqps://guest:guest@127.0.0.1:{tls_listener['port']}//"
    ns = f"t{uuid.uuid4().hex[:8]}"
    with override_settings(HALL_SYNC_NAMESPACE=ns, HALL_BROKER_CA=tls_listener["ca"]):
        publisher = Publisher(url)  # declares the topology, confirm mode, over TLS
        try:
            assert isinstance(publisher.conn.connection.transport.sock, ssl.SSLSocket)
            publisher.publish_batch([("county.v-shiqiao.agg.test.case.event", '{"n": 1}')])
        finally:
            publisher.close()
        with connect(url) as conn:
            ch = conn.default_channel
            got = ch.basic_get(f"{ns}.county", no_ack=True)
            assert got is not None
            for code in ("county", "t-maan", "t-huangtan", "v-shiqiao", "v-liujia", "v-xiaohe"):
                ch.queue_delete(f"{ns}.{code}")
            for name in (names()["dead"],):
                ch.queue_delete(name)
            ch.exchange_delete(ns)
            ch.exchange_delete(names()["dlx"])

    # A broker certificate that the configured CA did not sign: refused
    with (
        override_settings(HALL_BROKER_CA=tls_listener["other_ca"]),
        pytest.raises(OperationalError, match="CERTIFICATE_VERIFY_FAILED"),
    ):
        connect(url).ensure_connection(max_retries=1)
