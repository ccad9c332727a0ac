"""Multi-node: a joint case led at the county with parts at the county and at two townships.
One part is deemed to consent, one is reassigned from 马鞍镇 to 黄滩镇 while 马鞍镇 is
offline (its late answer is quarantined at the county with the reason), the case is
countersigned, and the county's read model and every hall agree at the end."""

import pytest

from tests.support.nodes import Cluster

pytestmark = [pytest.mark.multinode, pytest.mark.slow]

SETUP = """
from django.db import transaction
from permissions.roles import Role
from permissions.services import staff_create
from django.contrib.auth import get_user_model
from sites.joint.models import Part
def person(username, role, name):
    found = get_user_model().objects.filter(username=username).first()
    if found:
        return found
    from sites.registry.models import Site
    from django.conf import settings
    here = Site.objects.get(code=settings.HALL_SITE)
    return staff_create(username=username, name=name, site=here, roles=[role], password=None)
def refused(fn):
    from django.core.exceptions import ValidationError
    try:
        fn()
    except ValidationError as exc:
        return "; ".join(exc.messages)
    return "done"
"""

OPEN_CASE = (
    SETUP
    + """
from tests.joint.conftest import joint_item_create, joint_case
joint_item_create()
lead = person("lead", Role.CHIEF_REPRESENTATIVE, "牵头窗口")
case = joint_case(by=lead, assignments={
    "hbj": {"site": "t-maan", "window": "3"}, "zrzy": {"site": "t-huangtan"}})
result = case.number
"""
)


@pytest.fixture
def cluster(tmp_path):
    with Cluster(tmp_path) as c:
        yield c


def part_row(node, key):
    rows = node.sql(
        "SELECT s.code, p.state, p.opinion, p.generation FROM joint_part p "
        "JOIN registry_site s ON s.id = p.site_id WHERE p.key = ?",
        (key,),
    )
    return rows[0] if rows else None


