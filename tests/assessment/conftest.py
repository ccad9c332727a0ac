import pytest


@pytest.fixture
def windows(db):
    """Ten windows of the county hall (10% of ten is one 优秀 place)."""
    from county.assessment.services import window_ref

    return [
        window_ref(site_code="county", number=str(i), name=f"窗口{i}", department_code=f"d{i}")
        for i in range(1, 11)
    ]


@pytest.fixture
def record(windows):
    """record(window_no, rule, day, times=1, staff=None): the rule's seed points, `times`."""
    from datetime import date

    from county.assessment.services import points_record

    counter = iter(range(1, 10_000))

    def _record(no: int, rule: str, day: date = date(2026, 11, 10), times: int = 1, staff=None):
        return [
            points_record(
                window=windows[no - 1],
                staff=staff,
                rule=rule,
                source_type="county_entry",
                source_id=f"t{next(counter)}",
                occurred_on=day,
            )
            for _ in range(times)
        ]

    return _record
