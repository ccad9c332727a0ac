"""`hall station`: a village in one process serves pages, relays its outbox, consumes its
queue, and stays small (ADR 0012: at most 150 MB resident)."""

import socket
import urllib.request

import pytest

from tests.support.nodes import Cluster
from tests.sync.conftest import applied, call

pytestmark = [pytest.mark.multinode, pytest.mark.slow]


@pytest.fixture
def cluster(tmp_path):
    with Cluster(tmp_path) as c:
        yield c


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except OSError:
        return 0


def _rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as f:
        kb = next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))
    return kb / 1024


def test_a_village_station_serves_relays_and_consumes_in_one_process(cluster):
    # Given the county (consumer and relay) and a village running as one station process
    county = cluster.node("county", sample=True)
    county.start("consume")
    county.start("relay")
    village = cluster.node("v-shiqiao")
    port = _free_port()
    station = village.start("station", "--port", str(port))

    # Then it serves pages
    base = f"http://127.0.0.1:{port}"
    cluster.wait(lambda: _get(f"{base}/healthz/") == 200, timeout=90, what="station up")
    assert _get(f"{base}/accounts/login/") == 200
    # it consumes: the catalogue it asked for at start arrives and is applied
    cluster.wait(
        lambda: village.sql("SELECT value FROM sync_synccounter WHERE name = 'catalogue_release'"),
        timeout=90,
        what="first release applied at the village",
    )
    # it relays: a case event filed at the village reaches the county
    assert call(village, "put('V-2026-0900', 1)") == 1
    cluster.wait(lambda: applied(county, "V-2026-0900"), timeout=60, what="relayed")
    # all of it in one process, small
    assert station.poll() is None
    assert _rss_mb(station.pid) <= 150, _rss_mb(station.pid)

    # And SIGTERM stops it cleanly
    village.stop("station")
    assert station.returncode == 0, village.log("station")[-2000:]
