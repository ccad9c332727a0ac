"""Multi-node harness: real hall nodes (own database each) as separate processes.

    with Cluster(tmp_path) as cluster:
        county = cluster.node("county", sample=True)
        village = cluster.node("v-shiqiao")
        county.start("consume"); village.start("relay")
        village.python("result = 1 + 1")          # any Python in the node, JSON back
        village.sql("SELECT count(*) FROM sync_outboxmessage")   # straight to its DB
        village.link_down(); village.link_up()    # lose / regain the link to the broker
        village.kill("relay")                     # SIGKILL

Backends follow the test run: SQLite files and filesystem:// by default; with
HALL_TEST_DATABASE_URL=postgres://... one PostgreSQL database per node (created from a
migrated template), with HALL_TEST_BROKER_URL=amqp://... RabbitMQ behind a LinkProxy, in a
namespace of its own (exchange and queues removed at the end).
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from deploy.env import REPO_ROOT
from tests.support.proxy import LinkProxy

HALL = str(Path(sys.executable).parent / "hall")
_TEMPLATES: dict[str, str] = {}


def _pg_admin(url: str):
    import psycopg

    parts = urlsplit(url)
    return psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True)


def _with_db(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


class Started:
    """A command forked by the node's Python server, used like the Popen of `hall KIND`:
    pid, poll(), wait(), send_signal(), terminate(), kill(), returncode (-N: signal N)."""

    def __init__(self, pid: int, args: list[str], exit_file: Path, server) -> None:
        self.pid, self.args, self.exit_file, self.server = pid, args, exit_file, server
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            if self.exit_file.exists():
                self.returncode = int(self.exit_file.read_text())
            elif self.server.poll() is not None and not _running(self.pid):
                self.returncode = -signal.SIGKILL  # its server is gone: no status to read
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(self.args, timeout)
            time.sleep(0.02)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signum)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state != "Z"


class Node:
    def __init__(self, cluster: Cluster, code: str, *, cuttable: bool = True) -> None:
        self.cluster, self.code = cluster, code
        self._pg = None  # the test process's connection to this node's PostgreSQL database
        self.dir = cluster.root / code
        self.dir.mkdir(parents=True, exist_ok=True)
        self.procs: dict[str, subprocess.Popen | Started] = {}
        self.link = cluster.root / "links" / code
        self.proxy: LinkProxy | None = None
        if cluster.pg_url:
            self.db_name = f"{cluster.run_id}_{code.replace('-', '_')}"
            self.db_url = _with_db(cluster.pg_url, self.db_name)
        else:
            self.db_url = f"sqlite:///{self.dir / 'hall.sqlite3'}"
        broker = cluster.broker_url
        if broker.startswith("amqp") and cuttable:
            self.proxy = LinkProxy(cluster.amqp_target)
            parts = urlsplit(broker)
            netloc = f"{parts.username}:{parts.password}@127.0.0.1:{self.proxy.port}"
            broker = urlunsplit(parts._replace(netloc=netloc))
        else:
            self.link.parent.mkdir(exist_ok=True)
            self.link.symlink_to(cluster.broker_folder)
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("HALL_")},
            "HALL_SITE": code,
            "HALL_VAR_DIR": str(self.dir),
            "HALL_DATABASE_URL": self.db_url,
            "HALL_BROKER_URL": broker,
            "HALL_BROKER_FOLDER": str(self.link),
            "HALL_SYNC_NAMESPACE": cluster.namespace,
            "HALL_SYNC_BACKOFF_MAX": "1",
            "HALL_SYNC_APPLIER_MODULES": "tests.support.appliers",
            # Its own private key only; every hall's public key pinned (ADR 0012).
            "HALL_SYNC_KEY_FILE": str(cluster.keys / code / "sync.key"),
            "HALL_SYNC_TRUST_DIR": str(cluster.keys / "trust"),
            "DJANGO_SETTINGS_MODULE": "deploy.settings.node",
            "PYTHONPATH": str(REPO_ROOT),
            **cluster.extra_env,
        }

    # -- processes -------------------------------------------------------------------
    def hall(self, *args: str, timeout: float = 120) -> str:
        done = subprocess.run(
            [HALL, *args],
            env=self.env,
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if done.returncode != 0:
            raise RuntimeError(f"{self.code}: hall {' '.join(args)} failed:\n{done.stderr[-3000:]}")
        return done.stdout

    def start(self, kind: str, *args: str) -> Started:
        """Start `hall relay` or `hall consume` (or any long-running command): forked from
        the node's Python server (tests/support/forkshell.py), a process of its own."""
        server = self._shell()
        log = self.dir / f"{kind}.log"
        exit_file = self.dir / f"{kind}-{uuid.uuid4().hex[:8]}.exit"
        request = {"start": [kind, *args], "log": str(log), "exit": str(exit_file)}
        server.stdin.write(json.dumps(request) + "\n")
        server.stdin.flush()
        ready, _, _ = select.select([server.stdout], [], [], 60)
        answer = server.stdout.readline() if ready else ""
        if not answer:
            raise RuntimeError(f"{self.code}: python server died:\n{self.log('python')[-3000:]}")
        proc = Started(json.loads(answer)["pid"], [HALL, kind, *args], exit_file, server)
        self.procs[kind] = proc
        return proc

    def stop(self, kind: str) -> None:
        proc = self.procs.pop(kind, None)
        if proc and proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    def kill(self, kind: str) -> None:
        """SIGKILL: no clean-up of any kind."""
        proc = self.procs.pop(kind)
        proc.kill()
        proc.wait()

    def alive(self, kind: str) -> bool:
        proc = self.procs.get(kind)
        return proc is not None and proc.poll() is None

    def log(self, kind: str) -> str:
        path = self.dir / f"{kind}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    # -- inside the node ---------------------------------------------------------------
    def python(self, code: str, timeout: float = 120):
        """Run `code` in the node (Django set up); it sets `result`, which comes back as JSON."""
        server = self._shell()
        out = self.dir / f"python-{uuid.uuid4().hex[:8]}.json"
        server.stdin.write(json.dumps({"code": code, "out": str(out)}) + "\n")
        server.stdin.flush()
        ready, _, _ = select.select([server.stdout], [], [], timeout)
        if not ready:
            server.kill()
            server.wait()
            raise subprocess.TimeoutExpired("node.python", timeout)
        if not server.stdout.readline():
            raise RuntimeError(f"{self.code}: python server died:\n{self.log('python')[-3000:]}")
        answer = json.loads(out.read_text()) if out.exists() else {"error": "no result"}
        out.unlink(missing_ok=True)
        if "error" in answer:
            raise RuntimeError(
                f"{self.code}: python failed:\n{answer['error']}\n{self.log('python')[-1500:]}"
            )
        return answer["result"]

    def _shell(self) -> subprocess.Popen:
        """The node's Python server (tests/support/forkshell.py): Django started once, one
        fresh forked process per python() call."""
        server = self.procs.get("python-server")
        env = {**self.env, "HALL_FORKSHELL_LOG": str(self.dir / "python.log")}
        if server is not None and (server.poll() is not None or server.args_env != env):
            # A test changed node.env: a server that reads it. The old one stays until the
            # end (Cluster.close) if commands it started still run.
            self.procs[f"python-server-{uuid.uuid4().hex[:6]}"] = self.procs.pop("python-server")
            server = None
        if server is None:
            server = subprocess.Popen(
                [sys.executable, "-m", "tests.support.forkshell"],
                env=env,
                cwd=REPO_ROOT,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=open(self.dir / "python-server.log", "ab"),  # noqa: SIM115
                text=True,
            )
            server.args_env = env
            self.procs["python-server"] = server
        return server

    def sql(self, query: str, params: tuple = ()) -> list[tuple]:
        """Read the node's database directly (fast polling from the test process)."""
        if self.cluster.pg_url:
            import psycopg

            # One connection kept open: polling with a new one each time would make
            # PostgreSQL start a backend per poll, work that competes with the nodes.
            if self._pg is None or self._pg.closed:
                self._pg = psycopg.connect(self.db_url, autocommit=True)
            cur = self._pg.execute(query.replace("?", "%s"), params)
            return list(cur.fetchall()) if cur.description else []
        conn = sqlite3.connect(self.dir / "hall.sqlite3", timeout=30)
        try:
            rows = list(conn.execute(query, params).fetchall())
            conn.commit()
            return rows
        finally:
            conn.close()

    def status(self) -> dict:
        """`hall sync-status --json`, run in the node's Python server."""
        return self.python(
            "from io import StringIO\n"
            "from django.core.management import call_command\n"
            "out = StringIO()\n"
            "call_command('sync-status', '--json', stdout=out)\n"
            "result = json.loads(out.getvalue().strip().splitlines()[-1])"
        )

    # -- the link to the broker ----------------------------------------------------------
    def link_down(self) -> None:
        if self.proxy:
            self.proxy.cut()
        elif self.cluster.broker_url.startswith("amqp"):
            raise RuntimeError(f"{self.code} was started without a link that can be cut")
        else:
            # A dangling link, like a network mount that went away (not a missing folder,
            # which a node would create).
            self.link.unlink()
            self.link.symlink_to(self.cluster.root / "unreachable")

    def link_up(self) -> None:
        if self.proxy:
            self.proxy.restore()
        else:
            self.link.unlink()
            self.link.symlink_to(self.cluster.broker_folder)

    def close(self) -> None:
        # The commands first, then the Python servers they were forked from.
        for kind in sorted(self.procs, key=lambda kind: kind.startswith("python-server")):
            self.stop(kind)
        if self.proxy:
            self.proxy.close()
        if self._pg is not None:
            self._pg.close()


