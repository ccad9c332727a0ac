"""The demo's accounts: a village hall has a clerk who may accept and forward."""

from deploy.prepare import demo_staff_ensure


def test_a_village_hall_has_a_demo_clerk(tree, settings):
    settings.HALL_SITE, settings.HALL_TIER = "v-shiqiao", "village"
    made = dict(demo_staff_ensure())
    assert made["v-shiqiao-clerk"] == "clerk"
    assert made["v-shiqiao-agent"] == "village_agent"
