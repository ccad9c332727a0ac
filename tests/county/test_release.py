"""Catalogue releases: cut in the transaction of the change, one per catalogue change, applied
at a site in order, a gap asked for again, a withdrawal reaching its site, a release for
another hall refused. One database plays the county, then (wiped) a fresh township."""

import json
from datetime import date

import pytest
from django.db import transaction

from county.catalogue.appliers import release_received
from county.catalogue.carried import INTERNAL, ITEM_VERSION_FIELDS
from county.catalogue.models import Delegation, Item, ItemVersion
from county.catalogue.release import (
    RELEASE,
    RESEND,
    NotAuthoring,
    applied_release,
    catalogue_ask_at_start,
    catalogue_change,
)
from county.catalogue.sample import catalogue_load_sample
from county.catalogue.services import delegation_grant, delegation_withdraw
from county.workdays.models import CalendarYear
from county.workdays.services import calendar_seed_from_library, calendar_year_set
from sync.api import Reject
from sync.envelope import envelope_parse
from sync.inbox import inbox_apply
from sync.models import CatalogueRelease, OutboxMessage, SyncCounter
from tests.county.test_catalogue import promised_item
from tests.support.inject import envelope_dict, signed

SITES = {"t-maan", "t-huangtan", "v-shiqiao", "v-liujia", "v-xiaohe", "v-dongping"}


def outbox(type: str, dest: str | None = None) -> list[OutboxMessage]:
    rows = OutboxMessage.objects.filter(type=type).order_by("id")
    return list(rows.filter(dest=dest) if dest else rows)


def payload(row: OutboxMessage) -> dict:
    return json.loads(row.body)["payload"]


def become_fresh_township(settings, code="t-maan") -> None:
    """Forget the county's catalogue (a new township's database) and be that township."""
    Delegation.objects.all().delete()
    ItemVersion.objects.all().delete()
    Item.objects.all().delete()
    CalendarYear.objects.all().delete()
    CatalogueRelease.objects.all().delete()
    SyncCounter.objects.filter(name="catalogue_release").delete()  # the county's version
    settings.HALL_SITE, settings.HALL_TIER = code, "township"


class TestCut:
    def test_a_published_version_puts_one_release_per_site_in_the_same_transaction(self, tree):
        promised_item()
        assert CatalogueRelease.objects.count() == 1
        assert {row.dest for row in outbox(RELEASE)} == SITES
        assert len(outbox(RELEASE)) == len(SITES)

    def test_a_rolled_back_edit_leaves_no_release_and_no_outbox_row(self, tree):
        with pytest.raises(RuntimeError), transaction.atomic():
            promised_item()
            assert len(outbox(RELEASE)) == len(SITES)  # written with the change ...
            raise RuntimeError("the edit fails later in its transaction")
        assert not Item.objects.exists()
        assert not CatalogueRelease.objects.exists()  # ... and gone with it
        assert outbox(RELEASE) == []

    def test_several_edits_in_one_catalogue_change_cut_one_release(self, tree):
        with catalogue_change():
            version = promised_item()
            promised_item(code="mzj-901")
            delegation_grant(item=version.item, site=tree["t-maan"], mode="decide")
        assert CatalogueRelease.objects.count() == 1
        (row,) = outbox(RELEASE, "t-maan")
        assert [v["code"] for v in payload(row)["versions"]] == ["mzj-900", "mzj-901"]
        assert [d["item"] for d in payload(row)["delegations"]] == ["mzj-900"]

    def test_each_change_cuts_the_next_release_from_the_last(self, tree):
        version = promised_item()
        delegation = delegation_grant(item=version.item, site=tree["t-maan"], mode="decide")
        delegation_withdraw(delegation=delegation)
        calendar_year_set(year=2027, off_days={date(2027, 1, 1): "元旦"}, work_days={}, notice="")
        rows = [payload(r) for r in outbox(RELEASE, "t-maan")]
        assert [(p["base"], p["release"]) for p in rows] == [(0, 1), (1, 2), (2, 3), (3, 4)]
        assert [len(p["versions"]) for p in rows] == [1, 0, 0, 0]  # versions once, in order
        assert rows[2]["delegations"][0]["withdrawn_at"] is not None
        assert "calendar" in rows[3] and "calendar" not in rows[2]

    def test_a_township_cuts_nothing(self, tree, settings):
        settings.HALL_SITE, settings.HALL_TIER = "t-maan", "township"
        with pytest.raises(NotAuthoring):
            promised_item()
        assert not Item.objects.exists() and outbox(RELEASE) == []


