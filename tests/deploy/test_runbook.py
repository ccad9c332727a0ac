"""The runbook as a test (issue 28): deploy/RUNBOOK.zh.md sections 1, 2, 4 and 5 for a
county, a township and a village on this machine's PostgreSQL and RabbitMQ, under
production settings (DEBUG off, per-hall broker accounts on their own vhost, env files
made from deploy/systemd/example.env), each hall's processes started as its systemd units
start them: ExecStart, Environment=, EnvironmentFile= and WorkingDirectory= are read from
the unit files, /opt/halls is this checkout, /etc/halls and /var/lib/halls are folders of
the test. Not covered (systemd cannot run here): the halls user, ProtectSystem and
ReadWritePaths themselves (instead: every path a hall writes must be under its
ReadWritePaths, and nothing is written elsewhere), Restart=, MemoryHigh=, TLS (amqp://).
"""

import configparser
import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import time
import urllib.parse
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from deploy.env import REPO_ROOT
from sync.provision import RabbitmqCtl, hall_url
from tests.citizen.test_multinode_citizen import free_port, wait_http

DATABASE = os.environ.get("HALL_TEST_DATABASE_URL", "")
BROKER = os.environ.get("HALL_TEST_BROKER_URL", "")
pytestmark = [
    pytest.mark.multinode,
    pytest.mark.slow,
    pytest.mark.skipif(
        not (DATABASE.startswith("postgres") and BROKER.startswith("amqp"))
        or shutil.which("rabbitmqctl") is None
        or shutil.which("pg_dump") is None,
        reason="needs PostgreSQL, RabbitMQ, rabbitmqctl and pg_dump (hall test --real)",
    ),
]
UNITS = REPO_ROOT / "deploy" / "systemd"
HALLS = {"county": ["web", "relay", "consume", "worker"], "t-maan": ["station"]}
HALLS["v-shiqiao"] = ["station"]
SUBMIT = """
from django.contrib.auth import get_user_model
from sites.cases import services
user = get_user_model().objects.get(username="v-shiqiao-agent")
c = services.case_submit(by=user, item_code='mzj-002', applicant_name='李四',
    applicant_id_number='11010519491231002X', applicant_phone='13812345678',
    materials=['申请人身份证', '临时救助申请书', '困难情况证明材料'])
code = services.case_accept(case=c, by=user)
print("CASE", c.number, code)
"""


RELEASE_APPLIED = "SELECT value FROM sync_synccounter WHERE name = 'catalogue_release'"
KEYS_OF_VILLAGE = (
    "SELECT kid FROM hallkeys_hallkey WHERE site = 'v-shiqiao' "
    "ORDER BY valid_until DESC NULLS FIRST"
)


def staff(username: str, name: str, role: str) -> list[str]:
    """Section 2.6's command line (the password comes on stdin)."""
    return [
        "staff-create",
        "--username",
        username,
        "--name",
        name,
        "--role",
        role,
        "--password-stdin",
    ]


def unit(kind: str) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read_string(
        # Environment= repeats: keep every line (configparser would keep the last)
        re.sub(
            r"^Environment=(.*)$",
            lambda m: f"Environment{abs(hash(m.group(1)))}={m.group(1)}",
            (UNITS / f"hall-{kind}@.service").read_text(),
            flags=re.M,
        )
    )
    return parser["Service"]


def env_file(path: Path) -> dict[str, str]:
    return dict(
        line.split("=", 1)
        for line in path.read_text().splitlines()
        if line.strip() and not line.startswith("#")
    )


