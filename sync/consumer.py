"""The consumer: a plain kombu consumer on this site's queue, applying in batches.

Why not a celery worker: we need the raw body (to quarantine what does not parse or
verify, which celery would reject before our code sees it), a whole batch in one database
transaction with acks only after it commits, and per-aggregate ordering across a batch.
Celery's task-per-message model gives none of these.

Crash-only: any broker or database error drops the connection without acking; the broker
redelivers (filesystem: `fs_recover`) and the inbox drops what was already applied.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import logging
import time
import uuid

from django.conf import settings
from django.db import close_old_connections, connection

from sync.inbox import LAST_CHANCE, inbox_apply, last_chance_note, last_chance_settle
from sync.relay import Stop, backoff_sleep
from sync.transport import (
    TOO_BIG,
    amqp_body_cap,
    amqp_fixed_timeout,
    amqp_read_ahead,
    connect,
    dead_queue,
    deliveries_before,
    delivery_limit,
    fs_dead,
    fs_done,
    fs_recover,
    names,
    site_queue,
    topology_declare,
)

log = logging.getLogger("sync.consumer")

WAIT = 0.05  # seconds of silence that end a batch being gathered


def batch_bytes() -> int:
    """The bodies one batch gathers at most, in bytes (besides HALL_SYNC_BATCH messages).
    RabbitMQ does not implement a prefetch by size, so the cap is here: what is not read
    yet waits in the broker and the socket buffer, not in this process."""
    return getattr(settings, "HALL_SYNC_BATCH_BYTES", 16_000_000)


def _raw(message) -> bytes:
    body = message.body
    return body.encode() if isinstance(body, str) else bytes(body)


def _sender(message) -> str | None:
    user = (message.properties or {}).get("user_id")
    if isinstance(user, bytes):
        user = user.decode("utf-8", "replace")
    return user or None


def _too_big(message) -> int:
    return int((message.headers or {}).get(TOO_BIG) or 0)


def malloc_fixed_threshold() -> None:
    """Serve every large allocation from its own mapping, returned to the system when freed.

    glibc raises its mmap threshold each time such a block is freed (up to 32 MB), after
    which bodies of a few MB come from the heap and the freed heap is not given back: the
    consumer kept the peak of every burst. A fixed threshold keeps it flat."""
    name = ctypes.util.find_library("c")
    if not name:
        return
    try:
        libc = ctypes.CDLL(name)
        libc.mallopt(-3, 256 * 1024)  # M_MMAP_THRESHOLD (fixing it also stops the raising)
    except (OSError, AttributeError):  # not glibc
        log.debug("mallopt unavailable")


def _split_last_chance(messages: list) -> tuple[list, list]:
    """(those on their last delivery, the rest); a body too big to read is refused at once
    whatever its count, so it stays with the rest."""
    limit = delivery_limit()
    last, rest = [], []
    for m in messages:
        (last if not _too_big(m) and deliveries_before(m) >= limit - 1 else rest).append(m)
    return last, rest


class Consumer:
    def __init__(self, *, batch: int) -> None:
        self.batch = batch
        self.here = settings.HALL_SITE
        # The database first: a consumer that cannot commit takes no deliveries, so an
        # outage here does not count against the messages' delivery limit.
        connection.ensure_connection()
        self.conn = connect()
        self.conn.ensure_connection(max_retries=1)
        topology_declare(self.conn)
        self.amqp = self.conn.transport.driver_type == "amqp"
        if self.amqp:
            amqp_body_cap()
            amqp_read_ahead(self.conn)
            amqp_fixed_timeout(self.conn, WAIT)
        queue = site_queue(self.here, amqp=self.amqp)
        if not self.amqp:
            recovered = fs_recover(queue.name)
            if recovered:
                log.info("consumer: %d unfinished messages put back", recovered)
        self.pending: list = []
        self.pending_bytes = 0
        self.consumer = self.conn.Consumer(
            queue, on_message=self._take, prefetch_count=batch * 2, no_ack=False
        )
        self.consumer.consume()

    def drain(self, *, linger: float) -> None:
        """Gather up to a batch: wait at most `linger` seconds in all, and stop at the first
        pause of WAIT seconds once something has come."""
        deadline = time.monotonic() + linger
        limit = batch_bytes()
        while (
            len(self.pending) < self.batch
            and self.pending_bytes < limit
            and time.monotonic() < deadline
        ):
            try:
                self.conn.drain_events(timeout=WAIT)  # always WAIT: see amqp_fixed_timeout
            except TimeoutError:
                if self.pending:
                    return

    def _take(self, message) -> None:
        self.pending.append(message)
        self.pending_bytes += len(message.body or b"")

    def flush(self) -> dict:
        messages, self.pending[:] = list(self.pending), []
        self.pending_bytes = 0
        if not messages:
            return {}
        # Settled one by one first, so the batch's ack (multiple) below never covers them.
        last, messages = _split_last_chance(messages)
        total = {}
        for message in last:
            for k, v in self._last_try(message).items():
                total[k] = total.get(k, 0) + v
        if not messages:
            return total
        bodies, refused = [], {}
        limit = settings.HALL_SYNC_MAX_BYTES
        for i, message in enumerate(messages):
            size = _too_big(message)
            if size:
                # Unread: what is quarantined is a note of it, unique per message.
                bodies.append(f"(not read: {size} bytes) {uuid.uuid4()}".encode())
                refused[i] = f"too big: {size} bytes > {limit}"
            else:
                bodies.append(_raw(message))
        # Who published each (RabbitMQ checks user_id against the login): per-hall accounts
        # make it a second check besides the signature. The filesystem transport has none.
        senders = [_sender(m) for m in messages] if self.amqp else None
        result = inbox_apply(bodies=bodies, refused=refused, senders=senders)
        # Committed: now ack. Refused bodies go to the dead-letter queue first.
        last_ok = None
        for message, body in zip(messages, bodies, strict=True):
            if result.refused and hashlib.sha256(body).hexdigest() in result.refused:
                self._dead_letter(message, body)
            elif self.amqp:
                last_ok = message
            else:
                message.ack()
            if not self.amqp:
                fs_done(message)
        if last_ok is not None:
            # One frame for the batch: acks every unsettled delivery up to this tag, and
            # the refused ones were settled (rejected) just above.
            last_ok.ack(multiple=True)
        for k, v in result.as_dict().items():
            total[k] = total.get(k, 0) + v
        return total

    def _last_try(self, message) -> dict:
        """A message on its last delivery before the broker's delivery limit dead-letters
        it: a quarantine row saying so is committed first, then it is tried alone. If the
        node dies with it again (a crash no savepoint catches), the dead letter has its row
        with the reason; if it applies, the row goes; if it is refused, the row keeps the
        inbox's reason (decision 0020)."""
        body = _raw(message)
        n = deliveries_before(message) + 1
        digest = last_chance_note(
            body, f"{LAST_CHANCE}delivery {n} of at most {delivery_limit()}, never finished"
        )
        senders = [_sender(message)] if self.amqp else None
        result = inbox_apply(bodies=[body], senders=senders)
        last_chance_settle(digest, result)
        if digest in result.refused:
            self._dead_letter(message, body)
        else:
            message.ack()
        if not self.amqp:
            fs_done(message)
        return result.as_dict()

    def _dead_letter(self, message, body: bytes) -> None:
        if self.amqp:
            message.reject(requeue=False)  # the queue's x-dead-letter-exchange takes it
            return
        if _too_big(message):
            fs_dead(message)  # the file itself, still unread
            message.ack()
            return
        producer = self.conn.Producer()
        producer.publish(
            body.decode("utf-8", "replace"),
            exchange=names()["dlx"],
            routing_key=self.here,
            declare=[dead_queue(amqp=False)],
            serializer=None,
            content_type="application/octet-stream",
            content_encoding="utf-8",
        )
        message.ack()

    def close(self) -> None:
        if not self.amqp:
            # The unfinished files stay in flight and fs_recover puts them back, counted:
            # kombu's own restore would publish a second, uncounted copy of each.
            self.consumer.channel.do_restore = False
        try:
            self.conn.release()
        except Exception as exc:  # closing a broken connection
            log.debug("close: %s", exc)


def consume_run(
    *, once: bool = False, linger: float = 0.5, on_start=None, stop: Stop | None = None
) -> None:
    malloc_fixed_threshold()
    stop = stop or Stop()
    backoff = 0.5
    consumer = None
    while not stop.stopping:
        try:
            if consumer is None:
                consumer = Consumer(batch=settings.HALL_SYNC_BATCH)
                log.info("consumer connected (%s)", consumer.conn.as_uri())
                backoff = 0.5
                if on_start:
                    on_start()
            consumer.drain(linger=linger)
            done = consumer.flush()
            if done:
                log.debug("batch %s", done)
            elif once:
                return
            else:
                close_old_connections()
        except Exception as exc:
            log.warning("consumer: %s: %s; retrying in %.1fs", type(exc).__name__, exc, backoff)
            if consumer is not None:
                consumer.close()
                consumer = None
            close_old_connections()
            if once:
                raise
            backoff_sleep(backoff, stop)
            backoff = min(backoff * 2, settings.HALL_SYNC_BACKOFF_MAX)
    if consumer is not None:
        consumer.close()
