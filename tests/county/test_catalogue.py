"""The item catalogue: versions, the rules a version must keep, delegations, the API."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from county.catalogue.models import Delegation, Item, ItemVersion
from county.catalogue.sample import catalogue_load_sample
from county.catalogue.services import (
    delegation_grant,
    delegation_withdraw,
    item_create,
    item_revise,
)


def promised_item(**overrides):
    fields = {
        "code": "mzj-900",
        "department": "mzj",
        "name": "临时救助",
        "kind": "public_service",
        "handling_type": "promised",
        "legal_limit_days": 15,
        "promised_limit_days": 7,
        "legal_basis": "《社会救助暂行办法》第四十七条",
        "materials": [
            {"name": "申请人身份证"},
            {"name": "困难情况证明", "deferrable": True, "defer_days": 3},
        ],
    }
    fields.update(overrides)
    return item_create(**fields)


def field_of(exc: pytest.ExceptionInfo) -> set[str]:
    return set(exc.value.message_dict)


class TestVersions:
    def test_a_new_item_starts_at_version_one(self, tree):
        version = promised_item()
        assert (version.number, version.item.current_version) == (1, 1)
        assert version.deferrable_materials == ["困难情况证明"]

    def test_a_change_is_a_new_version_and_the_old_one_stays(self, tree):
        first = promised_item()
        second = item_revise(item=first.item, promised_limit_days=5, change_note="压缩时限")
        first.refresh_from_db()
        assert (first.number, first.promised_limit_days) == (1, 7)
        assert (second.number, second.promised_limit_days) == (2, 5)
        assert second.item.current_version == 2
        assert second.materials == first.materials

    def test_a_version_cannot_be_edited_in_place(self, tree):
        version = promised_item()
        version.promised_limit_days = 1
        with pytest.raises(ValidationError, match="不可修改"):
            version.save()

    def test_the_database_refuses_promised_above_legal(self, tree):
        version = promised_item()
        with pytest.raises(IntegrityError), transaction.atomic():
            ItemVersion.objects.filter(pk=version.pk).update(promised_limit_days=99)


class TestRefusals:
    def test_promised_above_legal_names_the_field(self, tree):
        with pytest.raises(ValidationError) as exc:
            promised_item(promised_limit_days=20)
        assert field_of(exc) == {"promised_limit_days"}
        assert not Item.objects.exists()

    def test_unknown_department(self, tree):
        with pytest.raises(ValidationError) as exc:
            promised_item(department="no-such-bureau")
        assert field_of(exc) == {"department"}

    def test_duplicate_code(self, tree):
        promised_item()
        with pytest.raises(ValidationError) as exc:
            promised_item(name="另一个")
        assert field_of(exc) == {"code"}
        assert Item.objects.count() == 1

    def test_a_revision_is_checked_too(self, tree):
        item = promised_item().item
        with pytest.raises(ValidationError) as exc:
            item_revise(item=item, legal_limit_days=3)
        assert field_of(exc) == {"promised_limit_days"}
        assert item.versions.count() == 1

    def test_a_joint_item_needs_co_departments(self, tree):
        with pytest.raises(ValidationError) as exc:
            promised_item(handling_type="joint")
        assert field_of(exc) == {"co_departments"}

    def test_an_instant_item_has_no_promised_days(self, tree):
        with pytest.raises(ValidationError) as exc:
            promised_item(handling_type="instant")
        assert field_of(exc) == {"promised_limit_days"}

    def test_a_deferrable_material_needs_a_period(self, tree):
        with pytest.raises(ValidationError) as exc:
            promised_item(materials=[{"name": "照片", "deferrable": True}])
        assert field_of(exc) == {"materials"}


class TestDelegations:
    def test_grant_and_withdraw(self, tree):
        item = promised_item().item
        delegation = delegation_grant(item=item, site=tree["t-maan"], mode="decide")
        delegation_withdraw(delegation=delegation)
        assert not delegation.active
        again = delegation_grant(item=item, site=tree["t-maan"], mode="forward")
        assert again.active and again.uid != delegation.uid

    def test_not_to_the_county(self, tree):
        item = promised_item().item
        with pytest.raises(ValidationError) as exc:
            delegation_grant(item=item, site=tree["county"], mode="decide")
        assert field_of(exc) == {"site"}

    def test_not_twice(self, tree):
        item = promised_item().item
        delegation_grant(item=item, site=tree["v-shiqiao"], mode="forward")
        with pytest.raises(ValidationError) as exc:
            delegation_grant(item=item, site=tree["v-shiqiao"], mode="forward")
        assert field_of(exc) == {"site"}
        assert Delegation.objects.count() == 1

    def test_withdrawing_twice_is_refused(self, tree):
        delegation = delegation_grant(item=promised_item().item, site=tree["t-maan"], mode="decide")
        delegation_withdraw(delegation=delegation)
        with pytest.raises(ValidationError):
            delegation_withdraw(delegation=delegation)

    def test_an_escalated_item_can_only_be_forwarded(self, tree):
        item = promised_item(handling_type="escalated").item
        with pytest.raises(ValidationError) as exc:
            delegation_grant(item=item, site=tree["t-maan"], mode="decide")
        assert field_of(exc) == {"mode"}


class TestSample:
    def test_the_sample_catalogue_is_broad_and_delegated(self, tree):
        added = catalogue_load_sample()
        versions = ItemVersion.objects.all()
        assert added >= 30
        assert versions.values("department").distinct().count() >= 10
        assert Delegation.objects.filter(site__tier="township", mode="decide").exists()
        village = Delegation.objects.filter(site__tier="village")
        assert village.exists() and not village.exclude(mode="forward").exists()
        assert catalogue_load_sample() == 0  # loading twice adds nothing


class TestApi:
    def test_the_catalogue_is_public_with_constant_queries(
        self, tree, client, django_assert_max_num_queries
    ):
        catalogue_load_sample()
        with django_assert_max_num_queries(4):
            response = client.get("/api/catalogue/items/?limit=100")
        body = response.json()
        assert response.status_code == 200
        assert body["count"] >= 30
        first = body["results"][0]
        assert {"code", "version", "legal_basis", "materials", "fees"} <= set(first)

    def test_old_versions_stay_readable(self, tree, client):
        item = promised_item().item
        item_revise(item=item, name="临时救助(修订)")
        assert client.get("/api/catalogue/items/mzj-900/").json()["version"] == 2
        old = client.get("/api/catalogue/items/mzj-900/versions/1/").json()
        assert (old["version"], old["name"]) == (1, "临时救助")
        versions = client.get("/api/catalogue/items/mzj-900/versions/").json()["results"]
        assert [v["version"] for v in versions] == [2, 1]

    def test_unknown_item_is_404(self, tree, client):
        assert client.get("/api/catalogue/items/none/").status_code == 404

    def test_filters(self, tree, client):
        catalogue_load_sample()
        joint = client.get("/api/catalogue/items/?handling_type=joint").json()["results"]
        assert joint and {row["handling_type"] for row in joint} == {"joint"}
        mzj = client.get("/api/catalogue/items/?department=mzj").json()["results"]
        assert {row["department"]["code"] for row in mzj} == {"mzj"}

    def test_delegations_per_site(self, tree, client):
        catalogue_load_sample()
        rows = client.get("/api/catalogue/delegations/?site=v-shiqiao&active=1").json()["results"]
        assert rows and {r["mode"] for r in rows} == {"forward"}
