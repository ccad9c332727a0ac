"""County rules as data: the seeds' defaults until the county edits them, typed values, every
edit kept, carried by the catalogue release to every hall, edited only at the county by the
catalogue keeper (pages: wrong tier, wrong person and anonymous refused)."""

import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from county.catalogue.release import RELEASE, applied_release
from county.rules.models import Rule, RuleChange
from county.rules.registry import rule_register
from county.rules.selectors import rule_value
from county.rules.services import rule_set
from permissions.roles import Role
from sync.inbox import inbox_apply
from sync.models import OutboxMessage
from tests.county.test_release import become_fresh_township
from tests.permissions.factories import staff

PASSWORD = "Rules-Test-2026"

POINTS = rule_register(
    key="test.points",
    label="测试积分规则",
    default={"complaint_overdue_per_day": -4, "share": 0.8, "name": "默认", "active": True},
    labels={"complaint_overdue_per_day": "投诉逾期每日扣分", "share": "比例"},
    source="seed 000",
)


@pytest.fixture
def keeper(tree):
    return staff(tree["county"], Role.CATALOGUE_ADMIN)


def test_the_seeds_defaults_hold_until_the_county_edits(tree, keeper):
    assert rule_value("test.points")["complaint_overdue_per_day"] == -4
    rule_set(key="test.points", value={"complaint_overdue_per_day": "-5"}, by=keeper)
    value = rule_value("test.points")
    assert value["complaint_overdue_per_day"] == -5  # typed from the form's text
    assert value["share"] == 0.8 and value["active"] is True  # the rest stays default


def test_a_narrower_scope_wins_and_falls_back_to_the_county(tree, keeper):
    rule_set(key="test.points", value={"share": 0.5}, by=keeper)
    rule_set(key="test.points", value={"share": 0.9}, by=keeper, scope="item:mzj-900")
    assert rule_value("test.points", scopes=("item:mzj-900",))["share"] == 0.9
    assert rule_value("test.points", scopes=("item:other",))["share"] == 0.5


@pytest.mark.parametrize(
    "value, message",
    [
        ({"complaint_overdue_per_day": "four"}, "应为整数"),
        ({"complaint_overdue_per_day": 1.5}, "应为整数"),
        ({"share": "nan"}, "应为数字"),
        ({"unknown": 1}, "没有这些项"),
        ({"name": "x" * 201}, "过长"),
    ],
)
def test_bad_values_are_refused_in_chinese(tree, keeper, value, message):
    with pytest.raises(ValidationError, match=message):
        rule_set(key="test.points", value=value, by=keeper)
    assert not Rule.objects.exists()


def test_every_edit_is_kept_and_an_unchanged_value_cuts_no_release(tree, keeper):
    rule_set(key="test.points", value={"share": 0.5}, by=keeper, note="第一次")
    releases = OutboxMessage.objects.filter(type=RELEASE).count()
    rule_set(key="test.points", value={"share": 0.5}, by=keeper)
    assert OutboxMessage.objects.filter(type=RELEASE).count() == releases
    rule_set(key="test.points", value={"share": 0.6}, by=keeper)
    changes = list(RuleChange.objects.order_by("revision").values_list("revision", "value"))
    assert changes == [(1, {"share": 0.5}), (2, {"share": 0.6})]
    assert RuleChange.objects.first().changed_by == keeper.username


def test_the_release_carries_the_rules_to_a_township(tree, keeper, settings):
    rule_set(key="test.points", value={"complaint_overdue_per_day": -6}, by=keeper)
    row = OutboxMessage.objects.filter(type=RELEASE, dest="t-maan").order_by("-id").first()
    assert json.loads(row.body)["payload"]["rules"][0]["value"] == {"complaint_overdue_per_day": -6}
    bodies = [
        r.body.encode()
        for r in OutboxMessage.objects.filter(type=RELEASE, dest="t-maan").order_by("id")
    ]
    become_fresh_township(settings)
    Rule.objects.all().delete()
    assert rule_value("test.points")["complaint_overdue_per_day"] == -4
    inbox_apply(bodies=bodies)
    assert applied_release() >= 1
    assert rule_value("test.points")["complaint_overdue_per_day"] == -6


@pytest.mark.parametrize("who", ["supervisor", "anonymous", "township"])
def test_rules_are_edited_only_at_the_county_by_the_keeper(tree, settings, who):
    by = {
        "supervisor": lambda: staff(tree["county"], Role.COUNTY_SUPERVISOR),
        "anonymous": AnonymousUser,
        "township": lambda: staff(tree["t-maan"], Role.CHIEF_REPRESENTATIVE),
    }[who]()
    if who == "township":
        settings.HALL_SITE, settings.HALL_TIER = "t-maan", "township"
    with pytest.raises(PermissionDenied):
        rule_set(key="test.points", value={"share": 0.1}, by=by)
    assert not Rule.objects.exists()


class TestPages:
    def login(self, client, user):
        user.set_password(PASSWORD)
        user.save()
        assert client.login(username=user.username, password=PASSWORD)

    def test_the_keeper_edits_with_a_form_in_chinese(self, tree, keeper, client):
        self.login(client, keeper)
        page = client.get("/guize/").content.decode()
        assert "测试积分规则" in page and "投诉逾期每日扣分" in page
        form = client.get("/guize/test.points/").content.decode()
        assert 'name="complaint_overdue_per_day"' in form and "-4" in form
        bad = client.post("/guize/test.points/", {"complaint_overdue_per_day": "x", "share": 1})
        assert bad.status_code == 400 and "整数" in bad.content.decode()
        post = {"complaint_overdue_per_day": -3, "share": 0.7, "name": "改", "note": "县里调整"}
        assert client.post("/guize/test.points/", post).status_code == 302
        assert rule_value("test.points")["complaint_overdue_per_day"] == -3
        assert "县里调整" in client.get("/guize/test.points/").content.decode()

    def test_anonymous_is_sent_to_login(self, tree, client):
        response = client.get("/guize/")
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]

    def test_county_staff_without_the_permission_are_refused(self, tree, client):
        # a supervisor reads the rules (the points and quotas they judge by) but edits none
        self.login(client, staff(tree["county"], Role.COUNTY_SUPERVISOR))
        page = client.get("/guize/")
        assert page.status_code == 200 and "/guize/test.points/" not in page.content.decode()
        assert client.get("/guize/test.points/").status_code == 403
        assert client.post("/guize/test.points/", {"share": 0.1}).status_code == 403
        assert not Rule.objects.exists()

    def test_county_clerks_do_not_read_the_rules(self, tree, client):
        self.login(client, staff(tree["county"], Role.CLERK))
        assert client.get("/guize/").status_code == 403

    def test_a_township_has_no_rules_pages(self, tree, client, settings):
        self.login(client, staff(tree["t-maan"], Role.CLERK))
        settings.HALL_SITE, settings.HALL_TIER = "t-maan", "township"
        # the route exists only in the county's URL conf; here the keeper check refuses too
        assert client.get("/guize/test.points/").status_code in (403, 404)
