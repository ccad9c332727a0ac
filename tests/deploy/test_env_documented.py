"""Every environment variable a hall reads is in deploy/env.py VARIABLES, and the runbook,
README and deploy/systemd/example.env list every one of them (issue 28)."""

import re

from deploy.env import REPO_ROOT, TEST_VARIABLES, VARIABLES, env_table

SOURCES = ["deploy", "sites", "platform", "sync", "permissions"]
# env_str("HALL_X"), os.environ.get("HALL_X"), os.environ["HALL_X"], env.get("HALL_X"), ...
READ = re.compile(
    r"(?:env_str|env_bool|env_int|environ\.get|environ\.setdefault|environ\[|getenv|env\.get)"
    r"\(?\s*[\"'](HALL_[A-Z0-9_]+)[\"']"
)
UNIT_READ = re.compile(r"\$\{(HALL_[A-Z0-9_]+)\}")


def names_read() -> dict[str, str]:
    found = {}
    for folder in SOURCES:
        for path in (REPO_ROOT / folder).rglob("*.py"):
            for name in READ.findall(path.read_text(encoding="utf-8")):
                found.setdefault(name, str(path.relative_to(REPO_ROOT)))
    for path in (REPO_ROOT / "deploy" / "systemd").glob("*.service"):
        for name in UNIT_READ.findall(path.read_text()):
            found.setdefault(name, str(path.relative_to(REPO_ROOT)))
    return found


def test_the_scan_finds_what_settings_read():
    read = names_read()
    assert {"HALL_SITE", "HALL_DATABASE_URL", "HALL_COUNTY_URL", "HALL_PORT"} <= set(read)


def test_every_variable_read_is_documented():
    undocumented = {
        name: where
        for name, where in names_read().items()
        if name not in VARIABLES and name not in TEST_VARIABLES
    }
    assert undocumented == {}, "add them to deploy/env.py VARIABLES"


def test_every_documented_variable_is_read():
    assert sorted(set(VARIABLES) - set(names_read())) == []


def _section(text: str) -> str:
    return text.split("<!-- env-table:begin -->\n", 1)[1].split("\n<!-- env-table:end -->", 1)[0]


def test_the_runbook_and_readme_carry_the_table():
    for doc in ("deploy/RUNBOOK.zh.md", "README.md"):
        text = (REPO_ROOT / doc).read_text(encoding="utf-8")
        assert "<!-- env-table:begin -->" in text, f"{doc}: paste the table:\n{env_table()}"
        assert _section(text) == env_table(), f"{doc}: replace the table with:\n{env_table()}"


def test_example_env_lists_every_variable():
    text = (REPO_ROOT / "deploy" / "systemd" / "example.env").read_text()
    listed = set(re.findall(r"^#? ?(HALL_[A-Z0-9_]+)=", text, flags=re.M))
    assert sorted(set(VARIABLES) - listed) == []
