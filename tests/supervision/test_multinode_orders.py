"""Multi-node: a 督办单 issued at the county reaches the township holding the case (its own
database), the window answers there, and the answer comes back to the county."""

import pytest

from tests.cases.test_multinode_cases import FILE_ACCEPT_FORWARD, halls_up, owner
from tests.support.nodes import Cluster

pytestmark = [pytest.mark.multinode, pytest.mark.slow]


@pytest.fixture
def cluster(tmp_path):
    with Cluster(tmp_path) as c:
        yield c


ISSUE = """
from django.contrib.auth import get_user_model
from county.supervision.orders import order_issue
user, _ = get_user_model().objects.get_or_create(username="county-supervisor-test")
result = order_issue(case_number={number!r}, by=user, reason="申请人符合条件，逾期未作决定").code
"""

ANSWER = """
from django.contrib.auth import get_user_model
from county.supervision.models import SupervisionOrder
from county.supervision.orders import order_answer
user, _ = get_user_model().objects.get_or_create(username="t-maan-window")
order = SupervisionOrder.objects.get(code={code!r})
result = order_answer(order=order, by=user, answer="已于今日作出准予决定").state
"""


def copy_at(node, code):
    rows = node.sql(
        "SELECT case_number, is_copy, state FROM supervision_supervisionorder WHERE code = ?",
        (code,),
    )
    return [(n, bool(c), s) for n, c, s in rows]  # SQLite gives 1, PostgreSQL True


def test_order_issued_at_the_county_answered_at_the_township_and_back(cluster):
    county, township, village = halls_up(cluster)
    # Given a case held by the township, known to the county's read model
    number = village.python(FILE_ACCEPT_FORWARD)
    cluster.wait(lambda: owner(township, number) == "t-maan", timeout=60, what="forward")
    cluster.wait(
        lambda: (
            county.sql("SELECT owner_site FROM readmodel_caserecord WHERE number = ?", (number,))
            == [("t-maan",)]
        ),
        timeout=60,
        what="read model",
    )
    # When the county issues a 督办单
    code = county.python(ISSUE.format(number=number))
    # Then the township holds a copy of it
    cluster.wait(
        lambda: copy_at(township, code) == [(number, True, "open")],
        timeout=60,
        what="order at the township",
    )
    # When the window answers there
    assert township.python(ANSWER.format(code=code)) == "answered"
    # Then the answer reaches the county
    cluster.wait(
        lambda: (
            county.sql(
                "SELECT state, answer FROM supervision_supervisionorder WHERE code = ?", (code,)
            )
            == [("answered", "已于今日作出准予决定")]
        ),
        timeout=60,
        what="answer at the county",
    )
    assert county.status()["quarantined"] == 0 and township.status()["quarantined"] == 0
