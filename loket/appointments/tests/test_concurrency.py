"""The capacity guard under concurrency: threads, each with its own database connection."""

import random
import threading
import time

import pytest
from django.db import OperationalError, connections

from loket.appointments.booking import AlreadyBooked, SlotFull, book
from loket.appointments.models import Booking, Slot
from loket.appointments.tests.conftest import NIKS

pytestmark = pytest.mark.django_db(transaction=True)

ATTEMPTS = 20
CAPACITY = 5


def hammer(slot_id: int, niks: list[str]) -> dict[str, int]:
    """Books from `len(niks)` threads released at once; returns how each attempt ended."""
    outcomes: dict[str, int] = {}
    lock = threading.Lock()
    start = threading.Barrier(len(niks))

    def attempt(nik: str) -> None:
        start.wait()
        outcome = "locked"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                book(slot_id, nik=nik, name="Warga")
                outcome = "booked"
            except SlotFull:
                outcome = "full"
            except AlreadyBooked:
                outcome = "duplicate"
            except OperationalError:
                # The test database on SQLite is in memory with a shared cache: its table locks
                # fail at once instead of waiting like the file database does. Retry like a
                # client would; the guard must hold whatever the interleaving.
                time.sleep(random.uniform(0.001, 0.02))
                continue
            break
        connections.close_all()
        with lock:
            outcomes[outcome] = outcomes.get(outcome, 0) + 1

    threads = [threading.Thread(target=attempt, args=(nik,)) for nik in niks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_it_never_books_more_than_the_capacity_under_concurrency(make_slot):
    slot = make_slot(capacity=CAPACITY)
    outcomes = hammer(slot.pk, NIKS[:ATTEMPTS])
    slot.refresh_from_db()
    active = Booking.objects.filter(slot=slot, status="booked").count()
    assert sum(outcomes.values()) == ATTEMPTS
    assert slot.booked == active == outcomes.get("booked", 0)
    assert active <= CAPACITY
    assert outcomes == {"booked": CAPACITY, "full": ATTEMPTS - CAPACITY}


def test_the_same_nik_from_many_threads_books_once(make_slot):
    morning, afternoon = make_slot(hour=9, capacity=20), make_slot(hour=14, capacity=20)
    niks = [NIKS[0]] * 10
    outcomes = hammer(morning.pk, niks[:5])
    outcomes_afternoon = hammer(afternoon.pk, niks[5:])
    assert Booking.objects.filter(status="booked").count() == 1
    assert outcomes.get("booked", 0) + outcomes_afternoon.get("booked", 0) == 1
    total = Slot.objects.filter(pk__in=[morning.pk, afternoon.pk]).values_list("booked", flat=True)
    assert sum(total) == 1
