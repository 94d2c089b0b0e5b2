"""Capacity follows the policy in force: places only for what the counter serves that day."""

import datetime as dt

import pytest
import time_machine

from loket.appointments import capacity
from loket.appointments.booking import book
from loket.appointments.models import Booking, Slot
from loket.appointments.tests.conftest import NIKS
from loket.catalog.models import Mode, PolicyRule, ServicePolicy
from loket.conftest import sent_texts

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2020, 3, 23)  # inside the demo's emergency policy (from 22 March, nine days)
AFTER_POLICY = dt.date(2020, 4, 6)


@pytest.fixture
def march_2020():
    with time_machine.travel(dt.datetime(2020, 3, 22, 7, tzinfo=dt.UTC), tick=False):
        yield


def places(office, day, code) -> int:
    return sum(s.capacity for s in Slot.objects.filter(office=office, day=day, service__code=code))


def test_suspended_services_get_no_places_and_pickup_gets_them(march_2020, counters):
    assert places(counters, MONDAY, "ktp-rekam") == 0
    assert places(counters, MONDAY, "ikd") == 0
    assert places(counters, MONDAY, "ambil-dokumen") > 0
    assert places(counters, MONDAY, "legalisir") > 0  # limited to listed purposes: bookable
    # the distanced room is shared only by the two services open at the counter
    first = Slot.objects.filter(office=counters, day=MONDAY).order_by("starts_at").first()
    same_hour = Slot.objects.filter(office=counters, starts_at=first.starts_at)
    assert {s.service.code for s in same_hour} == {"ambil-dokumen", "legalisir"}
    assert sum(s.capacity for s in same_hour) <= 20


def test_after_the_policy_ends_recording_gets_places_again(counters):
    with time_machine.travel(dt.datetime(2020, 4, 5, 7, tzinfo=dt.UTC), tick=False):
        capacity.ensure_slots(counters, AFTER_POLICY)
    assert places(counters, AFTER_POLICY, "ktp-rekam") > 0


def test_the_walk_in_list_offers_only_services_open_at_the_counter(march_2020, counters):
    codes = {s.code for s in capacity.counter_services(counters, MONDAY)}
    assert codes == {"ambil-dokumen", "legalisir"}


def test_suspending_a_service_cuts_its_places_and_tells_the_booked_citizens(
    march_2020, counters, budi_contact, fake_graph, tasks
):
    slot = Slot.objects.filter(office=counters, day=MONDAY, service__code="ambil-dokumen").first()
    booking = book(slot.pk, nik=NIKS[0], name="Budi", contact=budi_contact)
    tasks()
    policy = ServicePolicy.objects.get(office=counters)
    PolicyRule.objects.filter(policy=policy, service__code="ambil-dokumen").update(
        mode=Mode.SUSPENDED
    )
    capacity.sync_days_ahead(counters)
    capacity.sync_days_ahead(counters)  # idempotent
    tasks()
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    assert "dihentikan sementara" in booking.cancel_reason
    assert places(counters, MONDAY, "ambil-dokumen") == 0
    notices = [t for t in sent_texts(fake_graph) if "dibatalkan" in t]
    assert len(notices) == 1 and "Tanggap darurat" in notices[0]
