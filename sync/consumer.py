"""The consumer: a plain kombu consumer on this site's queue, applying in batches.

Why not a celery worker: we need the raw body (to quarantine what does not parse or
verify, which celery would reject before our code sees it), a whole batch in one database
transaction with acks only after it commits, and per-aggregate ordering across a batch.
Celery's task-per-message model gives none of these.

Crash-only: any broker or database error drops the connection without acking; the broker
redelivers (filesystem: `fs_recover`) and the inbox drops what was already applied.
"""

from __future__ import annotations

import hashlib
import logging
import time

from django.conf import settings
from django.db import close_old_connections

from sync.inbox import inbox_apply
from sync.relay import Stop
from sync.transport import (
    amqp_fixed_timeout,
    amqp_read_ahead,
    connect,
    dead_queue,
    fs_done,
    fs_recover,
    names,
    site_queue,
    topology_declare,
)

log = logging.getLogger("sync.consumer")

WAIT = 0.05  # seconds of silence that end a batch being gathered


def _raw(message) -> bytes:
    body = message.body
    return body.encode() if isinstance(body, str) else bytes(body)


class Consumer:
    def __init__(self, *, batch: int) -> None:
        self.batch = batch
        self.here = settings.HALL_SITE
        self.conn = connect()
        self.conn.ensure_connection(max_retries=1)
        topology_declare(self.conn)
        self.amqp = self.conn.transport.driver_type == "amqp"
        if self.amqp:
            amqp_read_ahead(self.conn)
            amqp_fixed_timeout(self.conn, WAIT)
        queue = site_queue(self.here, amqp=self.amqp)
        if not self.amqp:
            recovered = fs_recover(queue.name)
            if recovered:
                log.info("consumer: %d unfinished messages put back", recovered)
        self.pending: list = []
        self.consumer = self.conn.Consumer(
            queue, on_message=self.pending.append, prefetch_count=batch * 2, no_ack=False
        )
        self.consumer.consume()

    def drain(self, *, linger: float) -> None:
        """Gather up to a batch: wait at most `linger` seconds in all, and stop at the first
        pause of WAIT seconds once something has come."""
        deadline = time.monotonic() + linger
        while len(self.pending) < self.batch and time.monotonic() < deadline:
            try:
                self.conn.drain_events(timeout=WAIT)  # always WAIT: see amqp_fixed_timeout
            except TimeoutError:
                if self.pending:
                    return

    def flush(self) -> dict:
        messages, self.pending[:] = list(self.pending), []
        if not messages:
            return {}
        bodies = [_raw(m) for m in messages]
        result = inbox_apply(bodies=bodies)
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
        return result.as_dict()

    def _dead_letter(self, message, body: bytes) -> None:
        if self.amqp:
            message.reject(requeue=False)  # the queue's x-dead-letter-exchange takes it
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
        try:
            self.conn.release()
        except Exception as exc:  # closing a broken connection
            log.debug("close: %s", exc)


def consume_run(*, once: bool = False, linger: float = 0.5, on_start=None) -> None:
    stop = Stop()
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
            time.sleep(backoff)
            backoff = min(backoff * 2, settings.HALL_SYNC_BACKOFF_MAX)
    if consumer is not None:
        consumer.close()
