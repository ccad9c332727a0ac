"""The relay: publishes the outbox in order, persistent, with batched publisher confirms.

Rows are marked sent only after the broker confirmed them. Killed at any point, the relay
republishes at most the last unconfirmed batch; receivers drop the duplicates by (origin, id).
A broker or link outage only makes the outbox grow: the relay backs off and retries.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import time

from amqp import Message
from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone

from sync.models import OutboxMessage
from sync.transport import connect, exchange, topology_declare

log = logging.getLogger("sync.relay")


class PublishFailed(Exception):
    pass


class Publisher:
    """One broker connection; `publish_batch` returns once every message is confirmed."""

    def __init__(self, url: str | None = None) -> None:
        self.conn = connect(url)
        self.conn.ensure_connection(max_retries=1)
        topology_declare(self.conn)
        self.channel = self.conn.default_channel
        self.amqp = self.conn.transport.driver_type == "amqp"
        self.exchange = exchange().name
        if self.amqp:
            # Confirm mode on the raw AMQP channel: publish the whole batch, then wait for
            # the acks (multiple=True acks cover runs), instead of one round trip each.
            self.channel.confirm_select()
            self.channel.events["basic_ack"].add(self._on_ack)
            self.channel.events["basic_nack"].add(self._on_nack)
            self.channel.events["basic_return"].add(self._on_return)
        # The batch published but not yet confirmed: (rows, its last delivery tag).
        self.inflight: tuple[list[tuple[int, str, str]], int] | None = None
        self.tag = 0
        self.acked = 0  # every tag up to this one is confirmed
        self.acked_single: set[int] = set()  # single acks above it (confirms may come unordered)
        self.nacked = False

    def _on_ack(self, delivery_tag, multiple):
        if multiple:
            self.acked = max(self.acked, delivery_tag)
        else:
            self.acked_single.add(delivery_tag)
        while self.acked + 1 in self.acked_single:
            self.acked += 1
        self.acked_single = {t for t in self.acked_single if t > self.acked}

    def _on_nack(self, delivery_tag, multiple):
        self.nacked = True

    def _on_return(self, *args):
        # mandatory=True: a message no queue took comes back; never count it as delivered.
        self.nacked = True

    def publish_batch(self, rows: list[tuple[str, str]], timeout: float = 30.0) -> None:
        """rows: (routing_key, body); returns once every message is confirmed."""
        self.wait_confirms(self.send_batch(rows), timeout)

    def send_batch(self, rows: list[tuple[str, str]]) -> int:
        """Publish without waiting; returns the batch's last delivery tag, which
        `wait_confirms` then waits for."""
        if not self.amqp:
            producer = self.conn.Producer(exchange=exchange())
            for key, body in rows:
                producer.publish(
                    body,
                    routing_key=key,
                    content_type="application/json",
                    content_encoding="utf-8",
                    delivery_mode=2,
                    serializer=None,
                )
            return 0

        # user_id: RabbitMQ refuses a publish whose user_id is not the connection's user,
        # so a receiver knows which account sent it (per-hall accounts, ADR 0012).
        user = self.conn.userid
        with _corked(self.conn.connection.transport):
            for key, body in rows:
                msg = Message(
                    body.encode(),
                    content_type="application/json",
                    content_encoding="utf-8",
                    delivery_mode=2,
                    user_id=user,
                )
                self.channel.basic_publish(
                    msg, exchange=self.exchange, routing_key=key, mandatory=True
                )
                self.tag += 1
        return self.tag

    def wait_confirms(self, upto: int | None = None, timeout: float = 30.0) -> None:
        """Until every message up to tag `upto` (default: all sent) is confirmed."""
        if not self.amqp:
            return
        upto = self.tag if upto is None else upto
        deadline = time.monotonic() + timeout
        while self.acked < upto:
            if self.nacked:
                raise PublishFailed("broker refused (nack)")
            left = deadline - time.monotonic()
            if left <= 0:
                raise PublishFailed("no confirm within timeout")
            self.conn.drain_events(timeout=min(left, 1.0))
        if self.nacked:
            raise PublishFailed("broker refused (nack)")

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.conn.release()


@contextlib.contextmanager
def _corked(transport):
    """Send the frames of a whole batch in one write. py-amqp writes each message with its
    own sendall (a syscall and a TCP segment per message: most of the relay's time)."""
    chunks: list[bytes] = []
    send = transport._write
    transport._write = lambda data: chunks.append(bytes(data))  # py-amqp reuses its buffer
    try:
        yield
    finally:
        transport._write = send
    send(b"".join(chunks))  # not reached on error: the connection is dropped anyway


def _unsent(*, batch: int, after: int = 0) -> list[tuple[int, str, str]]:
    return list(
        OutboxMessage.objects.filter(sent_at__isnull=True, id__gt=after)
        .order_by("id")
        .values_list("id", "routing_key", "body")[:batch]
    )


def _mark_sent(ids: list[int]) -> None:
    now = timezone.now()
    if connection.vendor == "postgresql":
        # One array parameter instead of an IN list of a thousand placeholders.
        with connection.cursor() as cur:
            cur.execute(
                f"UPDATE {OutboxMessage._meta.db_table} SET sent_at = %s "
                "WHERE id = ANY(%s::bigint[])",
                [now, "{" + ",".join(map(str, ids)) + "}"],
            )
        return
    OutboxMessage.objects.filter(id__in=ids).update(sent_at=now)


def relay_step(publisher: Publisher, *, batch: int) -> int:
    """Confirm one batch of unsent rows (in id order) and mark it; returns its size.

    Two batches are in flight: while the broker confirms one, the next is read and
    published, so neither the database nor the confirm wait stalls the stream. Rows are
    still marked only once confirmed. A row that committed late with a lower id than what
    is in flight is not left behind: the pipeline then drains and the next step reads again
    from the first unsent row.
    """
    if publisher.inflight is None:
        rows = _unsent(batch=batch)
        if not rows:
            return 0
        publisher.inflight = (rows, publisher.send_batch([(k, b) for _, k, b in rows]))
    rows, upto = publisher.inflight
    publisher.inflight = None
    following = []
    if not _straggler(before=rows[0][0]):
        following = _unsent(batch=batch, after=rows[-1][0])
    if following:
        nxt = (following, publisher.send_batch([(k, b) for _, k, b in following]))
    publisher.wait_confirms(upto)
    _mark_sent([r[0] for r in rows])
    if following:
        publisher.inflight = nxt
    return len(rows)


def _straggler(*, before: int) -> bool:
    return OutboxMessage.objects.filter(sent_at__isnull=True, id__lt=before).exists()


class Stop:
    """Set on SIGTERM/SIGINT; `signals=False` for a loop in a thread of a process that
    handles its signals itself (`hall station` sets `stopping` for all its loops)."""

    def __init__(self, *, signals: bool = True) -> None:
        self.stopping = False
        if signals:
            signal.signal(signal.SIGTERM, self._stop)
            signal.signal(signal.SIGINT, self._stop)

    def _stop(self, *_):
        self.stopping = True


def relay_run(*, once: bool = False, idle: float = 0.05, stop: Stop | None = None) -> None:
    """The relay loop: publish, back off on broker/link errors, stop cleanly on SIGTERM."""
    stop = stop or Stop()
    backoff = 0.5
    publisher = None
    while not stop.stopping:
        try:
            if publisher is None:
                publisher = Publisher()
                log.info("relay connected to %s", publisher.conn.as_uri())
                backoff = 0.5
            sent = relay_step(publisher, batch=settings.HALL_SYNC_BATCH)
            if once and not sent:
                return
            if not sent:
                close_old_connections()
                time.sleep(idle)
        except Exception as exc:  # broker down, link lost, confirm timeout, DB hiccup
            log.warning("relay: %s: %s; retrying in %.1fs", type(exc).__name__, exc, backoff)
            if publisher is not None:
                publisher.close()
                publisher = None
            close_old_connections()
            if once:
                raise
            backoff_sleep(backoff, stop)
            backoff = min(backoff * 2, settings.HALL_SYNC_BACKOFF_MAX)
    if publisher is not None:
        publisher.close()


def backoff_sleep(seconds: float, stop: Stop) -> None:
    """A backoff that a stop ends early (a station stops its loops within a second)."""
    deadline = time.monotonic() + seconds
    while not stop.stopping and time.monotonic() < deadline:
        time.sleep(min(0.2, deadline - time.monotonic()))
