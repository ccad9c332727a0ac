"""Delegated items: who may take in and decide an item at a site; withdrawal."""

from __future__ import annotations

import pytest

from county.catalogue import access as item_access
from county.rules.signatures import can_decide_item_here
from tests.permissions.factories import staff


def _item(code):
    from county.catalogue.models import Item

    return Item.objects.get(code=code)


@pytest.mark.parametrize(
    ("role", "site", "item", "take_in", "decide"),
    [
        ("clerk", "t-maan", "mzj-002", True, False),  # 受理并办结, but the 首席代表 signs
        ("chief_representative", "t-maan", "mzj-002", True, True),
        ("clerk", "v-shiqiao", "mzj-002", True, False),  # 代收代办: forward up
        ("village_agent", "v-shiqiao", "mzj-002", True, False),
        ("clerk", "t-maan", "mzj-004", False, False),  # not delegated to the township
        ("clerk", "county", "mzj-004", True, False),  # the county offers its whole catalogue
        ("chief_representative", "county", "mzj-004", True, True),
        ("chief_representative", "t-maan", "zrzy-003", True, False),  # forward-mode delegation
        ("auditor", "county", "mzj-002", False, False),  # reads only
        ("county_supervisor", "county", "mzj-002", False, False),
    ],
)
def test_take_in_and_decide(catalogue, role, site, item, take_in, decide):
    user = staff(catalogue[site], role)
    assert (
        item_access.can_accept_item_here(user=user, item=_item(item), site=catalogue[site])
        is take_in
    )
    assert can_decide_item_here(user=user, item=_item(item), site=catalogue[site]) is decide


def test_not_at_another_site(catalogue):
    user = staff(catalogue["t-maan"], "clerk")
    assert not item_access.can_accept_item_here(
        user=user, item=_item("mzj-002"), site=catalogue["t-huangtan"]
    )
    assert not item_access.can_accept_item_here(
        user=user, item=_item("mzj-002"), site=catalogue["v-shiqiao"]
    )


def test_withdrawal_removes_take_in_and_a_new_grant_restores_it(catalogue):
    from county.catalogue.models import Delegation
    from county.catalogue.services import delegation_grant, delegation_withdraw

    user = staff(catalogue["t-maan"], "clerk")
    delegation = Delegation.objects.get(
        item__code="mzj-002", site__code="t-maan", withdrawn_at__isnull=True
    )
    delegation_withdraw(delegation=delegation)
    assert not item_access.can_accept_item_here(
        user=user, item=_item("mzj-002"), site=catalogue["t-maan"]
    )
    delegation_grant(item=_item("mzj-002"), site=catalogue["t-maan"], mode="forward")
    assert item_access.can_accept_item_here(
        user=user, item=_item("mzj-002"), site=catalogue["t-maan"]
    )
    assert not can_decide_item_here(user=user, item=_item("mzj-002"), site=catalogue["t-maan"])


def test_the_grants_live_in_the_direct_fk_tables(catalogue):
    from guardian.models import GroupObjectPermission, UserObjectPermission

    from permissions.models import DelegationGroupObjectPermission, SiteGroupObjectPermission

    staff(catalogue["t-maan"], "clerk")
    assert SiteGroupObjectPermission.objects.exists()
    assert DelegationGroupObjectPermission.objects.exists()
    assert not GroupObjectPermission.objects.exists()
    assert not UserObjectPermission.objects.exists()


def test_guardian_shortcuts_agree(catalogue):
    # the stock guardian API sees the same grants (it finds the direct-FK tables itself)
    user = staff(catalogue["t-maan"], "clerk")
    assert user.has_perm("registry.act_at_site", catalogue["t-maan"])
    assert not user.has_perm("registry.act_at_site", catalogue["t-huangtan"])


def test_a_clerk_decides_only_where_the_signatures_rule_authorises_clerks(catalogue):
    """seed 001 第十五条(一)(三): the 首席代表 signs the decisions, so "may decide here" is
    "no" for a clerk (before issue 22 it said yes while case_decide refused him), until the
    county authorises the department's clerks (rule `cases.signatures`, "department:mzj");
    an item scope overrides its department's."""
    from django.utils import timezone

    from county.rules.models import Rule

    clerk = staff(catalogue["t-maan"], "clerk")
    item = _item("mzj-002")
    assert not can_decide_item_here(user=clerk, item=item, site=catalogue["t-maan"])
    Rule.objects.create(
        key="cases.signatures",
        scope="department:mzj",
        value={"chief_signs": False},
        changed_at=timezone.now(),
    )
    assert can_decide_item_here(user=clerk, item=item, site=catalogue["t-maan"])
    Rule.objects.create(
        key="cases.signatures",
        scope="item:mzj-002",
        value={"chief_signs": True},
        changed_at=timezone.now(),
    )
    assert not can_decide_item_here(user=clerk, item=item, site=catalogue["t-maan"])
    # still never where the catalogue does not let the hall decide (代收代办)
    Rule.objects.filter(scope="item:mzj-002").delete()
    village_clerk = staff(catalogue["v-shiqiao"], "clerk")
    assert not can_decide_item_here(user=village_clerk, item=item, site=catalogue["v-shiqiao"])
