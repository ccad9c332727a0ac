"""The consumer never stops (issue 25, item 6): batches of generated envelopes, validly
signed by the hall they name, with any JSON value in any field, each end applied or
quarantined with a reason, within a bound, and a canary behind them applies.

In this process on the test database (SQLite; PostgreSQL with --real), through the same
inbox the consumer calls with each batch it takes from the broker."""

import time
from datetime import UTC, datetime

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sync.inbox import inbox_apply
from sync.models import QuarantinedMessage
from tests.support import appliers  # registers test.case.event and test.note
from tests.support.inject import signed
from tests.support.poison import good_event

pytestmark = pytest.mark.django_db

HALLS = ["county", "t-maan", "t-huangtan", "v-shiqiao", "v-liujia"]
BOUND_S = 5.0  # a whole batch, whatever it holds

JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=2**31 - 3, max_value=2**31 + 3)
    | st.integers(min_value=10**4290, max_value=10**4299)  # json still parses 4,300 digits
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=90),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)


def _or_any(plausible):
    """Mostly a value of the field's kind (so that messages get past parsing to the chains
    and the appliers), else any JSON value."""
    return st.one_of(plausible, plausible, plausible, JSON)


# seq and prev: small, at the edge of the columns, or far past them
SEQ = (
    st.integers(min_value=0, max_value=4)
    | st.integers(min_value=2**31 - 2, max_value=2**31 + 5)
    | st.just(10**4299)
)


def _aggregate():
    own = st.builds(lambda h, n: f"{h}-20261207-{n:04d}", st.sampled_from(HALLS), st.integers(0, 3))
    return st.sampled_from(["", "K-1"]) | own | st.text(max_size=90)


ENVELOPE = st.fixed_dictionaries(
    {
        "id": _or_any(st.uuids().map(str)),
        "type": _or_any(
            st.sampled_from(
                [appliers.EVENT, appliers.NOTE, "case.event", "case.transfer", "joint.part.assign"]
            )
            | st.text(max_size=70)
        ),
        "schema": _or_any(st.sampled_from([1, 2])),
        "origin": st.sampled_from(HALLS),  # signed by that hall's key
        "dest": _or_any(st.sampled_from(HALLS)),
        "aggregate": _or_any(_aggregate()),
        "seq": _or_any(SEQ),
        "prev": _or_any(SEQ),
        "at": _or_any(st.just(datetime.now(UTC).isoformat())),
        "payload": _or_any(st.dictionaries(st.sampled_from(["n", "text", "number", "at"]), JSON)),
        "meta": _or_any(
            st.just({})
            | st.fixed_dictionaries(
                {"transfer": st.fixed_dictionaries({"owner": JSON, "seen": JSON})}
            )
        ),
    }
)


@pytest.fixture(autouse=True)
def _tables():
    appliers.ensure_tables()


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(ENVELOPE, min_size=1, max_size=5))
def test_every_generated_message_is_applied_or_quarantined_and_the_canary_applies(envelopes):
    bodies = [signed(e).encode() for e in envelopes]
    canary, canary_agg = good_event(0)

    started = time.monotonic()
    result = inbox_apply(bodies=[*bodies, canary])
    took = time.monotonic() - started

    assert took < BOUND_S, took
    # held: a chain message whose predecessor has not come (it waits, by design)
    outcomes = result.applied + result.duplicate + result.held + len(result.quarantined)
    assert outcomes == len(bodies) + 1, result
    assert all(result.quarantined), result  # every refusal says why
    # every refused body has its quarantine row (identical bodies share one)
    rows = QuarantinedMessage.objects.filter(digest__in=result.refused)
    assert rows.count() == len(result.refused) and all(r.reason for r in rows)
    assert canary_agg in appliers_applied(), result


def appliers_applied() -> set[str]:
    with connection.cursor() as cur:
        cur.execute("SELECT aggregate FROM test_applied")
        return {a for (a,) in cur.fetchall()}
