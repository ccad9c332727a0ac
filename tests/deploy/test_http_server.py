"""The node's real server (gunicorn) on PostgreSQL: concurrent requests use at most
workers x threads connections, idle ones are closed, none is left after the server stops;
/healthz/ answers without a login; static files come from the node itself."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from deploy.env import REPO_ROOT

HALL = str(Path(sys.executable).parent / "hall")
PG_URL = os.environ.get("HALL_TEST_DATABASE_URL", "")
pytestmark = [
    pytest.mark.multinode,
    pytest.mark.skipif(not PG_URL.startswith("postgres"), reason="needs PostgreSQL (--real)"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _admin():
    import psycopg

    return psycopg.connect(urlunsplit(urlsplit(PG_URL)._replace(path="/postgres")), autocommit=True)


def _connections(db: str) -> int:
    with _admin() as conn:
        return conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s", [db]
        ).fetchone()[0]


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


@pytest.fixture
def server(tmp_path):
    # one database per xdist worker: the two tests may run at once (ADR 0019)
    db = f"{urlsplit(PG_URL).path.lstrip('/')}_web{os.environ.get('PYTEST_XDIST_WORKER', '')}"
    with _admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{db}"')
    port = _free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("HALL_")},
        "DJANGO_SETTINGS_MODULE": "deploy.settings.node",
        "HALL_SITE": "county",
        "HALL_DEBUG": "0",
        "HALL_VAR_DIR": str(tmp_path),
        "HALL_DATABASE_URL": urlunsplit(urlsplit(PG_URL)._replace(path=f"/{db}")),
        "HALL_WEB_WORKERS": "2",
        "HALL_WEB_THREADS": "3",
        "HALL_DB_POOL_IDLE": "2",
    }
    log = open(tmp_path / "node.log", "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [HALL, "node", "--port", str(port)], cwd=REPO_ROOT, env=env, stdout=log, stderr=log
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            try:
                if _get(f"{base}/healthz/")[0] == 200:
                    break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail((tmp_path / "node.log").read_text())
        yield base, db, proc
    finally:
        proc.terminate()
        proc.wait(30)
        log.close()


def test_concurrent_requests_use_at_most_workers_times_threads_connections(server):
    base, db, proc = server
    cap = 2 * 3
    peak = 0

    def hit(_):
        return _get(f"{base}/healthz/")[0]

    with ThreadPoolExecutor(40) as pool:
        pending = [pool.submit(hit, i) for i in range(400)]
        while not all(f.done() for f in pending):
            peak = max(peak, _connections(db))
            time.sleep(0.02)
        statuses = [f.result() for f in pending]
    assert statuses == [200] * 400
    assert 1 <= peak <= cap, peak
    # idle pooled connections are closed after HALL_DB_POOL_IDLE seconds (one per check)
    deadline = time.monotonic() + 30
    while _connections(db) > 0 and time.monotonic() < deadline:
        time.sleep(0.5)
    assert _connections(db) == 0
    # and the server still answers afterwards, reopening what it needs
    assert hit(0) == 200
    proc.terminate()
    proc.wait(30)
    assert _connections(db) == 0


def _unsent(db: str) -> int:
    import psycopg

    url = urlunsplit(urlsplit(PG_URL)._replace(path=f"/{db}"))
    with psycopg.connect(url, autocommit=True) as conn:
        return conn.execute(
            "SELECT count(*) FROM sync_outboxmessage WHERE sent_at IS NULL"
        ).fetchone()[0]


def test_health_and_static_files_need_no_login(server):
    base, db, _ = server
    status, body = _get(f"{base}/healthz/")
    health = json.loads(body)
    assert status == 200
    # no relay runs here: the first catalogue release for every hall waits in the outbox
    backlog = _unsent(db)
    assert backlog > 0
    assert health == {
        "site": "county",
        "database": "ok",
        "outbox_backlog": backlog,
        "quarantined": 0,
        "notifications_due": 0,  # SMS (sites.notify): none waiting, none failed for good
        "notifications_failed": 0,
        "status": "ok",
    }
    status, css = _get(f"{base}/static/admin/css/base.css")
    assert status == 200 and b"{" in css
    assert _get(f"{base}/api/cases/")[0] in (401, 403)
