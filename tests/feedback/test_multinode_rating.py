"""Multi-node: a rating given at a village station reaches the county once, through the
village's outbox, the broker and the county's inbox; rated again at the township, the
county keeps the first."""

import pytest

from tests.support.nodes import Cluster

pytestmark = [pytest.mark.multinode, pytest.mark.slow]

FACTS = (
    "facts = dict(case_number='v-shiqiao-20261102-0007', item_name='临时救助', "
    "window_site='v-shiqiao', window_site_name='石桥村便民服务站', window_number='1', "
    "window_name='综合窗口', department_code='mzj', department_name='民政局', "
    "staff_username='v-shiqiao-clerk', staff_name='刘七')\n"
)
GIVE = (
    "from sites.feedback.services import rating_give\n" + FACTS + "rating_give(facts=facts, "
    "level='{level}', channel='window', comment='等了很久')\n"
    "result = 'ok'"
)


@pytest.fixture
def cluster(tmp_path):
    with Cluster(tmp_path) as c:
        yield c


def test_a_village_rating_reaches_the_county_once(cluster):
    county = cluster.node("county")
    township = cluster.node("t-maan")
    village = cluster.node("v-shiqiao")
    county.start("consume")
    for node in (township, village):
        node.start("relay")
    assert village.python(GIVE.format(level="very_dissatisfied")) == "ok"
    # The village's rating is the first at the county before the township rates again (a
    # node's python() no longer takes seconds: without this wait the two race).
    cluster.wait(
        lambda: county.sql("SELECT count(*) FROM sync_inboxmessage")[0][0] >= 1,
        timeout=90,
        what="the village's rating at the county inbox",
    )
    assert township.python(GIVE.format(level="very_satisfied")) == "ok"
    cluster.wait(
        lambda: county.sql("SELECT count(*) FROM sync_inboxmessage")[0][0] >= 2,
        timeout=90,
        what="both ratings at the county inbox",
    )
    assert county.sql("SELECT level, given_site FROM feedback_rating") == [
        ("very_dissatisfied", "v-shiqiao")
    ]
    # the follow-up is open; no point moves before 查实 (seed 000 第十三条(六))
    assert county.sql("SELECT follow_up FROM feedback_rating") == [("open",)]
    assert county.sql("SELECT count(*) FROM assessment_pointentry") == [(0,)]
    assert ("v-shiqiao", "1") in county.sql(
        "SELECT site_code, number FROM assessment_assessedwindow"
    )
    assert village.sql("SELECT level FROM feedback_rating") == [("very_dissatisfied",)]
