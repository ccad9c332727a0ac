"""Read-model rows for GraphQL tests: cases as the county knows them after fan-in."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model

from county.readmodel.models import CaseFact, CaseRecord
from permissions.services import role_grant

TZ = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 11, 2, 9, 0, tzinfo=TZ)


def make_records(sites: list[str], count: int, *, start=START, status="accepted") -> list[str]:
    """`count` cases, filed at villages, forwarded to their township; newest last."""
    numbers, facts = [], []
    records = []
    for n in range(count):
        origin = sites[n % len(sites)]
        owner = {"v-shiqiao": "t-maan", "v-xiaohe": "t-huangtan"}.get(origin, origin)
        at = start + timedelta(minutes=n)
        number = f"{origin}-{at:%Y%m%d}-{n:04d}"
        numbers.append(number)
        records.append(
            CaseRecord(
                number=number,
                last_seq=3,
                status=status,
                owner_site=owner,
                origin_site=origin,
                item_code="mzj-001",
                item_name="最低生活保障申请",
                item_version=1,
                handling_type="promised",
                legal_limit_days=30,
                promised_limit_days=20,
                submitted_at=at,
                accepted_at=at,
                deadline=date(2026, 12, 1),
                clock_state="on_time" if n % 3 else "warning",
                days_used=2,
            )
        )
        for seq, (kind, site) in enumerate(
            [("submitted", origin), ("accepted", origin), ("forwarded", owner)], start=1
        ):
            facts.append(
                CaseFact(
                    number=number,
                    seq=seq,
                    type=kind,
                    site_code=site,
                    at=at + timedelta(seconds=seq),
                    actor="窗口人员",
                    payload={},
                )
            )
    CaseRecord.objects.bulk_create(records)
    CaseFact.objects.bulk_create(facts)
    return numbers


def staff(username: str, site, role: str):
    user = get_user_model().objects.create_user(username, password="long-enough-pass-1")
    role_grant(user=user, site=site, role=role)
    return user


@pytest.fixture
def supervisor(tree):
    return staff("supervisor", tree["county"], "county_supervisor")


@pytest.fixture
def maan_clerk(tree):
    return staff("maan-clerk", tree["t-maan"], "clerk")
