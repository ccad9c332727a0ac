"""Issue 25 at the inbox (in this process, on the test database: SQLite, or PostgreSQL with
HALL_TEST_DATABASE_URL): no hall takes another's case numbers, no value of one message
reaches the database unchecked, and no message costs another its delivery."""

import time

import pytest
from django.core.exceptions import FieldDoesNotExist
from django.db import connection

from county.readmodel.models import CaseRecord
from sites.cases.messages import CASE_EVENT
from sites.feedback.models import Rating
from sync import inbox
from sync.inbox import SEQ_MAX, inbox_apply
from sync.models import AggregateState, HeldMessage, InboxMessage, QuarantinedMessage
from sync.schema import int_range
from tests.support import appliers  # registers test.case.event and test.note
from tests.support.inject import envelope_dict, signed
from tests.support.poison import case_payload, good_event

pytestmark = pytest.mark.django_db

TOWNSHIP, VILLAGE = "t-maan", "v-shiqiao"
NUMBER = "t-maan-20261207-0001"  # the township's next case number


@pytest.fixture(autouse=True)
def _tables():
    appliers.ensure_tables()


def _applied(aggregate: str) -> list[tuple]:
    with connection.cursor() as cur:
        cur.execute("SELECT origin, seq FROM test_applied WHERE aggregate = %s", [aggregate])
        return cur.fetchall()


def _event(origin: str, aggregate: str, *, seq: int = 1, prev: int = 0, n=1, dest="county"):
    data = envelope_dict(
        origin=origin, dest=dest, type=appliers.EVENT, aggregate=aggregate, seq=seq, prev=prev
    )
    return signed(data | {"payload": {"n": n}}).encode()


def _reasons() -> list[str]:
    return sorted(QuarantinedMessage.objects.values_list("reason", flat=True))


# -- 1. case numbers belong to the hall that issued them ------------------------------------


def test_a_squatted_number_is_quarantined_and_the_owners_real_case_applies():
    # Given a village that signs correctly with its own key, claiming the township's number
    squat = _event(VILLAGE, NUMBER)
    result = inbox_apply(bodies=[squat])
    assert result.quarantined == [f"not issuer: {NUMBER} is numbered by {TOWNSHIP}, not {VILLAGE}"]
    # Then the claim left nothing behind: no chain, no effect, no inbox row
    assert not AggregateState.objects.filter(key=NUMBER).exists()
    assert _applied(NUMBER) == []
    # When the township's real case with that number arrives, it applies, and so does its next
    result = inbox_apply(bodies=[_event(TOWNSHIP, NUMBER), _event(TOWNSHIP, NUMBER, seq=2)])
    assert result.applied == 2, result
    assert _applied(NUMBER) == [(TOWNSHIP, 1), (TOWNSHIP, 2)]
    assert AggregateState.objects.get(key=NUMBER).owner == TOWNSHIP
    # And a later claim on the chain by the village is still refused (not the owner)
    assert inbox_apply(bodies=[_event(VILLAGE, NUMBER, seq=3)]).quarantined == [
        f"not owner: {VILLAGE} does not own {NUMBER}"
    ]


def test_a_squatted_case_event_never_reaches_the_read_model():
    def case_event(origin: str) -> bytes:
        payload = case_payload(number=NUMBER, site=origin)
        payload["case"] |= {"owner_site": origin, "origin_site": origin}
        data = envelope_dict(
            origin=origin, dest="county", type="case.event", aggregate=NUMBER, seq=1
        )
        return signed(data | {"payload": payload}).encode()

    assert inbox_apply(bodies=[case_event(VILLAGE)]).quarantined[0].startswith("not issuer")
    assert not CaseRecord.objects.filter(number=NUMBER).exists()
    result = inbox_apply(bodies=[case_event(TOWNSHIP)])
    assert result.applied == 1, result
    assert CaseRecord.objects.get(number=NUMBER).owner_site == TOWNSHIP


