"""Bringing a node's database up to date: migrations and the data every hall needs."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management import call_command

from county.catalogue.release import catalogue_change
from county.catalogue.sample import catalogue_load_sample
from county.hallkeys.services import hall_keys_enrol_pinned
from county.workdays.services import calendar_seed_from_library
from permissions.services import staff_create
from sites.queueing.demo import demo_windows_ensure
from sites.registry.selectors import site_current
from sites.registry.services import departments_load, site_tree_load
from sites.registry.tier import here
from sync.api import own_key


def node_prepare(*, sample: bool, verbosity: int = 0) -> dict:
    """Migrate, load the site tree and departments; the county also seeds its rules."""
    call_command("migrate", interactive=False, verbosity=verbosity)
    report = {"sites": site_tree_load(), "departments": departments_load()}
    report["key"] = own_key().kid  # this hall's signing key, made on first start (ADR 0012)
    if here().authors_catalogue:
        # One release for what a first start sets up: the pinned keys, calendar, sample.
        with catalogue_change():
            report["keys_enrolled"] = hall_keys_enrol_pinned()
            report["calendar_years"] = len(calendar_seed_from_library())
            if sample:
                report["sample_items"] = catalogue_load_sample()
    return report


DEMO_PASSWORD = "qingshan-demo-2026"
# Who works where in the demo: (username suffix, name, roles) per tier of the node's own hall.
DEMO_STAFF = {
    "county": [
        ("supervisor", "周监管", ["county_supervisor"]),
        ("catalogue", "吴目录", ["catalogue_admin"]),
        ("clerk", "郑窗口", ["clerk"]),
        ("auditor", "冯审计", ["auditor"]),
    ],
    "township": [("clerk", "陈窗口", ["clerk"]), ("chief", "林首席", ["chief_representative"])],
    # the village clerk accepts and forwards at a village hall (the village path of the workbench)
    "village": [("agent", "黄代办", ["village_agent"]), ("clerk", "何窗口", ["clerk"])],
}


def demo_staff_ensure() -> list[tuple[str, str]]:
    """The demo's staff accounts at this hall (users are per node); returns (username, roles)."""
    site = site_current()
    made = []
    for suffix, name, roles in DEMO_STAFF[site.tier]:
        username = f"{site.code}-{suffix}"
        if not get_user_model().objects.filter(username=username).exists():
            staff_create(
                username=username, name=name, site=site, roles=roles, password=DEMO_PASSWORD
            )
        made.append((username, ",".join(roles)))

    demo_windows_ensure(site=site)  # windows for the kiosk, 叫号 and the big screen
    return made
