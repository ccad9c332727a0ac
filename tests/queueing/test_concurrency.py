"""Concurrent bookings and ticket takes: real threads, each with its own connection.

PostgreSQL only: the SQLite test database is one in-memory database shared between
connections, whose table locks do not wait (and the file database serialises every writer,
which proves nothing).
Run: HALL_TEST_DATABASE_URL=postgres://... ./hall test --real -- tests/queueing
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from county.rules.models import Rule
from sites.queueing import services
from sites.queueing.days import BEIJING
from sites.queueing.models import Appointment, AppointmentSlot, Ticket
from sites.registry.models import Department, Window

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        "connection.vendor != 'postgresql'",
        reason="concurrency needs PostgreSQL (HALL_TEST_DATABASE_URL)",
    ),
]

MONDAY = datetime(2026, 12, 7, 1, 0, tzinfo=UTC)
THREADS = 40  # beside the other engineers' databases: max_connections is 100


def run_at_once(jobs: list) -> list:
    """Run each job in its own thread, all released together; results or exceptions."""
    results: list = [None] * len(jobs)
    gate = threading.Barrier(min(len(jobs), THREADS))
    lock = threading.Lock()
    queue = list(enumerate(jobs))

    def worker():
        gate.wait()
        try:
            while True:
                with lock:
                    if not queue:
                        return
                    i, job = queue.pop()
                try:
                    results[i] = job()
                except Exception as exc:  # collected for the assertions
                    results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(min(len(jobs), THREADS))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_50_simultaneous_bookings_for_10_places_give_exactly_10(hall):
    Rule.objects.create(
        key="queueing.hours", scope="department:mzj", value={"capacity": 1}, changed_at=MONDAY
    )
    mzj = Department.objects.get(code="mzj")
    starts = [datetime(2026, 12, 8, 8, 30, tzinfo=BEIJING)]
    for hour in range(9, 12):  # 08:30 .. 11:30: seven 30-minute slots, three more after lunch
        starts += [datetime(2026, 12, 8, hour, m, tzinfo=BEIJING) for m in (0, 30)]
    starts += [datetime(2026, 12, 8, 13, 30, tzinfo=BEIJING)]
    starts += [datetime(2026, 12, 8, 14, m, tzinfo=BEIJING) for m in (0, 30)]
    assert len(starts) == 10

    def book(i):
        return lambda: services.appointment_book(
            site=hall, department=mzj, starts_at=starts[i % 10], phone=f"139{i:08d}", at=MONDAY
        )

    results = run_at_once([book(i) for i in range(50)])
    made = [r for r in results if isinstance(r, Appointment)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(made) == 10 and len(refused) == 40, [r for r in results if r not in made + refused]
    assert Appointment.objects.count() == 10
    assert sorted(AppointmentSlot.objects.values_list("booked", flat=True)) == [1] * 10
    assert len({a.slot_id for a in made}) == 10


def test_one_phone_booking_ten_slots_at_once_gets_one(hall):
    mzj = Department.objects.get(code="mzj")
    starts = [datetime(2026, 12, 8, 9 + i // 2, 30 * (i % 2), tzinfo=BEIJING) for i in range(6)]
    results = run_at_once(
        [
            (
                lambda s=s: services.appointment_book(
                    site=hall, department=mzj, starts_at=s, phone="13812345678", at=MONDAY
                )
            )
            for s in starts
        ]
    )
    assert sum(isinstance(r, Appointment) for r in results) == 1
    assert sum(AppointmentSlot.objects.values_list("booked", flat=True)) == 1


def test_200_simultaneous_ticket_takes_give_200_consecutive_numbers(hall):
    mzj = Department.objects.get(code="mzj")
    at = datetime(2026, 12, 8, 1, 0, tzinfo=UTC)
    results = run_at_once(
        [lambda: services.ticket_take(site=hall, department=mzj, at=at) for _ in range(200)]
    )
    assert all(isinstance(r, Ticket) for r in results), [
        r for r in results if not isinstance(r, Ticket)
    ]
    assert sorted(t.number for t in results) == list(range(1, 201))
    assert Ticket.objects.count() == 200


def test_windows_calling_at_once_never_call_the_same_ticket(hall):
    mzj = Department.objects.get(code="mzj")
    at = datetime(2026, 12, 8, 1, 0, tzinfo=UTC)
    for _ in range(30):
        services.ticket_take(site=hall, department=mzj, at=at)
    windows = list(Window.objects.filter(department=mzj))
    for n in range(3, 8):  # more windows of the department
        windows.append(Window.objects.create(site=hall, department=mzj, number=str(n + 10)))
    results = run_at_once(
        [(lambda w=w: services.ticket_call_next(window=w, by=None, at=at)) for w in windows * 4]
    )
    called = [r.id for r in results if isinstance(r, Ticket)]
    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, errors
    assert len(called) == len(set(called)) == 28