def test_a_refused_first_message_leaves_no_chain_row():
    # The village's own number, but its handler refuses the message (no n)
    own = f"{VILLAGE}-20261207-0001"
    data = envelope_dict(origin=VILLAGE, dest="county", type=appliers.EVENT, aggregate=own, seq=1)
    result = inbox_apply(bodies=[signed(data | {"payload": {"x": 1}}).encode()])
    assert result.quarantined == ["test event without n"]
    assert not AggregateState.objects.filter(key=own).exists()
    # so the real first event still applies
    assert inbox_apply(bodies=[_event(VILLAGE, own)]).applied == 1


# -- 2. bounds: what the columns hold, checked before anything is written ------------------


@pytest.mark.parametrize(
    ("name", "changes", "reason"),
    [
        ("seq 2**31 + 5", {"seq": 2**31 + 5}, "out of range: seq"),
        ("seq of 4,300 digits", {"seq": 10**4299}, "out of range: seq"),
        ("prev 2**31 + 5", {"prev": 2**31 + 5}, "out of range: seq"),
        ("prev of 4,300 digits", {"prev": 10**4299}, "out of range: seq"),
        ("type of 61 characters", {"type": "t" * 61}, "out of range: type"),
        ("aggregate of 81 characters", {"aggregate": "v-shiqiao-" + "9" * 71}, "out of range"),
    ],
)
@pytest.mark.parametrize("here", ["county", TOWNSHIP])
def test_a_value_no_column_holds_is_quarantined_in_seconds_and_the_canary_applies(
    name, changes, reason, here, settings
):
    settings.HALL_SITE = here
    agg = f"{VILLAGE}-20261207-0002"
    data = envelope_dict(origin=VILLAGE, dest=here, type=appliers.EVENT, aggregate=agg, seq=1)
    body = signed(data | changes | {"payload": {"n": 1}}).encode()
    assert len(str(changes.get("seq", 0))) <= 4300  # json parses it: the inbox must refuse it
    canary, canary_agg = good_event(9, dest=here)

    started = time.monotonic()
    result = inbox_apply(bodies=[body, canary])
    took = time.monotonic() - started

    assert took < 5, took
    assert result.applied == 1 and _applied(canary_agg) == [(VILLAGE, 1)], result
    assert [r[: len(reason)] for r in result.quarantined] == [reason], result.quarantined
    assert QuarantinedMessage.objects.get().reason.startswith(reason)
    assert not HeldMessage.objects.exists()
    assert InboxMessage.objects.count() == 1


def test_the_envelope_bound_is_the_narrowest_column_it_lands_in():
    assert SEQ_MAX == 2**31 - 1  # PositiveIntegerField: inbox seq, held after, chain seq


def test_a_poison_body_then_five_genuine_events_in_one_batch(settings):
    # The body: a gap (held) with a seq the held table's column cannot hold
    poison = signed(
        envelope_dict(
            origin=VILLAGE,
            dest="county",
            type=appliers.EVENT,
            aggregate=f"{VILLAGE}-20261207-0003",
            seq=2**31 + 5,
            prev=2**31 + 4,
        )
        | {"payload": {"n": 1}}
    ).encode()
    goods = [good_event(n) for n in range(5)]

    result = inbox_apply(bodies=[poison, *(body for body, _ in goods)])

    assert result.applied == 5 and len(result.quarantined) == 1, result
    assert all(_applied(agg) for _, agg in goods)
    assert QuarantinedMessage.objects.get().reason.startswith("out of range: seq 2147483653")


def test_a_database_error_in_the_fast_pass_quarantines_only_that_message():
    # test.note writes its text into a NOT NULL column: None fails in the database itself
    note = signed(envelope_dict(origin=VILLAGE, dest="county", type=appliers.NOTE)).encode()
    goods = [good_event(n) for n in range(5)]

    result = inbox_apply(bodies=[*(b for b, _ in goods[:2]), note, *(b for b, _ in goods[2:])])

    assert result.applied == 5, result
    (reason,) = result.quarantined
    assert reason.startswith("database refused: IntegrityError"), reason
    assert all(_applied(agg) for _, agg in goods)


