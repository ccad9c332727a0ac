"""Killing the notification worker mid-send and restarting it sends nothing twice: real
node processes (`hall notify-send`) on PostgreSQL (with HALL_TEST_DATABASE_URL; SQLite
otherwise) against the fake HTTP gateway (tests/support/fake_sms.py)."""

import threading
import time

import pytest

from tests.support.fake_sms import FakeSms
from tests.support.nodes import Cluster

pytestmark = [pytest.mark.multinode, pytest.mark.real]

MAKE = """
from sites.notify.services import notify
keys = []
for i in range(20):
    row = notify(None, "queue_near", phone="13812345678", ticket=f"A{i:03d}", ahead=3,
                 window="3号窗口", key=f"kill-test-{i:02d}")
    keys.append(row.key)
result = keys
"""


def wait_for(check, timeout=90.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if check():
            return True
        time.sleep(0.2)
    return False


def test_killed_mid_send_and_restarted_sends_each_once(tmp_path):
    with Cluster(tmp_path) as cluster, FakeSms() as fake:
        node = cluster.node("t-maan")
        keys = node.python(MAKE)
        node.env.update(HALL_SMS_GATEWAY="http", HALL_SMS_URL=fake.url, HALL_SMS_TIMEOUT="1")
        fake.hold = threading.Event()  # the gateway delivers, then holds its answer
        node.start("notify-send")
        assert fake.arrived.wait(120), node.log("notify-send")
        time.sleep(0.3)
        node.kill("notify-send")  # SIGKILL while the gateway call is in flight
        held = list(fake.delivered)
        assert len(held) == 1
        status = dict(node.sql("SELECT key, status FROM notify_notification"))
        assert status[held[0]] == "sending"  # the outcome was never recorded
        fake.hold.set()
        fake.hold = None

        node.start("notify-send")
        done = wait_for(
            lambda: (
                node.sql("SELECT count(*) FROM notify_notification WHERE status = 'sent'")[0][0]
                == 20
            )
        )
        node.stop("notify-send")
        assert done, node.log("notify-send")[-3000:]
        assert sorted(fake.delivered) == sorted(keys)  # every one delivered...
        assert fake.requests[held[0]] == 2  # ...the interrupted one sent again, same key,
        assert len(fake.texts()) == 20  # ...and delivered once
        assert node.sql("SELECT count(*) FROM notify_notification WHERE status <> 'sent'") == [(0,)]
