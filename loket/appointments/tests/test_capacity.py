import datetime as dt
import sys
import types

import pytest
import time_machine
from django.apps import apps
from django.utils import timezone

from loket.appointments import capacity
from loket.appointments.booking import book
from loket.appointments.models import Booking, CounterConfig, Slot, WaitingRoom
from loket.appointments.tests.conftest import NIKS
from loket.catalog.models import Mode, OfficeClosure, PolicyRule, Service
from loket.conftest import sent_texts

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2020, 3, 23)
FRIDAY = dt.date(2020, 3, 27)
NYEPI = dt.date(2020, 3, 25)


@pytest.fixture
def march_2020():
    with time_machine.travel(dt.datetime(2020, 3, 22, 7, tzinfo=dt.UTC), tick=False):
        yield


def slots_of(office, day, code):
    return list(Slot.objects.filter(office=office, day=day, service__code=code))


def test_capacity_is_counters_times_throughput_bounded_by_the_distanced_room(march_2020, office):
    WaitingRoom.objects.create(office=office, chairs=40, chair_spacing=2, slot_minutes=60)
    legalisir = Service.objects.get(code="legalisir")
    CounterConfig.objects.create(
        office=office, service=legalisir, skill="legalisir", counters=1, minutes_per_person=20
    )
    capacity.ensure_slots(office, MONDAY)
    slots = slots_of(office, MONDAY, "legalisir")
    assert [timezone.localtime(s.starts_at).hour for s in slots] == [8, 9, 10, 11, 13, 14, 15]
    assert {s.capacity for s in slots} == {3}  # 1 counter × 60 / 20 minutes

    CounterConfig.objects.filter(service=legalisir).update(counters=10)
    capacity.ensure_slots(office, MONDAY)
    assert {s.capacity for s in slots_of(office, MONDAY, "legalisir")} == {20}  # 40 chairs / 2


def test_the_room_is_shared_between_services_and_friday_prayer_is_kept_free(march_2020, counters):
    assert WaitingRoom.objects.get(office=counters).people_at_once == 20
    friday = slots_of(counters, FRIDAY, "ambil-dokumen")
    hours = [timezone.localtime(s.starts_at).strftime("%H:%M") for s in friday]
    assert hours == ["08:00", "09:00", "10:00", "13:30", "14:30", "15:30"]
    per_slot = Slot.objects.filter(office=counters, starts_at=friday[0].starts_at)
    assert sum(s.capacity for s in per_slot) <= 20


def test_no_slots_on_weekends_national_holidays_and_closures(march_2020, counters):
    Slot.objects.all().delete()
    OfficeClosure.objects.create(office=counters, date=MONDAY, reason="Cuti bersama")
    saturday = dt.date(2020, 3, 28)
    for day in (saturday, NYEPI, MONDAY):
        capacity.ensure_slots(counters, day)
        assert not Slot.objects.filter(office=counters, day=day).exists()
    capacity.ensure_slots(counters, dt.date(2020, 3, 24))
    assert Slot.objects.filter(office=counters, day=dt.date(2020, 3, 24)).exists()


def test_the_daily_cap_bounds_ktp_recording(march_2020, counters):
    # December 2020: recording open again at the counter, capped per day
    PolicyRule.objects.filter(service__code="ktp-rekam").update(mode=Mode.NORMAL)
    CounterConfig.objects.filter(service__code="ktp-rekam").update(daily_cap=12)
    WaitingRoom.objects.filter(office=counters).update(chairs=200)
    Slot.objects.all().delete()
    capacity.ensure_slots(counters, MONDAY)
    assert sum(s.capacity for s in slots_of(counters, MONDAY, "ktp-rekam")) == 12


