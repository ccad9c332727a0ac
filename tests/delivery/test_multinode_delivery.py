"""Multi-node: a village's case decided at the township and handed back is delivered at the
village; the county hears each hall's delivery (its own chain) and ends with the village's
已领取, nothing quarantined."""

import pytest

from tests.cases.test_multinode_cases import FILE_ACCEPT_FORWARD, SETUP, halls_up, owner
from tests.support.nodes import Cluster

pytestmark = [pytest.mark.multinode, pytest.mark.slow]


@pytest.fixture
def cluster(tmp_path):
    with Cluster(tmp_path) as c:
        yield c


def record(county, number):
    return county.sql(
        "SELECT site_code, status, method FROM delivery_deliveryrecord WHERE number = ?",
        (number,),
    )


def test_a_result_handed_back_is_collected_at_the_village_and_the_county_hears_it(cluster):
    county, township, village = halls_up(cluster)
    number = village.python(FILE_ACCEPT_FORWARD)
    cluster.wait(lambda: owner(township, number) == "t-maan", timeout=60, what="forward")
    township.python(
        SETUP + f"c = Case.objects.get(number={number!r})\n"
        "services.case_decide(case=c, by=user, outcome='approved')\n"
        "transfer.case_hand_back(case=c, by=user, note='请通知申请人领取')\n"
    )
    cluster.wait(lambda: owner(village, number) == "v-shiqiao", timeout=60, what="hand back")
    cluster.wait(
        lambda: record(county, number) == [("v-shiqiao", "pending", "")],
        timeout=60,
        what="the village's delivery at the county",
    )
    village.python(
        SETUP + "from sites.delivery.services import delivery_collect\n"
        f"c = Case.objects.get(number={number!r})\n"
        "delivery_collect(case=c, pickup_code=c.delivery.pickup_code, collector_name='',"
        " collector_id_number='11010519491231002X', by=user)\n"
    )
    cluster.wait(
        lambda: record(county, number) == [("v-shiqiao", "collected", "window")],
        timeout=60,
        what="已领取 at the county",
    )
    for node in (county, township, village):
        assert node.status()["quarantined"] == 0, node.code