def test_joint_case_across_halls(cluster):
    county = cluster.node("county", sample=True)
    maan = cluster.node("t-maan")
    huangtan = cluster.node("t-huangtan")
    for node in (county, maan, huangtan):
        node.start("consume")
        node.start("relay")
    # the township staff exist before parts arrive (grants follow the assignment)
    for node, name in ((maan, "马鞍镇赵六"), (huangtan, "黄滩镇孙八")):
        node.python(SETUP + f"person('clerk', Role.CLERK, {name!r})")

    # Given a joint case accepted at the county's lead window
    number = county.python(OPEN_CASE)
    hbj, wjj, zrzy = (f"{number}:{d}" for d in ("hbj", "wjj", "zrzy"))
    # Then its parts arrive at the townships by message
    cluster.wait(lambda: part_row(maan, hbj) == ("t-maan", "open", "", 1), what="hbj at 马鞍镇")
    cluster.wait(lambda: part_row(huangtan, zrzy), what="zrzy at 黄滩镇")
    # And concluding with parts open is refused, naming them
    said = county.python(
        SETUP + "from sites.cases.models import Case\nfrom sites.cases import services\n"
        f"c = Case.objects.get(number={number!r})\n"
        "result = refused(lambda: services.case_decide(case=c, "
        "by=person('lead', Role.CHIEF_REPRESENTATIVE, 'x'), outcome='approved'))"
    )
    assert "尚未出具意见" in said and "环保局" in said

    # When 马鞍镇 goes offline and answers there (the answer waits in its outbox)
    maan.stop("relay")
    maan.stop("consume")
    maan.python(
        SETUP + "from sites.joint.services import part_opinion_give\n"
        f"part_opinion_give(part=Part.objects.get(key={hbj!r}), by=person('clerk', Role.CLERK, "
        "'x'), opinion='agree')"
    )
    # And a township cannot reassign, nor may the part go to a department not in the item
    assert "牵头站点" in maan.python(
        SETUP + "from sites.joint.reassign import part_reassign\n"
        f"result = refused(lambda: part_reassign(part=Part.objects.get(key={hbj!r}), "
        "by=person('clerk', Role.CLERK, 'x'), site='t-huangtan', reason='越权'))"
    )
    # And the county supervisor moves the stalled part to 黄滩镇 meanwhile
    moved = county.python(
        SETUP + "from sites.joint.reassign import part_reassign\n"
        "sup = person('sup', Role.COUNTY_SUPERVISOR, '县监管员')\n"
        f"p = Part.objects.get(key={hbj!r})\n"
        "bad = refused(lambda: part_reassign(part=p, by=sup, department='mzj', reason='停滞'))\n"
        "part_reassign(part=p, by=sup, site='t-huangtan', window='5', reason='马鞍镇断网')\n"
        "result = bad"
    )
    assert "不是该事项的联办部门" in moved
    # Then 黄滩镇 gets it and answers: it disagrees
    cluster.wait(lambda: part_row(huangtan, hbj) == ("t-huangtan", "open", "", 2), what="move")
    huangtan.python(
        SETUP + "from sites.joint.services import part_opinion_give\n"
        f"part_opinion_give(part=Part.objects.get(key={hbj!r}), by=person('clerk', Role.CLERK, "
        "'x'), opinion='disagree', reasons='排污许可未办')"
    )
    # And a hall that never had a part cannot answer for it (forged opinion, signed by itself)
    huangtan.python(
        "from django.db import transaction\nfrom sync import api\nwith transaction.atomic():\n"
        "    api.outbox_put(type='joint.part.opinion', aggregate='', dest='county', payload="
        f"{{'key': {wjj!r}, 'generation': 1, 'opinion': 'agree', 'reasons': '', "
        "'materials': [], 'answered_at': '2026-11-23T10:00:00+08:00', 'answered_by': '冒充'})"
    )
    cluster.wait(lambda: part_row(county, hbj) == ("t-huangtan", "answered", "disagree", 2))
    # And the county's own part is answered at the county
    county.python(
        SETUP + "from sites.joint.services import part_opinion_give\n"
        f"part_opinion_give(part=Part.objects.get(key={wjj!r}), "
        "by=person('rev', Role.DEPARTMENT_REVIEWER, '卫健审核员'), opinion='agree')"
    )
    # And the silent part is deemed to consent by the clock tick after its deadline
    deemed = county.python(
        SETUP + "from datetime import timedelta\n"
        "from sites.joint.supervision import parts_deem_due\n"
        f"p = Part.objects.get(key={zrzy!r})\n"
        "result = parts_deem_due(today=p.deadline + timedelta(days=1))"
    )
    assert deemed == {"deemed": 1}
    cluster.wait(lambda: part_row(huangtan, zrzy)[1] == "deemed", what="deemed at 黄滩镇")

    # When 马鞍镇 comes back online
    maan.start("relay")
    maan.start("consume")
    # Then its late answer is quarantined at the county with the reason, not applied
    reasons = cluster.wait(
        lambda: [
            r for (r,) in county.sql("SELECT reason FROM sync_quarantinedmessage") if "t-maan" in r
        ],
        what="late answer quarantined",
    )
    assert "改派至 t-huangtan" in reasons[0] and "不予采用" in reasons[0]
    # And 马鞍镇 learns the part moved away (its answer stays visible there, rights gone)
    cluster.wait(lambda: part_row(maan, hbj) == ("t-maan", "moved", "agree", 1), what="moved")
    assert maan.sql(
        "SELECT count(*) FROM joint_partgroupobjectpermission g JOIN joint_part p "
        "ON p.id = g.content_object_id WHERE p.key = ?",
        (hbj,),
    ) == [(0,)]

    # When the lead countersigns: a disagreement needs its written resolution
    signed = county.python(
        SETUP + "from sites.cases.models import Case\nfrom sites.joint.services import "
        f"case_countersign\nc = Case.objects.get(number={number!r})\n"
        "lead = person('lead', Role.CHIEF_REPRESENTATIVE, 'x')\n"
        "bad = refused(lambda: case_countersign(case=c, by=lead, outcome='approved'))\n"
        "case_countersign(case=c, by=lead, outcome='approved', resolution='已补办排污许可')\n"
        "c.refresh_from_db()\nresult = [bad, c.status, c.seq]"
    )
    assert "环保局不同意" in signed[0] and signed[1] == "concluded"
    seq = signed[2]

    # Then the county's read model and each hall agree
    lead_parts = county.sql(
        "SELECT p.key, s.code, p.state, p.opinion, p.generation FROM joint_part p "
        "JOIN registry_site s ON s.id = p.site_id ORDER BY p.key"
    )
    assert lead_parts == [
        (hbj, "t-huangtan", "answered", "disagree", 2),
        (wjj, "county", "answered", "agree", 1),
        (zrzy, "t-huangtan", "deemed", "agree", 1),
    ]
    records = county.sql(
        "SELECT key, site, state, opinion, generation FROM joint_partrecord ORDER BY key"
    )
    assert records == lead_parts
    assert county.sql("SELECT deemed_points FROM joint_partrecord WHERE key = ?", (zrzy,)) == [
        (-5,)
    ]
    assert county.sql("SELECT points FROM joint_windowdeduction") == [(-5,)]
    assert [part_row(huangtan, k) for k in (hbj, zrzy)] == [
        ("t-huangtan", "answered", "disagree", 2),
        ("t-huangtan", "deemed", "agree", 1),
    ]
    assert county.sql(
        "SELECT status, last_seq FROM readmodel_caserecord WHERE number = ?", (number,)
    ) == [("concluded", seq)]
    timeline = [
        t
        for (t,) in county.sql(
            "SELECT type FROM readmodel_casefact WHERE number = ? ORDER BY seq", (number,)
        )
    ]
    assert timeline == [
        "submitted",
        "accepted",
        "parts_opened",
        "part_reassigned",
        "opinion_given",
        "opinion_given",
        "deemed_consent",
        "countersigned",
        "decided",
    ]
    quarantined = [r for (r,) in county.sql("SELECT reason FROM sync_quarantinedmessage")]
    assert len(quarantined) == 2
    assert any("t-huangtan 不是联办环节" in r for r in quarantined)
    for node in (maan, huangtan):
        assert node.status()["quarantined"] == 0
