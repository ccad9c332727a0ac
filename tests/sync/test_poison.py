"""Poison bodies at the inbox (in this process, on the test database: the county): every
body either applies or is quarantined with its reason, and a good message after it applies.

The same bodies go through real brokers and separate nodes in test_multinode_poison.py.
"""

import json

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sync.inbox import inbox_apply
from sync.models import QuarantinedMessage
from tests.support import appliers  # registers test.case.event and test.note
from tests.support.inject import envelope_dict, signed
from tests.support.poison import POISON, case_event, good_event

pytestmark = pytest.mark.django_db

PG = connection.vendor == "postgresql"


@pytest.fixture(autouse=True)
def _tables():
    appliers.ensure_tables()


def _applied_aggregates() -> set[str]:
    with connection.cursor() as cur:
        cur.execute("SELECT aggregate FROM test_applied")
        return {a for (a,) in cur.fetchall()}


def _apply_then_good(body: bytes, n: int):
    good, agg = good_event(n)
    result = inbox_apply(bodies=[body, good])
    assert agg in _applied_aggregates(), result  # the good message behind it was applied
    return result


@pytest.mark.parametrize("name", sorted(POISON))
def test_every_poison_body_is_quarantined_with_its_reason(name):
    body, reason = POISON[name]()

    result = _apply_then_good(body, 1)

    assert result.applied == 1
    assert len(result.quarantined) == 1 and result.quarantined[0].startswith(reason), result
    row = QuarantinedMessage.objects.get()
    assert row.reason.startswith(reason) and "\x00" not in row.reason + row.origin + row.msg_id
    assert bytes(row.body) == body[:64_000]  # kept byte for byte, NUL included


def test_a_deeply_nested_body_does_not_reach_the_recursion_limit():
    # ~40 KB of brackets: json's C parser would raise RecursionError
    body = b"[" * 20_000 + b"]" * 20_000
    result = _apply_then_good(body, 2)
    assert result.quarantined[0].startswith("malformed: nested deeper"), result


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (None, "database refused: IntegrityError"),  # NOT NULL on every database
        # longer than varchar(8): only PostgreSQL enforces it
        ("x" * 9, "database refused: DataError" if PG else None),
        ("a\x00b", "malformed: NUL"),  # never reaches PostgreSQL text
        ({"a": 1}, "database refused:"),  # no adapter for a dict: refused before sending
        ("fine", None),
    ],
)
def test_what_the_database_refuses_is_quarantined_with_its_error(text, reason):
    note = signed(
        envelope_dict(origin="v-shiqiao", dest="county", type=appliers.NOTE, payload={"t": 1})
        | {"payload": {"text": text}}
    ).encode()

    result = _apply_then_good(note, 3)

    assert result.applied == (1 if reason else 2), result
    if reason:
        assert result.quarantined[0].startswith(reason), result


def test_a_refused_message_mid_batch_leaves_the_others_applied():
    bad = signed(
        envelope_dict(origin="v-shiqiao", dest="county", type=appliers.NOTE, payload={"t": 1})
        | {"payload": {"text": None}}
    ).encode()
    goods = [good_event(10 + i) for i in range(4)]
    result = inbox_apply(bodies=[goods[0][0], goods[1][0], bad, goods[2][0], goods[3][0]])
    assert result.applied == 4 and len(result.quarantined) == 1, result
    assert {agg for _, agg in goods} <= _applied_aggregates()


def test_a_well_formed_case_event_is_not_refused_by_its_schema():
    from sites.cases.messages import CASE_EVENT as EVENT
    from sync.schema import payload_check

    payload = json.loads(case_event())["payload"]
    payload_check(EVENT, payload)  # raises Reject if the schema refused a real event


# -- generated bodies: whatever comes, one outcome each and the queue moves on ------------

GENERATED = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=80),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=25,
)
TYPES = [
    appliers.EVENT,
    appliers.NOTE,
    "case.event",
    "case.transfer",
    "joint.part.assign",
    "joint.part.opinion",
    "no.such.type",
]


def _one_outcome_each(body: bytes) -> None:
    result = _apply_then_good(body, 7)
    outcomes = result.applied + result.duplicate + result.held + len(result.quarantined)
    assert outcomes == 2, result
    assert all(result.quarantined), result  # every refusal says why


@GENERATED
@given(st.binary(max_size=3000))
def test_random_bytes(body):
    _one_outcome_each(body)


@GENERATED
@given(JSON)
def test_random_json(value):
    _one_outcome_each(json.dumps(value).encode())


@GENERATED
@given(
    type=st.sampled_from(TYPES),
    dest=st.sampled_from(["county", "t-huangtan", "v-shiqiao"]),
    aggregate=st.sampled_from(["", "V-2026-0001", "V" * 80]),
    seq=st.integers(min_value=1, max_value=3),
    payload=st.dictionaries(st.sampled_from(["n", "text", "number", "at", "key"]), JSON)
    | st.dictionaries(st.text(max_size=10), JSON, max_size=6),
)
def test_random_validly_signed_payloads(type, dest, aggregate, seq, payload):
    data = envelope_dict(
        origin="v-shiqiao", dest=dest, type=type, aggregate=aggregate, seq=seq if aggregate else 0
    )
    _one_outcome_each(signed(data | {"payload": payload}).encode())


@pytest.mark.parametrize(
    ("changes", "where"),
    [
        ({"at": "2026-13-01T00:00:00+00:00"}, "payload.at"),
        ({"at": "2026-12-01T00:00:00"}, "payload.at"),  # no zone: which day would it be?
        ({"seq": 2**31}, "payload.seq"),
        ({"seq": True}, "payload.seq"),
        ({"site": "v" * 41}, "payload.site"),
        ({"case": {}}, "payload.case"),
    ],
)
def test_the_case_event_schema_names_the_field_that_does_not_fit(changes, where):
    from sites.cases.messages import CASE_EVENT as EVENT
    from sync.envelope import Reject
    from sync.schema import payload_check

    payload = json.loads(case_event())["payload"] | changes
    with pytest.raises(Reject) as refused:
        payload_check(EVENT, payload)
    assert refused.value.reason.startswith(f"invalid payload: {where}:"), refused.value.reason