def test_counters_open_come_from_the_roster_when_it_has_one(march_2020, counters, monkeypatch):
    """The roster app is built elsewhere: its published function is stood in at the seam."""
    duty = types.ModuleType("loket.roster.duty")
    duty.on_duty_count = lambda office, day, skill: {"pengambilan": 0}.get(skill)
    monkeypatch.setitem(sys.modules, "loket.roster", types.ModuleType("loket.roster"))
    monkeypatch.setitem(sys.modules, "loket.roster.duty", duty)
    real = apps.is_installed
    monkeypatch.setattr(apps, "is_installed", lambda name: name == "loket.roster" or real(name))
    ambil = CounterConfig.objects.get(service__code="ambil-dokumen")
    legalisir = CounterConfig.objects.get(service__code="legalisir")
    assert capacity.counters_open(ambil, MONDAY) == 0  # nobody on duty
    assert capacity.counters_open(legalisir, MONDAY) == legalisir.counters  # no roster: manual


def test_without_a_published_roster_the_manual_number_is_used(counters):
    config = CounterConfig.objects.get(service__code="ambil-dokumen")
    assert capacity.counters_open(config, MONDAY) == config.counters


def test_with_a_published_roster_the_counters_are_the_staff_on_duty(counters):
    from loket.roster.models import Assignment, Employee, RosterDay, RosterPeriod

    config = CounterConfig.objects.get(service__code="ambil-dokumen")
    period = RosterPeriod.objects.create(
        office=config.office, name="Piket", start=MONDAY, end=MONDAY
    )
    day = RosterDay.objects.create(period=period, date=MONDAY)
    for i, mode in enumerate(["office", "office", "wfh"]):
        employee = Employee.objects.create(
            office=config.office, name=f"Petugas {i}", unit="Pelayanan", skills=[config.skill]
        )
        Assignment.objects.create(period=period, employee=employee, date=MONDAY, mode=mode)
    assert capacity.counters_open(config, MONDAY) == config.counters  # a draft does not count
    day.state = RosterDay.State.PUBLISHED
    day.save()
    assert capacity.counters_open(config, MONDAY) == 2


def test_cutting_a_slot_cancels_the_latest_bookings_and_tells_them_with_a_rebook_link(
    make_slot, budi_contact, fake_graph, tasks
):
    slot = make_slot(capacity=3)
    early, middle, late = (
        book(slot.pk, nik=nik, name="Warga", contact=budi_contact) for nik in NIKS[:3]
    )
    tasks()
    cancelled = capacity.cut_capacity(slot, 1, "Petugas berkurang")
    tasks()
    assert [b.pk for b in cancelled] == [late.pk, middle.pk]
    slot.refresh_from_db()
    assert (slot.capacity, slot.booked) == (1, 1)
    assert Booking.objects.get(pk=early.pk).status == "booked"
    notices = [t for t in sent_texts(fake_graph) if "dibatalkan" in t]
    assert len(notices) == 2
    assert "Petugas berkurang" in notices[0]
    assert "/janji/" in notices[0]


def test_outside_the_24h_window_the_cancellation_is_a_template(make_slot, budi_contact, tasks):
    from loket.whatsapp.models import OutboundMessage

    slot = make_slot(capacity=1)
    book(slot.pk, nik=NIKS[0], name="Budi", contact=budi_contact)
    type(budi_contact).objects.filter(pk=budi_contact.pk).update(
        last_inbound_at=timezone.now() - dt.timedelta(days=2)
    )
    capacity.cut_capacity(slot, 0, "Kantor tutup")
    message = OutboundMessage.objects.order_by("-pk").first()
    assert message.kind == "template"
    assert message.body["template"]["name"] == "loket_janji_cancelled"


def test_a_closure_added_later_closes_the_day_on_the_next_sync(march_2020, counters, budi_contact):
    day = dt.date(2020, 3, 24)
    slot = slots_of(counters, day, "ambil-dokumen")[0]
    booking = book(slot.pk, nik=NIKS[0], name="Budi", contact=budi_contact)
    OfficeClosure.objects.create(office=counters, date=day, reason="Disinfeksi gedung")
    capacity.sync_days_ahead(counters)
    capacity.sync_days_ahead(counters)  # idempotent
    booking.refresh_from_db()
    assert booking.status == "cancelled"
    assert booking.cancel_reason == "Disinfeksi gedung"
    assert not Slot.objects.filter(office=counters, day=day, capacity__gt=0).exists()