class Cluster:
    def __init__(self, root: Path, *, extra_env: dict | None = None) -> None:
        self.root = Path(root)
        self.run_id = f"hall_{uuid.uuid4().hex[:10]}"
        self.namespace = f"t{uuid.uuid4().hex[:8]}"
        self.pg_url = os.environ.get("HALL_TEST_DATABASE_URL", "")
        if not self.pg_url.startswith("postgres"):
            self.pg_url = ""
        self.broker_url = os.environ.get("HALL_TEST_BROKER_URL", "") or "filesystem://"
        self.broker_folder = self.root / "broker"
        self.broker_folder.mkdir(parents=True, exist_ok=True)
        if self.broker_url.startswith("amqp"):
            parts = urlsplit(self.broker_url)
            self.amqp_target = (parts.hostname or "127.0.0.1", parts.port or 5672)
        self.extra_env = extra_env or {}
        self.nodes: dict[str, Node] = {}
        # Every hall's key, made before any node starts (as `hall demo` does): the hand-made
        # bodies of the tests (tests.support.inject) sign with the same keys (the test run's).
        from sites.registry.tree import load_tree
        from tests.support.keys import keys_make, keys_root

        keys_make(keys_root(), load_tree())
        # A copy per cluster: a node that rotates its key changes only this cluster's files.
        self.keys = self.root / "keys"
        shutil.copytree(keys_root(), self.keys, dirs_exist_ok=True)

    def __enter__(self) -> Cluster:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def node(self, code: str, *, sample: bool = False, cuttable: bool = True) -> Node:
        """A node with its database; `cuttable=False`: on RabbitMQ it connects straight to
        the broker, without the proxy that link_down cuts (a benchmark's county)."""
        node = Node(self, code, cuttable=cuttable)
        self._from_template(node)
        # `hall node --no-serve` and the test tables in one Django start, not two.
        node.python(
            "from django.core.management import call_command\n"
            "from tests.support.appliers import ensure_tables\n"
            f"call_command('node', '--no-serve', *{['--sample'] if sample else []!r})\n"
            "ensure_tables()",
            timeout=300,
        )
        self.nodes[code] = node
        return node

    def _from_template(self, node: Node) -> None:
        """Copy a migrated database instead of migrating each node (seconds saved each)."""
        key = self.pg_url or "sqlite"
        if key not in _TEMPLATES:
            tmpl = Node(self, "v-dongping")  # a village: no calendar, no catalogue of its own
            if self.pg_url:
                tmpl.db_name = f"{self.run_id}_template"
                tmpl.db_url = tmpl.env["HALL_DATABASE_URL"] = _with_db(self.pg_url, tmpl.db_name)
                with _pg_admin(self.pg_url) as admin:
                    admin.execute(f'CREATE DATABASE "{tmpl.db_name}"')
            tmpl.hall("migrate", "--verbosity", "0", timeout=300)
            _TEMPLATES[key] = tmpl.db_name if self.pg_url else str(tmpl.dir / "hall.sqlite3")
            shutil.rmtree(tmpl.dir, ignore_errors=True) if self.pg_url else None
            if not self.pg_url:
                keep = Path(os.environ.get("TMPDIR", "/tmp")) / f"{self.run_id}.sqlite3"
                shutil.copy(_TEMPLATES[key], keep)
                _TEMPLATES[key] = str(keep)
        if self.pg_url:
            with _pg_admin(self.pg_url) as admin:
                admin.execute(f'CREATE DATABASE "{node.db_name}" TEMPLATE "{_TEMPLATES[key]}"')
        else:
            shutil.copy(_TEMPLATES[key], node.dir / "hall.sqlite3")

    def publish_raw(self, *, routing_key: str, body: bytes | str) -> None:
        """Put a message straight into the broker (as anyone could), bypassing every node."""
        from django.test import override_settings

        from sync.transport import connect, exchange, topology_declare

        with (
            override_settings(
                HALL_BROKER_URL=self.broker_url,
                HALL_BROKER_FOLDER=str(self.broker_folder),
                HALL_SYNC_NAMESPACE=self.namespace,
            ),
            connect() as conn,
        ):
            topology_declare(conn)
            conn.Producer().publish(
                body,
                exchange=exchange(),
                routing_key=routing_key,
                serializer=None,
                content_type="application/json",
                content_encoding="utf-8",
                delivery_mode=2,
            )

    def dead_letters(self) -> int:
        """How many messages sit in the dead-letter queue."""
        from django.test import override_settings

        from sync.transport import connect, dead_queue, topology_declare

        with (
            override_settings(
                HALL_BROKER_URL=self.broker_url,
                HALL_BROKER_FOLDER=str(self.broker_folder),
                HALL_SYNC_NAMESPACE=self.namespace,
            ),
            connect() as conn,
        ):
            topology_declare(conn)
            amqp = conn.transport.driver_type == "amqp"
            q = dead_queue(amqp=amqp)(conn.default_channel)
            return q.queue_declare(passive=True).message_count

    def wait(self, check, *, timeout: float = 60, every: float = 0.3, what: str = ""):
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            last = check()
            if last:
                return last
            time.sleep(every)
        logs = {
            f"{n.code}/{k}": n.log(k)[-1500:]
            for n in self.nodes.values()
            for k in ("relay", "consume")
        }
        raise AssertionError(f"timed out waiting for {what or check}: last={last!r}\n{logs}")

    def close(self) -> None:
        # Every node's processes told to stop at once, then waited for: their clean stops
        # overlap instead of following one another.
        # The commands first, then the Python servers they were forked from.
        for servers in (False, True):
            running = [
                proc
                for node in self.nodes.values()
                for kind, proc in node.procs.items()
                if kind.startswith("python-server") == servers
            ]
            for proc in running:
                if proc.poll() is None:
                    proc.send_signal(signal.SIGTERM)
            for proc in running:
                try:
                    proc.wait(10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
        for node in self.nodes.values():
            node.close()
        if self.pg_url:
            with _pg_admin(self.pg_url) as admin:
                for node in self.nodes.values():
                    admin.execute(f'DROP DATABASE IF EXISTS "{node.db_name}" WITH (FORCE)')
        if self.broker_url.startswith("amqp"):
            self._amqp_cleanup()

    def _amqp_cleanup(self) -> None:
        from kombu import Connection

        from sites.registry.tree import load_tree

        with Connection(self.broker_url) as conn:
            ch = conn.default_channel
            for code in load_tree():
                ch.queue_delete(f"{self.namespace}.{code}")
            ch.queue_delete(f"{self.namespace}.dead")
            ch.exchange_delete(self.namespace)
            ch.exchange_delete(f"{self.namespace}.dlx")