def test_a_handler_that_crashes_outside_any_savepoint_still_ends_in_quarantine(monkeypatch):
    # A fault the per-message savepoints cannot catch (here: the batch's own bookkeeping
    # fails whenever the note is in the batch): each message then gets a transaction of
    # its own, and the one that still fails is quarantined with the error.
    goods = [good_event(n) for n in range(3)]
    note = signed(
        envelope_dict(origin=VILLAGE, dest="county", type=appliers.NOTE)
        | {"payload": {"text": "ok"}}
    ).encode()
    real_flush = inbox._Batch.flush

    def flush(self):
        if any(e.type == appliers.NOTE for e in self.inbox):
            raise RuntimeError("bookkeeping broke")
        real_flush(self)

    monkeypatch.setattr(inbox._Batch, "flush", flush)
    result = inbox_apply(bodies=[goods[0][0], note, goods[1][0], goods[2][0]])

    assert result.applied == 3, result
    assert result.quarantined == ["apply failed: RuntimeError: bookkeeping broke"]
    assert QuarantinedMessage.objects.get().reason == result.quarantined[0]
    assert all(_applied(agg) for _, agg in goods)


# -- 3. the broker account that published a message must be its origin's --------------------


@pytest.mark.parametrize(
    ("sender", "reason"),
    [
        (None, "broker account: no user_id"),
        ("hall-t-maan", "broker account: hall-t-maan is not hall-v-shiqiao"),
        ("guest", "broker account: guest is not hall-v-shiqiao"),
    ],
)
def test_a_message_not_published_by_its_origins_account_is_quarantined(sender, reason, settings):
    settings.HALL_SYNC_BROKER_ACCOUNTS = "hall-"
    bad, bad_agg = good_event(1)
    good, good_agg = good_event(2)

    result = inbox_apply(bodies=[bad, good], senders=[sender, "hall-v-shiqiao"])

    assert result.quarantined == [reason]
    assert _applied(good_agg) and not _applied(bad_agg)


def test_without_broker_accounts_the_user_id_is_not_asked(settings):
    settings.HALL_SYNC_BROKER_ACCOUNTS = ""
    body, _ = good_event(1)
    assert inbox_apply(bodies=[body], senders=[None]).applied == 1


def test_the_case_event_limits_are_the_read_models_columns():
    """One declaration (sites.cases.messages): what fits the sender's model fits the county's
    read model, whose columns have the same widths."""
    case = CASE_EVENT.fields["case"].fields
    for name, kind in case.items():
        try:
            column = CaseRecord._meta.get_field(name)
        except FieldDoesNotExist:  # a payload value with no column of that name
            continue
        if getattr(kind, "max_length", None) is not None:
            assert kind.max_length <= column.max_length, name
        if hasattr(kind, "max") and hasattr(kind, "min"):
            low, high = int_range(column)
            assert low <= kind.min and kind.max <= high, (name, kind, low, high)
    number = CASE_EVENT.fields["number"]
    assert number.max_length == CaseRecord._meta.get_field("number").max_length


@pytest.mark.parametrize(
    ("key", "owner"),
    [(NUMBER, TOWNSHIP), (f"PD-{TOWNSHIP}-20261207-A001-7", TOWNSHIP)],
)
def test_a_hall_cannot_pre_empt_the_rating_of_another_halls_case_or_ticket(key, owner):
    def rating(origin: str) -> bytes:
        payload = {
            "case_number": key,
            "window_site": owner,
            "window_site_name": "",
            "window_number": "1",
            "window_name": "",
            "department_code": "",
            "department_name": "",
            "staff_username": "",
            "staff_name": "",
            "item_name": "测试事项",
            "level": "very_satisfied",
            "channel": "window",
            "comment": "",
            "given_at": "2026-12-07T10:00:00+08:00",
            "given_site": origin,
        }
        data = envelope_dict(origin=origin, dest="county", type="feedback.rating")
        return signed(data | {"payload": payload}).encode()

    squat = inbox_apply(bodies=[rating("t-huangtan")])  # another branch of the tree
    assert squat.quarantined == ["评价的办件或排队号不属于 t-huangtan"]
    if key.startswith("PD-"):  # a queue number: at its own hall only, not even a village
        assert inbox_apply(bodies=[rating(VILLAGE)]).quarantined[0].startswith("评价的")
    assert inbox_apply(bodies=[rating(owner)]).applied == 1
    assert Rating.objects.get(case_number=key).given_site == owner
