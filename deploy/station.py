"""A small hall in one process (`hall station`): web server, relay, consumer and clock tick
as threads. A village PC runs one Python process instead of five (gunicorn master and
worker, relay, consumer, celery worker + beat). See docs/decisions/0012.

- web: the standard library's WSGI server with a bounded number of request threads (a
  village station has a handful of users); each request thread closes its database
  connection when done, so connections never outlive their thread;
- relay and consumer: the same loops as `hall relay` / `hall consume`, stopped by one flag;
- clock tick: the celery beat schedule's tasks called in this process at their interval
  (the database is polled, as beat would have it do; no broker is involved).
A loop that dies takes the station down (exit status 1), so its supervisor restarts it.
"""

from __future__ import annotations

import logging
import signal
import socketserver
import threading
import time
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, connections

from deploy.celery import app
from sync.consumer import consume_run
from sync.relay import Stop, relay_run

log = logging.getLogger("deploy.station")


class _Handler(WSGIRequestHandler):
    def log_message(self, format, *args):
        log.debug("%s %s", self.address_string(), format % args)


class StationServer(socketserver.ThreadingMixIn, WSGIServer):
    """Threads per request, at most `threads` at once: the accept loop waits for a free one."""

    daemon_threads = True
    block_on_close = False

    def __init__(self, *args, threads: int = 4, **kwargs) -> None:
        self.slots = threading.BoundedSemaphore(threads)
        super().__init__(*args, **kwargs)

    def process_request(self, request, client_address):
        self.slots.acquire()
        try:
            super().process_request(request, client_address)
        except Exception:
            self.slots.release()
            raise

    def process_request_thread(self, request, client_address):
        try:
            super().process_request_thread(request, client_address)
        finally:
            connections.close_all()
            self.slots.release()


def _ticks(stop: Stop) -> None:
    """The beat schedule, run here: each task at its interval, the first after one."""
    app.loader.import_default_modules()
    schedule = {
        entry["task"]: _seconds(entry["schedule"]) for entry in app.conf.beat_schedule.values()
    }
    due = {name: time.monotonic() + every for name, every in schedule.items()}
    while not stop.stopping:
        now = time.monotonic()
        for name, at in due.items():
            if now >= at:
                try:
                    app.tasks[name]()
                except Exception:  # a failed tick is retried at the next interval
                    log.exception("station: %s failed", name)
                finally:
                    close_old_connections()
                due[name] = now + schedule[name]
        time.sleep(0.5)


def _seconds(every) -> float:
    """A beat entry's interval: seconds, a timedelta or celery's schedule(run_every); a
    crontab is polled every 5 minutes here (its task itself polls the database)."""
    if isinstance(every, (int, float)):
        return float(every)
    run_every = getattr(every, "run_every", every)
    if hasattr(run_every, "total_seconds"):
        return run_every.total_seconds()
    log.warning("station: schedule %r run every 300 s", every)
    return 300.0


def station_run(*, host: str, port: int, threads: int = 4, on_consumer_start=None) -> int:
    """Serve and sync until SIGTERM/SIGINT; returns the exit status."""
    stop = Stop(signals=False)
    server = make_server(
        host,
        port,
        get_wsgi_application(),
        server_class=lambda *a, **kw: StationServer(*a, threads=threads, **kw),
        handler_class=_Handler,
    )

    def _stop(*_):
        stop.stopping = True

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    loops = {
        "web": lambda: server.serve_forever(poll_interval=0.5),
        "relay": lambda: relay_run(stop=stop),
        "consume": lambda: consume_run(stop=stop, on_start=on_consumer_start),
        "tick": lambda: _ticks(stop),
    }
    running = {}
    for name, target in loops.items():
        thread = threading.Thread(target=_guarded(name, target, stop), name=name, daemon=True)
        thread.start()
        running[name] = thread
    log.info("station: web on %s:%s, relay, consumer and clock tick running", host, port)
    while not stop.stopping:
        time.sleep(0.5)
    server.shutdown()
    for thread in running.values():
        thread.join(timeout=10)
    failed = [name for name, t in running.items() if getattr(t, "failed", False)]
    return 1 if failed else 0


def _guarded(name: str, target, stop: Stop):
    def run() -> None:
        try:
            target()
        except BaseException:
            log.exception("station: the %s loop died; stopping", name)
            threading.current_thread().failed = True
            stop.stopping = True
        finally:
            connections.close_all()

    return run
