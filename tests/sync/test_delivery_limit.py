"""The last guard: a message delivered HALL_SYNC_DELIVERY_LIMIT times is dead-lettered, on
the filesystem transport as the quorum queues' x-delivery-limit does on RabbitMQ."""

import os

import pytest

from sync.transport import delivery_limit, fs_recover, names, site_queue


def _inflight(folder, queue: str, name: str) -> None:
    path = folder / "inflight" / queue
    path.mkdir(parents=True, exist_ok=True)
    (path / name).write_bytes(b"{}")


def test_a_message_read_and_never_finished_goes_to_the_dead_letters_at_the_limit(
    tmp_path, settings
):
    settings.HALL_BROKER_FOLDER = str(tmp_path)
    settings.HALL_SYNC_DELIVERY_LIMIT = 3
    queue, dead = f"{names()['exchange']}.county", names()["dead"]
    name = f"{1:020d}_abc.{queue}.msg"
    _inflight(tmp_path, queue, name)

    # Given a consumer that dies with it in flight, twice: it is put back, counted
    for n in (1, 2):
        assert fs_recover(queue) == 1
        (back,) = [f for f in os.listdir(tmp_path) if f.endswith(".msg")]
        assert back == f"{1:020d}_abc-r{n}.{queue}.msg"  # still sorts by publish time
        os.replace(tmp_path / back, tmp_path / "inflight" / queue / back)

    # When it dies with it a third time, then it goes to the dead-letter queue
    assert fs_recover(queue) == 1
    assert os.listdir(tmp_path / "inflight" / queue) == []
    assert [f for f in os.listdir(tmp_path) if f.endswith(".msg")] == [
        f"{1:020d}_abc-r3.{dead}.msg"
    ]


def test_the_quorum_queues_carry_the_same_limit(settings):
    settings.HALL_SYNC_DELIVERY_LIMIT = 7
    args = site_queue("county", amqp=True).queue_arguments
    assert args["x-delivery-limit"] == 7 == delivery_limit()
    assert args["x-dead-letter-exchange"] == names()["dlx"]
    assert "x-delivery-limit" not in site_queue("county", amqp=False).queue_arguments


@pytest.mark.django_db(transaction=True)
def test_a_body_too_big_to_read_is_quarantined_unread_and_dead_lettered(tmp_path, settings):
    from sync.consumer import Consumer
    from sync.models import QuarantinedMessage
    from sync.transport import connect, exchange, file_limit, topology_declare

    settings.HALL_BROKER_URL = "filesystem://"
    settings.HALL_BROKER_FOLDER = str(tmp_path)
    settings.HALL_SYNC_MAX_BYTES = 1000
    with connect() as conn:
        topology_declare(conn)
        conn.Producer().publish(
            "x" * (file_limit() + 1),
            exchange=exchange(),
            routing_key="county.ctl.test",
            serializer=None,
            content_type="application/json",
            content_encoding="utf-8",
        )
    consumer = Consumer(batch=10)
    try:
        consumer.drain(linger=1)
        assert consumer.pending_bytes == 0  # nothing of it was read
        assert consumer.flush()["quarantined"] == 1
    finally:
        consumer.close()
    row = QuarantinedMessage.objects.get()
    assert row.reason == f"too big: {os.path.getsize(_dead(tmp_path))} bytes > 1000"


def _dead(folder) -> str:
    (name,) = [f for f in os.listdir(folder) if f.endswith(f".{names()['dead']}.msg")]
    return os.path.join(folder, name)
