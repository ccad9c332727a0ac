"""Helpers of the clicking journeys and the accessibility checks (imported, not a conftest).

axe-core comes from the npm registry and is committed under tests/browser/vendor/axe-core/
(`npm pack axe-core@4.14.1`, the minified file unchanged; MPL-2.0): CI on a fresh machine
needs no network and no npm, and the version only moves when someone commits a new file
(docs/decisions/0023-one-look.md). It is injected into the page from that local file.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")
ENGLISH = re.compile(
    r"\b(Submit|Login|Logout|Search|Accept|None|True|False|submitted|accepted|suspended|"
    r"concluded|on_time|overdue|warning|seed)\b"
)
RUN_AXE = """async () => {
  const r = await axe.run(document, {resultTypes: ['violations']});
  return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.length, targets: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
}"""


def output_dir() -> Path:
    """Where screenshots and the axe report of this run go: $HALL_VAR_DIR/screens."""
    root = Path(os.environ.get("HALL_VAR_DIR") or tempfile.gettempdir()) / "screens"
    root.mkdir(parents=True, exist_ok=True)
    return root


def axe_violations(page) -> list[dict]:
    """All axe violations of the page as it is now; also appended to screens/axe.jsonl."""
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(RUN_AXE)
    line = {"url": page.url, "title": page.title(), "violations": found}
    with (output_dir() / "axe.jsonl").open("a", encoding="utf-8") as out:
        out.write(json.dumps(line, ensure_ascii=False) + "\n")
    return found


def assert_accessible(page) -> None:
    blocking = [v for v in axe_violations(page) if v["impact"] in BLOCKING]
    assert blocking == [], f"{page.url}: {json.dumps(blocking, ensure_ascii=False)}"


def chinese_only(page) -> str:
    text = page.inner_text("body")
    found = ENGLISH.search(text)
    assert not found, f"{page.url}: {found.group(0)}"
    return text


def menu(page, label: str) -> None:
    """Click an entry of the hall's menu (the navigation every page carries)."""
    page.locator("nav.hall-nav").get_by_role("link", name=label, exact=True).click()
    page.wait_for_load_state()


def pick_item(page, name: str, code: str = "") -> None:
    """Choose an item on the 收件 page by (part of) its name and open its checklist. Until
    the picker shows names (issue 21 part 1), an option may carry only the item's code.
    The page also has a search form above the picker: click the picker's own button."""
    select = page.locator("select[name=item]")
    value = select.evaluate(
        "(s, [name, code]) => [...s.options].find(o => o.text.includes(name))?.value"
        " ?? [...s.options].find(o => code && o.value === code).value",
        [name, code],
    )
    select.select_option(value)
    page.locator("form[method=get]", has=select).locator("[type=submit]").click()
    page.wait_for_load_state()
