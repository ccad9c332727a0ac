"""Multi-node: a case filed at a village goes up to the township, is decided there and
handed back; ownership is enforced at each hall and the county's read model matches them."""

import pytest

from tests.support.nodes import Cluster

pytestmark = [pytest.mark.multinode, pytest.mark.slow]

SETUP = """
from django.contrib.auth import get_user_model
from sites.cases import services, transfer
from sites.cases.models import Case
user, _ = get_user_model().objects.get_or_create(username="hall-user")
"""


@pytest.fixture
def cluster(tmp_path):
    with Cluster(tmp_path) as c:
        yield c


FILE_ACCEPT_FORWARD = (
    SETUP + "c = services.case_submit(by=user, item_code='mzj-002', applicant_name='李四', "
    "applicant_id_number='11010519491231002X', applicant_phone='13812345678', "
    "materials=['申请人身份证', '临时救助申请书', '困难情况证明材料'])\n"
    "services.case_accept(case=c, by=user)\n"
    "transfer.case_forward(case=c, by=user, note='代收代办')\n"
    "result = c.number"
)


def halls_up(cluster):
    """The county, t-maan and v-shiqiao running relay and consumer, the catalogue received."""
    county = cluster.node("county", sample=True)
    township = cluster.node("t-maan")
    village = cluster.node("v-shiqiao")
    for node in (county, township, village):
        node.start("consume")
        node.start("relay")
    county.python(
        "from county.catalogue.release import catalogue_release_cut\ncatalogue_release_cut()"
    )
    for node in (township, village):
        cluster.wait(
            lambda n=node: n.sql("SELECT count(*) FROM catalogue_delegation")[0][0] > 0,
            timeout=90,
            what=f"catalogue at {node.code}",
        )
    return county, township, village


def rows(node, number):
    return node.sql("SELECT status, seq FROM cases_case WHERE number = ?", (number,))


def owner(node, number):
    found = node.sql(
        "SELECT s.code FROM cases_case c JOIN registry_site s ON s.id = c.owner_site_id "
        "WHERE c.number = ?",
        (number,),
    )
    return found[0][0] if found else None


def test_forward_decide_hand_back_and_the_county_read_model(cluster):
    county, township, village = halls_up(cluster)

    # Given a case filed and accepted at the village, when it is forwarded up
    number = village.python(FILE_ACCEPT_FORWARD)
    # Then the township owns it, with the whole timeline
    cluster.wait(lambda: owner(township, number) == "t-maan", timeout=60, what="forward")
    assert rows(township, number) == [("accepted", 3)]
    # And the village may no longer act on it
    refused = village.python(
        SETUP + "from django.core.exceptions import ValidationError\n"
        f"c = Case.objects.get(number={number!r})\n"
        "try:\n    services.case_decide(case=c, by=user, outcome='approved')\n    result = 'done'\n"
        "except ValidationError as e:\n    result = e.message_dict['case'][0]\n"
    )
    assert "不由本站点办理" in refused

    # When the township decides and hands it back
    township.python(
        SETUP + f"c = Case.objects.get(number={number!r})\n"
        "services.case_decide(case=c, by=user, outcome='approved')\n"
        "transfer.case_hand_back(case=c, by=user, note='请通知申请人领取')\n"
    )
    # Then the village owns it again, concluded, the sequence continued
    cluster.wait(lambda: owner(village, number) == "v-shiqiao", timeout=60, what="hand back")
    assert rows(village, number) == [("concluded", 5)]
    # And the county read model matches the halls
    cluster.wait(
        lambda: (
            county.sql("SELECT last_seq FROM readmodel_caserecord WHERE number = ?", (number,))
            == [(5,)]
        ),
        timeout=60,
        what="read model",
    )
    record = county.sql(
        "SELECT status, owner_site, origin_site, decided_site FROM readmodel_caserecord "
        "WHERE number = ?",
        (number,),
    )
    assert record == [("concluded", "v-shiqiao", "v-shiqiao", "t-maan")]
    timeline = county.sql(
        "SELECT seq, type, site_code FROM readmodel_casefact WHERE number = ? ORDER BY seq",
        (number,),
    )
    assert timeline == [
        (1, "submitted", "v-shiqiao"),
        (2, "accepted", "v-shiqiao"),
        (3, "forwarded", "v-shiqiao"),
        (4, "decided", "t-maan"),
        (5, "handed_back", "t-maan"),
    ]
    assert county.status()["quarantined"] == 0


def test_village_to_township_to_county_and_back_down(cluster):
    county, township, village = halls_up(cluster)
    # Given a case filed at the village and forwarded to the township
    number = village.python(FILE_ACCEPT_FORWARD)
    cluster.wait(lambda: owner(township, number) == "t-maan", timeout=60, what="to township")
    # When the township forwards it up to the county (上报)
    township.python(
        SETUP + f"c = Case.objects.get(number={number!r})\n"
        "transfer.case_forward(case=c, by=user, note='需县级审批')\n"
    )
    cluster.wait(lambda: owner(county, number) == "county", timeout=60, what="to county")
    # Then the township may no longer act on it
    refused = township.python(
        SETUP + "from django.core.exceptions import ValidationError\n"
        f"c = Case.objects.get(number={number!r})\n"
        "try:\n    services.case_decide(case=c, by=user, outcome='approved')\n    result = 'done'\n"
        "except ValidationError as e:\n    result = e.message_dict['case'][0]\n"
    )
    assert "不由本站点办理" in refused
    # When the county decides and hands it back down, twice
    county.python(
        SETUP + f"c = Case.objects.get(number={number!r})\n"
        "services.case_decide(case=c, by=user, outcome='approved')\n"
        "transfer.case_hand_back(case=c, by=user, note='已审批')\n"
    )
    cluster.wait(lambda: owner(township, number) == "t-maan", timeout=60, what="back to township")
    township.python(
        SETUP + f"c = Case.objects.get(number={number!r})\n"
        "transfer.case_hand_back(case=c, by=user, note='请通知申请人')\n"
    )
    cluster.wait(lambda: owner(village, number) == "v-shiqiao", timeout=60, what="to village")
    # Then every hall and the county read model agree, and nothing was quarantined
    assert rows(village, number) == [("concluded", 7)]
    cluster.wait(
        lambda: (
            county.sql(
                "SELECT last_seq, owner_site, decided_site FROM readmodel_caserecord "
                "WHERE number = ?",
                (number,),
            )
            == [(7, "v-shiqiao", "county")]
        ),
        timeout=60,
        what="read model",
    )
    types = county.sql(
        "SELECT type FROM readmodel_casefact WHERE number = ? ORDER BY seq", (number,)
    )
    assert [t for (t,) in types] == [
        "submitted",
        "accepted",
        "forwarded",
        "forwarded",
        "decided",
        "handed_back",
        "handed_back",
    ]
    for node in (county, township, village):
        assert node.status()["quarantined"] == 0, node.code