def test_a_release_carries_the_one_definition_of_an_item_version(tree):
    """Payload keys == the definition == the model's fields minus the internal ones."""
    promised_item()
    (row,) = payload(outbox(RELEASE, "t-maan")[0])["versions"]
    meta = ItemVersion._meta
    model_fields = {f.name for f in [*meta.fields, *meta.many_to_many]} - INTERNAL
    assert set(row) - {"code"} == set(ITEM_VERSION_FIELDS) == model_fields
    assert row["code"] == "mzj-900"  # the item, the version's identity, by its code


class TestSite:
    def cut_three(self, tree) -> dict[str, list[bytes]]:
        """At the county: the item (1), its delegation to t-maan (2), withdrawn (3)."""
        version = promised_item()
        delegation = delegation_grant(item=version.item, site=tree["t-maan"], mode="decide")
        delegation_withdraw(delegation=delegation)
        return {
            code: [r.body.encode() for r in outbox(RELEASE, code)]
            for code in ("t-maan", "t-huangtan")
        }

    def test_releases_in_order_bring_the_withdrawal_to_its_site(self, tree, settings):
        bodies = self.cut_three(tree)["t-maan"]
        become_fresh_township(settings)
        assert inbox_apply(bodies=bodies).as_dict()["applied"] == 3
        assert applied_release() == 3
        delegation = Delegation.objects.get(item__code="mzj-900", site__code="t-maan")
        assert delegation.withdrawn_at is not None
        assert ItemVersion.objects.get(item__code="mzj-900").number == 1

    def test_a_gap_asks_for_a_re_send_and_the_re_send_fills_it(self, tree, settings):
        bodies = self.cut_three(tree)["t-maan"]
        # The county answers a site's request with everything since 0, in one release.
        OutboxMessage.objects.all().delete()
        request = envelope_dict(
            origin="t-maan", dest="county", type=RESEND, aggregate="", seq=0, payload={"since": 0}
        )
        inbox_apply(bodies=[signed(request).encode()])
        (resent,) = outbox(RELEASE, "t-maan")
        assert (payload(resent)["base"], payload(resent)["release"]) == (0, 3)

        become_fresh_township(settings)
        inbox_apply(bodies=[bodies[2]])  # release 3 alone: base 2 > applied 0, a gap
        assert applied_release() == 0
        (asked,) = outbox(RESEND, "county")
        assert payload(asked) == {"since": 0}

        inbox_apply(bodies=[resent.body.encode()])
        assert applied_release() == 3
        assert Delegation.objects.get(site__code="t-maan").withdrawn_at is not None
        inbox_apply(bodies=[bodies[0]])  # an old release again changes nothing
        assert applied_release() == 3

    def test_a_fresh_install_asks_for_everything_at_start(self, tree, settings):
        settings.HALL_SITE, settings.HALL_TIER = "t-maan", "township"
        catalogue_ask_at_start()
        (asked,) = outbox(RESEND, "county")
        assert payload(asked) == {"since": 0}

    def test_a_township_refuses_a_release_addressed_to_another_hall(self, tree, settings):
        other = self.cut_three(tree)["t-huangtan"]
        become_fresh_township(settings)
        inbox_apply(bodies=other)
        assert applied_release() == 0
        assert not Item.objects.exists()
        with pytest.raises(Reject, match="t-huangtan"):
            release_received(envelope_parse(other[0]))


def test_a_restart_that_changes_nothing_cuts_no_release(tree):
    calendar_seed_from_library(years=[2026])
    catalogue_load_sample()
    before = CatalogueRelease.objects.count()
    calendar_seed_from_library(years=[2026])  # what `hall node` does at every start
    assert catalogue_load_sample() == 0
    assert CatalogueRelease.objects.count() == before == 2


def test_the_county_shows_its_own_catalogue_version(tree):
    """`hall sync-status` at the county said 目录版本 0 (issue 28): it is its latest release."""
    from sync.selectors import sync_status

    promised_item()
    assert sync_status()["catalogue_release"] == CatalogueRelease.objects.count() == 1
