import pytest

from permissions.roles import Role
from tests.cases.factories import case_make
from tests.permissions.factories import staff


@pytest.fixture
def clerk(township):
    return staff(township, Role.CLERK)


@pytest.fixture
def concluded(clerk):
    """A case concluded at 马鞍镇 (its result 待领取 there)."""
    return case_make(by=clerk, state="concluded")


def query_code_issue(*, case) -> str:
    """A fresh query code for `case` (as printed on its acceptance notice)."""
    from sites.cases.models import Case
    from sites.cases.querycode import query_code_hash, query_code_new

    code = query_code_new()
    Case.objects.filter(pk=case.pk).update(
        query_code_hash=query_code_hash(number=case.number, code=code)
    )
    return code


@pytest.fixture
def township_node(township, settings):
    """马鞍镇 as its own node: a township tier whose county is not reachable (the citizen
    query answers from the hall's own data)."""
    settings.HALL_TIER = "township"
    settings.HALL_COUNTY_URL = "http://127.0.0.1:9"  # nothing listens there
    return township


def concluded_with_code(*, by):
    """A case accepted (its query code kept, as printed) and concluded here: (case, code)."""
    from sites.cases import services
    from tests.cases.factories import ALL_MATERIALS, ID_NUMBER, PHONE, signer

    case = services.case_submit(
        by=by,
        item_code="mzj-002",
        applicant_name="李四",
        applicant_id_number=ID_NUMBER,
        applicant_phone=PHONE,
        materials=ALL_MATERIALS,
    )
    code = services.case_accept(case=case, by=by)
    case.refresh_from_db()
    case = services.case_decide(case=case, by=signer(case, by), outcome="approved")
    return case, code
