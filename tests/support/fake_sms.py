"""A local fake SMS gateway: a real HTTP server in a thread that the HTTP adapter
(sites/notify/gateways.HttpGateway) talks to, and that misbehaves on purpose.

It keeps what a real provider with idempotency keys keeps: a message is *delivered* once
per key (a repeat answers 200 and delivers nothing); every request is counted.

Misbehaviour, set by the test:
- `fail_next(n, match="")`: the next n requests (whose text or key contains `match`)
  answer 500 and deliver nothing;
- `timeout_next(n, match="")`: the next n such requests deliver, then answer only after
  `slow` seconds (longer than the client's timeout: the client sees a timeout although
  the message went out, the worst case for doubling);
- `failure_rate`: each request fails (500) with this probability (seeded random);
- `delay`: every answer waits this long (a slow gateway);
- `hold`: a threading.Event; while it is clear, requests wait (after delivering) — the
  test kills the worker meanwhile.
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeSms:
    def __init__(self, *, failure_rate: float = 0.0, delay: float = 0.0, seed: int = 26):
        self.lock = threading.Lock()
        self.delivered: dict[str, dict] = {}  # key -> the message, once
        self.requests: Counter = Counter()  # key -> how many calls carried it
        self.failures = 0
        self.repeats = 0  # calls for a key already delivered (a sender that sent twice)
        self.failure_rate = failure_rate
        self.delay = delay
        self.slow = 3.0
        self.random = random.Random(seed)
        self._plans: list[list] = []  # [what, remaining, match]
        self.hold: threading.Event | None = None
        self.arrived = threading.Event()  # set at each request (tests wait on it)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    # ------------------------------------------------------------ control

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/send"

    def start(self) -> FakeSms:
        self.thread.start()
        return self

    def stop(self) -> None:
        if self.hold is not None:
            self.hold.set()
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> FakeSms:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def fail_next(self, n: int, match: str = "") -> None:
        with self.lock:
            self._plans.append(["fail", n, match])

    def timeout_next(self, n: int, match: str = "") -> None:
        with self.lock:
            self._plans.append(["timeout", n, match])

    def texts(self) -> list[str]:
        with self.lock:
            return [m["text"] for m in self.delivered.values()]

    def delivered_matching(self, match: str) -> list[dict]:
        with self.lock:
            return [m for m in self.delivered.values() if match in m["text"]]

    # ------------------------------------------------------------ serving

    def _decide(self, message: dict) -> str:
        with self.lock:
            for plan in self._plans:
                what, remaining, match = plan
                if remaining > 0 and (match in message["text"] or match in message["key"]):
                    plan[1] -= 1
                    return what
            if self.failure_rate and self.random.random() < self.failure_rate:
                return "fail"
        return "ok"

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                return

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                try:
                    message = json.loads(self.rfile.read(length))
                    key = self.headers["Idempotency-Key"]
                    assert key and key == message["key"]
                    assert message["phone"] and message["text"]
                except (ValueError, KeyError, AssertionError, TypeError):
                    self._answer(400, {"error": "bad request"})
                    return
                what = fake._decide(message)
                with fake.lock:
                    fake.requests[key] += 1
                    fake.repeats += key in fake.delivered
                    if what == "fail":
                        fake.failures += 1
                    else:
                        fake.delivered.setdefault(key, message)
                fake.arrived.set()
                if fake.delay:
                    time.sleep(fake.delay)
                if what == "fail":
                    self._answer(500, {"error": "temporarily unavailable"})
                    return
                if fake.hold is not None:
                    fake.hold.wait(30)
                if what == "timeout":
                    time.sleep(fake.slow)
                self._answer(200, {"ok": True, "key": key})

            def _answer(self, status: int, body: dict) -> None:
                data = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout) or was killed

        return Handler
