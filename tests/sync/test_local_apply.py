"""A message addressed to this hall itself: the registered appliers run once, in the
caller's transaction, with no outbox row (the county's own case events reach its read
model so, through the same appliers as every other hall's)."""

import pytest
from django.db import connection, transaction

from sync.api import Outgoing, fanin, outbox_put, outbox_put_many
from sync.models import AggregateState, OutboxMessage
from tests.support import appliers

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _tables():
    appliers.ensure_tables()


def applied() -> list[tuple]:
    with connection.cursor() as cur:
        cur.execute("SELECT aggregate, origin, dest, n FROM test_applied ORDER BY id")
        return list(cur.fetchall())


def test_the_fan_in_hall_is_configured():
    assert fanin() == "county"


def test_a_message_to_this_hall_is_applied_here_once_without_an_outbox_row():
    with transaction.atomic():
        env = outbox_put(type=appliers.EVENT, aggregate="C-1", payload={"n": 7}, dest="county")
    assert (env.origin, env.dest) == ("county", "county")
    assert applied() == [("C-1", "county", "county", 7)]
    assert not OutboxMessage.objects.exists()
    assert not AggregateState.objects.exists()  # the chain orders what travels, only


def test_it_is_undone_with_the_transaction():
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox_put(type=appliers.EVENT, aggregate="C-1", payload={"n": 7}, dest="county")
        raise RuntimeError("the change fails")
    assert applied() == []


def test_mixed_messages_apply_the_local_ones_and_file_the_others():
    with transaction.atomic():
        envs = outbox_put_many(
            [
                Outgoing(type=appliers.EVENT, aggregate="C-1", payload={"n": 1}, dest="county"),
                Outgoing(type=appliers.EVENT, aggregate="C-1", payload={"n": 2}, dest="t-maan"),
            ]
        )
    assert [e.dest for e in envs] == ["county", "t-maan"]
    assert applied() == [("C-1", "county", "county", 1)]
    assert list(OutboxMessage.objects.values_list("dest", flat=True)) == ["t-maan"]


def test_an_unknown_type_to_this_hall_fails_the_change():
    with pytest.raises(LookupError), transaction.atomic():
        outbox_put(type="no.such.type", aggregate="", payload={}, dest="county")
