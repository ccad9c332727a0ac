import pytest

from tests.cases.factories import ALL_MATERIALS, ID_NUMBER, PHONE, clerk
from tests.support.snapshot import layer

APPLICANT = "李四"


@pytest.fixture
def halls(tree):
    from county.catalogue.sample import catalogue_load_sample
    from county.workdays.services import calendar_seed_from_library

    def load():
        calendar_seed_from_library()
        catalogue_load_sample()

    layer("citizen-halls", load)  # built once, re-inserted after (ADR 0019)
    return tree


def accept_case(site, *, item="mzj-004", materials=None) -> tuple[str, str]:
    """A case accepted at this node: (number, query code)."""
    from sites.cases import services

    by = clerk(site, name="王窗口")
    case = services.case_submit(
        by=by,
        item_code=item,
        applicant_name=APPLICANT,
        applicant_id_number=ID_NUMBER,
        applicant_phone=PHONE,
        materials=materials or ["双方身份证", "双方户口簿", "近期半身免冠合影照片"],
    )
    code = services.case_accept(case=case, by=by)
    return case.number, code


@pytest.fixture
def accepted(halls):
    return accept_case(halls["county"])


__all__ = ["ALL_MATERIALS", "APPLICANT", "ID_NUMBER", "PHONE"]
