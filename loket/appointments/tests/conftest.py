"""Fixtures of the appointments: counters configured, a contact in the window, a slot maker."""

import datetime as dt

import pytest
from django.utils import timezone

from loket.appointments import demo
from loket.appointments.models import Slot
from loket.catalog.demo import TNI_POLRI
from loket.catalog.models import Service
from loket.whatsapp.models import Contact

__all__ = ["TNI_POLRI", "open_slot"]


def open_slot(office, code: str, day: dt.date, hour: int, capacity: int = 5) -> Slot:
    """A one-hour slot of `code` at `hour` on `day`."""
    starts = timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))
    return Slot.objects.create(
        office=office,
        service=Service.objects.get(code=code),
        day=day,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=1),
        capacity=capacity,
    )


@pytest.fixture
def counters(office):
    """The demo's counter configuration and waiting room (40 chairs, every other one usable)."""
    demo.seed(office)
    return office


@pytest.fixture
def budi_contact(office):
    return Contact.objects.create(
        office=office, wa_id="6281234567890", profile_name="Budi", last_inbound_at=timezone.now()
    )


@pytest.fixture
def make_slot(counters):
    """Slots made by hand (the generated week is dropped: today may be a weekend)."""
    Slot.objects.all().delete()

    def make(code: str = "ambil-dokumen", capacity: int = 5, days: int = 1, hour: int = 9):
        return open_slot(
            counters, code, timezone.localdate() + dt.timedelta(days=days), hour, capacity
        )

    return make


NIKS = [f"6471{n:012d}" for n in range(1, 2001)]