class Install:
    """/etc/halls, /var/lib/halls, the databases and the vhost of one run of the runbook."""

    def __init__(self, root: Path) -> None:
        self.tag = f"ops_rb_{uuid.uuid4().hex[:6]}"
        self.etc, self.var = root / "etc", root / "var"
        self.etc.mkdir()
        self.vhost = self.tag.replace("_", "-")
        self.ports = {site: free_port() for site in HALLS}
        self.procs: dict[tuple[str, str], subprocess.Popen] = {}
        self.steps: list[tuple[str, float]] = []
        self.logs, self.backup = root / "logs", root / "backup"
        self.logs.mkdir()
        self.backup.mkdir()
        p = urlsplit(BROKER)
        self.admin = (unquote(p.username or "guest"), unquote(p.password or "guest"))

    # -- paths: the units' fixed paths mapped into the test's folders
    def mapped(self, text: str, site: str) -> str:
        return (
            text.replace("%i", site)
            .replace("/opt/halls", str(REPO_ROOT))
            .replace("/etc/halls", str(self.etc))
            .replace("/var/lib/halls", str(self.var))
        )

    def db(self, site: str) -> str:
        return f"{self.tag}_{site.replace('-', '_')}"

    def db_url(self, site: str) -> str:
        base = urlsplit(DATABASE)
        return base._replace(path="/" + self.db(site)).geturl()

    def sql(self, site: str, query: str) -> str:
        return self.psql("psql", "-c", query, db=self.db(site)).strip()

    def psql(self, *args: str, db: str = "postgres") -> str:
        base = urlsplit(DATABASE)
        conn = ["-h", base.hostname, "-p", str(base.port or 5432), "-U", base.username]
        return subprocess.run(
            [args[0], *conn, *args[1:]]
            if args[0] != "psql"
            else ["psql", *conn, "-d", db, "-tA", *args[1:]],
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    # -- runbook section 1: the hall's env file from example.env
    def env_write(self, site: str, broker_url: str) -> None:
        text = self.mapped((UNITS / "example.env").read_text().replace("/county", f"/{site}"), site)
        values = {
            "HALL_PORT": str(self.ports[site]),
            "HALL_DATABASE_URL": self.db_url(site),
            "HALL_BROKER_URL": broker_url,
            "HALL_SYNC_NAMESPACE": self.tag,
            "HALL_BROKER_CA": "",
            "HALL_SECRET_KEY": f"{self.tag}-{site}-" + "x" * 40,
            "HALL_ALLOWED_HOSTS": "127.0.0.1",
            "HALL_COUNTY_URL": f"http://127.0.0.1:{self.ports['county']}",
            "HALL_WEB_WORKERS": "1",
            "HALL_WEB_THREADS": "2",
        }
        lines = []
        for line in text.splitlines():
            name = line.split("=", 1)[0]
            lines.append(f"{name}={values[name]}" if name in values else line)
        path = self.etc / f"{site}.env"
        path.write_text("\n".join(lines) + "\n")
        path.chmod(0o600)

    def env(self, site: str, kind: str = "station") -> dict[str, str]:
        """The environment of the unit `kind` for `site`: EnvironmentFile, then Environment=."""
        service = unit(kind)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("HALL_", "DJANGO_"))}
        env.update(env_file(Path(self.mapped(service["EnvironmentFile"], site))))
        for key, value in service.items():
            if key.startswith("Environment") and key != "EnvironmentFile":
                name, val = self.mapped(value, site).split("=", 1)
                env[name] = val
        return env

    def hall(self, site: str, *args: str, stdin=None, env=None, check: bool = True) -> str:
        done = subprocess.run(
            [str(REPO_ROOT / ".venv" / "bin" / "hall"), *args],
            env={**self.env(site), **(env or {})},
            cwd=self.mapped(unit("station")["WorkingDirectory"], site),
            input=stdin,
            capture_output=True,
            text=True,
            timeout=180,
        )
        if done.returncode != 0 and check:
            raise AssertionError(f"hall {' '.join(args)} at {site}:\n{done.stdout}\n{done.stderr}")
        return done.stdout + done.stderr

    def mark(self, step: str) -> None:
        """Time of each step (printed at the end: `pytest -s` shows them)."""
        self.steps.append((step, time.monotonic()))

    def hall_many(self, *calls) -> list[str]:
        """Several `hall` commands at once: (site, args) or (site, args, keyword arguments)."""
        with ThreadPoolExecutor(len(calls)) as pool:
            running = [
                pool.submit(self.hall, c[0], *c[1], **(c[2] if len(c) > 2 else {})) for c in calls
            ]
            return [r.result() for r in running]

    # -- the units
    def start(self, site: str, kind: str) -> None:
        service = unit(kind)
        env = self.env(site, kind)
        argv = self.mapped(service["ExecStart"], site).replace("${HALL_PORT}", env["HALL_PORT"])
        log = open(self.logs / f"{site}-{kind}.log", "ab")  # noqa: SIM115 (the process's)
        self.procs[site, kind] = subprocess.Popen(
            argv.split(),
            env=env,
            cwd=self.mapped(service["WorkingDirectory"], site),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def stop(self, *which: tuple[str, str]) -> None:
        """SIGTERM (KillSignal=) to each, then SIGKILL after TimeoutStopSec=, as systemd."""
        procs = {(site, kind): self.procs.pop((site, kind)) for site, kind in which}
        for proc in procs.values():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
        for (_, kind), proc in procs.items():
            try:
                proc.wait(timeout=int(unit(kind)["TimeoutStopSec"]))
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()

    def log(self, site: str, kind: str) -> str:
        return (self.logs / f"{site}-{kind}.log").read_text(errors="replace")

    def url(self, site: str) -> str:
        return f"http://127.0.0.1:{self.ports[site]}"

    def close(self) -> None:
        self.stop(*self.procs)
        base = urlsplit(DATABASE)
        drops = [
            subprocess.Popen(
                ["dropdb", "--if-exists", "-h", base.hostname, "-U", base.username, self.db(site)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for site in HALLS
        ]
        from sync.config import site_codes

        RabbitmqCtl().remove(self.vhost, [f"{self.tag}-{site}" for site in site_codes()])
        for drop in drops:
            drop.wait()


def wait(check, *, what: str, timeout: float = 60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.3)
    raise AssertionError(f"timed out: {what}")


def statics_load(base: str) -> list[str]:
    """Every /static/ file the home page and Swagger UI use: each answers 200."""
    seen = []
    for page in ("/", "/api/docs/"):
        with urllib.request.urlopen(base + page, timeout=10) as answer:
            html = answer.read().decode()
        for ref in re.findall(r'(?:href|src)="(/static/[^"]+)"', html):
            with urllib.request.urlopen(base + ref, timeout=10) as got:
                assert got.status == 200 and got.read(), ref
            seen.append(ref)
    return seen


def ask_page(base: str, number: str, code: str) -> str:
    """A citizen's browser behind the hall's HTTPS proxy (the cookies are Secure)."""
    https = {"X-Forwarded-Proto": "https"}
    with urllib.request.urlopen(urllib.request.Request(base + "/chaxun/", headers=https)) as got:
        form = got.read().decode()
        cookie = next(c for c in got.headers.get_all("Set-Cookie") if c.startswith("csrftoken"))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "number": number, "query_code": code}
    ).encode()
    headers = {
        **https,
        "Cookie": cookie.split(";")[0],
        "Referer": base.replace("http:", "https:") + "/chaxun/",
    }
    request = urllib.request.Request(base + "/chaxun/", data=data, headers=headers)
    with urllib.request.urlopen(request, timeout=20) as answer:
        return answer.read().decode()


def table_counts(install: Install, site: str) -> dict[str, int]:
    db = install.db(site)
    tables = install.psql(
        "psql", "-c", "SELECT tablename FROM pg_tables WHERE schemaname='public'", db=db
    ).split()
    union = " UNION ALL ".join(f"SELECT '{t}', count(*) FROM \"{t}\"" for t in tables)
    rows = install.psql("psql", "-F", " ", "-c", union, db=db).splitlines()
    return {name: int(n) for name, n in (row.split() for row in rows)}


@pytest.fixture
def install(tmp_path):
    done = Install(tmp_path)
    try:
        yield done
    finally:
        done.close()


def test_the_runbook_installs_a_county_a_township_and_a_village(install):
    install.mark("Section 1")
    # Section 1: each hall's writable folder, its database, its env file
    for site in HALLS:
        (install.var / site).mkdir(parents=True)
        install.psql("createdb", install.db(site))
        install.env_write(site, broker_url="amqp://unset@127.0.0.1/")

    install.mark("Section 2.1")
    # Section 2.1: the county provisions every hall's broker account (admin: the test's)
    admin_url = hall_url(
        broker=BROKER, user=install.admin[0], password=install.admin[1], vhost=install.vhost
    )
    out = install.var / "county" / "broker-accounts.json"
    install.hall(
        "county",
        "broker-provision",
        "--vhost",
        install.vhost,
        "--prefix",
        f"{install.tag}-",
        "--broker",
        BROKER,
        "--admin-url",
        admin_url,
        "--out",
        str(out),
        env={"HALL_BROKER_URL": admin_url},
    )
    accounts = json.loads(out.read_text())
    for site in HALLS:
        install.env_write(site, broker_url=accounts[site])
        env = env_file(install.etc / f"{site}.env")
        writable = Path(install.mapped(unit("station")["ReadWritePaths"], site))
        for name in ("HALL_VAR_DIR", "HALL_SYNC_KEY_FILE", "HALL_SYNC_TRUST_DIR"):
            assert Path(env[name]).is_relative_to(writable), (site, name)

    install.mark("Section 2.3")
    # Section 2.3: keys before any first start; county.pub out, every hall's pub in
    shown = install.hall_many(*[(site, ["sync-keys", "show"]) for site in HALLS])
    pubs = {site: json.loads(text)["public_key"] for site, text in zip(HALLS, shown, strict=True)}
    trust = {
        site: Path(env_file(install.etc / f"{site}.env")["HALL_SYNC_TRUST_DIR"]) for site in HALLS
    }
    for site in HALLS:
        if site != "county":
            shutil.copy(trust["county"] / "county.pub", trust[site] / "county.pub")
            (trust["county"] / f"{site}.pub").write_text(pubs[site] + "\n")

    install.mark("Section 2.4")
    # Section 2.4: the county's units, web first (it migrates), then the others
    install.start("county", "web")
    wait_http(install.url("county") + "/healthz/", timeout=90)
    for kind in HALLS["county"][1:]:
        install.start("county", kind)
    install.mark("Section 2.5")
    # Section 2.5: township and village stations (the county is up)
    for site in ("t-maan", "v-shiqiao"):
        install.start(site, "station")
    # meanwhile the catalogue administrator's part (not in the runbook): the sample catalogue
    install.hall(
        "county",
        "shell",
        "-c",
        "from county.catalogue.release import catalogue_change\n"
        "from county.catalogue.sample import catalogue_load_sample\n"
        "with catalogue_change():\n    catalogue_load_sample()",
    )
    for site in ("t-maan", "v-shiqiao"):
        wait_http(install.url(site) + "/healthz/", timeout=120)

    install.mark("Section 2.6")
    # Section 2.6: staff accounts (once each hall has started: its site tree)
    install.hall_many(
        (
            "county",
            staff("county-clerk", "郑窗口", "clerk"),
            {"stdin": "Qs-clerk-2026!\n"},
        ),
        (
            "v-shiqiao",
            staff("v-shiqiao-agent", "黄代办", "village_agent"),
            {"stdin": "Qs-agent-2026!\n"},
        ),
    )
    install.mark("The worker")
    # The worker runs (no ACCESS_REFUSED on reply.celery.pidbox under its own account)
    wait(lambda: "ready" in install.log("county", "worker"), what="the county's worker")
    assert install.procs["county", "worker"].poll() is None, install.log("county", "worker")

    install.mark("Static files")
    # Static files (the stylesheets and scripts of the pages, Swagger UI) load everywhere
    for site in HALLS:
        assert any(".css" in ref for ref in statics_load(install.url(site))), site

    install.mark("The catalogue")
    # The catalogue reached the village; section 5: its key rotated, its station restarted
    wait(
        lambda: int(install.sql("v-shiqiao", RELEASE_APPLIED) or 0) >= 2,
        what="the catalogue at the village",
        timeout=90,
    )
    rotated = json.loads(install.hall("v-shiqiao", "sync-keys", "rotate").strip().splitlines()[-1])
    install.stop(("v-shiqiao", "station"))
    install.start("v-shiqiao", "station")
    wait_http(install.url("v-shiqiao") + "/healthz/", timeout=90)

    install.mark("A village case")
    # A village case reaches the county, and the citizen's query through the village
    out_text = install.hall("v-shiqiao", "shell", "-c", SUBMIT)
    number, code = re.search(r"CASE (\S+) (\S+)", out_text).groups()
    wait(
        lambda: (
            install.sql(
                "county", f"SELECT last_seq FROM readmodel_caserecord WHERE number='{number}'"
            )
            == "2"
        ),
        what="the village's case at the county",
        timeout=60,
    )
    page = ask_page(install.url("v-shiqiao"), number, code)
    assert "已受理" in page and "石桥村便民服务站" in page
    # the rotated key is the village's current one at the county (the announcement applied)
    wait(
        lambda: (
            install.sql("county", KEYS_OF_VILLAGE).split() == [rotated["kid"], rotated["previous"]]
        ),
        what="the rotated key at the county",
    )

    install.mark("Section 4")
    # Section 4: a township backup and restore loses nothing
    install.stop(("t-maan", "station"))
    before = table_counts(install, "t-maan")
    dump = install.backup / "t-maan.dump"
    db = install.db("t-maan")
    install.psql("pg_dump", "-Fc", "-d", db, "-f", str(dump))
    install.psql("dropdb", db)
    install.psql("createdb", db)
    install.psql("pg_restore", "-d", db, "--no-owner", str(dump))
    assert table_counts(install, "t-maan") == before and sum(before.values()) > 0
    install.start("t-maan", "station")
    wait_http(install.url("t-maan") + "/healthz/", timeout=90)

    install.mark("Status green")
    # Status green: healthz and sync-status (nothing quarantined anywhere, the county's
    # catalogue version), and hall doctor (section 2.7) at every hall: no problem; with a
    # wrong broker password or an unenrolled key it names each one
    for site in HALLS:
        with urllib.request.urlopen(install.url(site) + "/healthz/", timeout=10) as answer:
            assert json.loads(answer.read())["status"] == "ok"
    wrong = re.sub(r":([0-9a-f]{8})", ":00000000", accounts["t-maan"], count=1)
    elsewhere = install.var / "t-maan" / "other"
    shutil.copytree(trust["t-maan"], elsewhere / "trust")
    unenrolled = {
        "HALL_SYNC_KEY_FILE": str(elsewhere / "sync.key"),
        "HALL_SYNC_TRUST_DIR": str(elsewhere / "trust"),
    }
    for site in HALLS:  # sync-status's 隔离 (quarantined), read where it reads it
        assert install.sql(site, "SELECT count(*) FROM sync_quarantinedmessage") == "0", site
    county_status, *reports, declaring = install.hall_many(
        ("county", ["sync-status", "--json"]),
        *[(site, ["doctor"]) for site in HALLS],
        ("v-shiqiao", ["doctor"], {"env": {"HALL_SYNC_DECLARE": "true"}, "check": False}),
    )
    status = json.loads(county_status.strip().splitlines()[-1])
    assert status["quarantined"] == 0 and status["catalogue_release"] >= 3, status
    for report in reports:
        assert "未发现问题" in report, report
    assert "HALL_SYNC_DECLARE=false" in declaring and "发现 1 个问题" in declaring, declaring
    install.mark("... and a missing")
    # ... and a missing static folder, a wrong broker password and an unenrolled key at once
    static = install.var / "t-maan" / "static"
    static.rename(static.with_name("static.away"))
    env = {**unenrolled, "HALL_BROKER_URL": wrong}
    report = install.hall("t-maan", "doctor", env=env, check=False)
    static.with_name("static.away").rename(static)
    assert "发现 3 个问题" in report, report
    assert "✗ 静态文件" in report and "collectstatic" in report, report
    assert "账号或密码被拒绝" in report and "broker-accounts.json" in report, report
    assert "未在县中心登记" in report and "sync-keys enrol" in report, report

    install.mark("Nothing written")
    # Nothing written beside the halls' own folders (their ReadWritePaths)
    assert sorted(p.name for p in install.var.iterdir()) == sorted(HALLS)
    install.mark("end")
    for (step, at), (_, then) in zip(install.steps, install.steps[1:], strict=False):
        print(f"runbook step {step}: {then - at:.1f} s")
