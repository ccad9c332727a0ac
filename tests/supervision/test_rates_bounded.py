"""No rate exceeds 100%: a forwarded case counts once (issue 22, seed 001 第三十条 电子监察).

Received where it was filed, accepted and concluded where it is decided; 办结率 is the share
of the cases accepted that are concluded. Every figure of the dashboard, the Excel export,
REST and GraphQL comes from `derive` over summed rows, so the property is checked there,
over random histories grouped every way the reports group them.
"""

from collections import defaultdict
from datetime import datetime, timedelta
from types import SimpleNamespace

from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from county.supervision.models import COUNTERS
from county.supervision.rollup import case_share
from county.supervision.selectors import derive
from county.workdays.clock import WorkCalendar

CALENDAR = WorkCalendar()
START = timezone.make_aware(datetime(2026, 9, 1, 10))
RATES = [
    "completion_rate",
    "same_day_rate",
    "on_time_rate",
    "promised_speedup_rate",
    "actual_speedup_rate",
]


def record(number, *, filed_at, forwarded, accepted, concluded, overdue, legal, promised, used):
    submitted = START + timedelta(days=filed_at)
    accepted_at = submitted + timedelta(days=accepted) if accepted is not None else None
    concluded_at = (
        accepted_at + timedelta(days=concluded) if accepted_at and concluded is not None else None
    )
    township = "t-maan"
    origin = "v-shiqiao" if forwarded else township
    return SimpleNamespace(
        number=str(number),
        item_code="mzj-002",
        submitted_at=submitted,
        accepted_at=accepted_at,
        concluded_at=concluded_at,
        status="concluded" if concluded_at else ("accepted" if accepted_at else "submitted"),
        origin_site=origin,
        owner_site=township,
        decided_site=township if concluded_at else "",
        same_day=bool(concluded_at and concluded == 0),
        was_overdue=overdue,
        deadline=(accepted_at or submitted).date() + timedelta(days=promised),
        days_used=used,
        legal_limit_days=legal,
        promised_limit_days=min(promised, legal),
    )


histories = st.lists(
    st.builds(
        record,
        st.integers(0, 10**6),
        filed_at=st.integers(0, 90),
        forwarded=st.booleans(),
        accepted=st.one_of(st.none(), st.integers(0, 20)),
        concluded=st.one_of(st.none(), st.integers(0, 60)),
        overdue=st.booleans(),
        legal=st.integers(1, 30),
        promised=st.integers(0, 30),
        used=st.integers(0, 30),
    ),
    max_size=40,
)


def groupings(shares):
    """Every way the reports sum rows: per hall and month, hall, month, all."""
    groups = defaultdict(lambda: defaultdict(float))
    for share in shares:
        for (day, site, _dept, _item), counts in share.items():
            month = day[:7]
            for key in ((site, month), (site,), (month,), ()):
                for c, v in counts.items():
                    groups[key][c] += v
    return groups


@settings(max_examples=300, deadline=None)
@given(histories)
def test_no_rate_exceeds_one_hundred_percent(records):
    shares = [case_share(r, calendar=CALENDAR, department="mzj") for r in records]
    for key, sums in groupings(shares).items():
        figures = derive({c: sums.get(c, 0) for c in COUNTERS})
        for rate in RATES:
            value = figures[rate]
            assert value is None or value <= 1, (key, rate, figures)


def test_a_forwarded_case_counts_once():
    """马鞍镇 concludes 2 cases filed at 石桥村 and 1 of its own, accepting 3 and concluding
    them: 3 / 3 = 100% (before: accepted at the village, 3 concluded over 1 accepted here
    = 300%); 石桥村 received 2, accepted none (it does not decide)."""
    records = [
        record(
            1,
            filed_at=0,
            forwarded=True,
            accepted=1,
            concluded=2,
            overdue=False,
            legal=15,
            promised=7,
            used=2,
        ),
        record(
            2,
            filed_at=0,
            forwarded=True,
            accepted=1,
            concluded=2,
            overdue=False,
            legal=15,
            promised=7,
            used=2,
        ),
        record(
            3,
            filed_at=0,
            forwarded=False,
            accepted=0,
            concluded=2,
            overdue=False,
            legal=15,
            promised=7,
            used=2,
        ),
    ]
    groups = groupings([case_share(r, calendar=CALENDAR, department="mzj") for r in records])
    township = derive({c: groups[("t-maan",)].get(c, 0) for c in COUNTERS})
    village = derive({c: groups[("v-shiqiao",)].get(c, 0) for c in COUNTERS})
    assert (township["received"], township["accepted"], township["concluded"]) == (1, 3, 3)
    assert township["completion_rate"] == 1.0
    assert (village["received"], village["accepted"], village["completion_rate"]) == (2, 0, None)


SITES = ["county", "t-maan", "v-shiqiao"]
ITEM_DEPTS = {"mzj-001": "mzj", "mzj-002": "mzj", "rsj-001": "rsj", "wjj-002": "wjj"}
hall_items = st.lists(
    st.tuples(st.sampled_from(SITES), st.sampled_from(sorted(ITEM_DEPTS)), st.booleans()),
    max_size=30,
)
hall_windows = st.sets(st.tuples(st.sampled_from(SITES), st.sampled_from(["mzj", "rsj", "wjj"])))


@settings(max_examples=300, deadline=None)
@given(hall_items, hall_windows)
def test_no_four_rate_exceeds_one_hundred_percent(items, windows):
    """The 四率 (seed 000) over random catalogues and windows, grouped as the reports group
    them (all, per hall, per department, per item): each part is a subset of its whole."""
    from county.supervision.four_rates import rates_of

    pairs = [
        {
            "site": site,
            "item": item,
            "department": ITEM_DEPTS[item],
            "decides": decides,
            "in_hall": (site, ITEM_DEPTS[item]) in windows,
        }
        for site, item, decides in set(items)
    ]
    groups = [pairs]
    for field in ("site", "department", "item"):
        for key in {p[field] for p in pairs}:
            groups.append([p for p in pairs if p[field] == key])
    for group in groups:
        rates = rates_of(group)
        for rate in ("in_hall_rate", "integration_rate", "authorised_rate"):
            assert rates[rate] is None or 0 <= rates[rate] <= 1, (rate, group)
