import pytest
from django.db import IntegrityError, transaction
from django.db.models import F

from loket.appointments.booking import (
    AlreadyBooked,
    BookingError,
    NotBookable,
    SlotFull,
    book,
    cancel,
    reschedule,
)
from loket.appointments.models import Booking, Slot
from loket.appointments.tests.conftest import NIKS, TNI_POLRI
from loket.conftest import sent_texts
from loket.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_it_books_a_place_and_sends_the_code_on_whatsapp(
    make_slot, budi_contact, fake_graph, tasks
):
    slot = make_slot("ambil-dokumen")
    booking = book(slot.pk, nik="6471 0101 0101 0001", name="Budi", contact=budi_contact)
    tasks()
    slot.refresh_from_db()
    assert slot.booked == 1
    assert booking.nik == "6471010101010001"
    assert Booking.objects.filter(nik_hash=booking.nik_hash).count() == 1
    [text] = sent_texts(fake_graph)
    assert booking.code in text
    assert "/janji-saya/" in text
    assert AuditEntry.objects.filter(action="booking.created", object_id=str(booking.pk)).exists()


def test_the_nik_is_encrypted_at_rest(make_slot, budi_contact):
    from django.db import connection

    booking = book(make_slot().pk, nik=NIKS[0], name="Budi", contact=budi_contact)
    with connection.cursor() as cursor:
        cursor.execute("SELECT nik FROM appointments_booking WHERE id = %s", [booking.pk])
        assert NIKS[0] not in cursor.fetchone()[0]


def test_a_limited_service_is_bookable_only_for_a_listed_purpose(make_slot, budi_contact):
    slot = make_slot("legalisir")
    with pytest.raises(NotBookable, match="TNI/Polri"):
        book(slot.pk, nik=NIKS[0], name="Budi", purpose="Melamar kerja", contact=budi_contact)
    booking = book(slot.pk, nik=NIKS[0], name="Budi", purpose=TNI_POLRI, contact=budi_contact)
    assert booking.purpose == TNI_POLRI


@pytest.mark.parametrize("code", ["ktp-rekam", "akta-lahir"])
def test_suspended_and_online_only_services_are_not_bookable(make_slot, budi_contact, code):
    slot = make_slot(code)
    with pytest.raises(NotBookable):
        book(slot.pk, nik=NIKS[0], name="Budi", contact=budi_contact)
    assert Slot.objects.get(pk=slot.pk).booked == 0


def test_one_active_booking_per_nik_service_and_day(make_slot, budi_contact):
    morning, afternoon = make_slot(hour=9), make_slot(hour=14)
    first = book(morning.pk, nik=NIKS[0], name="Budi", contact=budi_contact)
    with pytest.raises(AlreadyBooked):
        book(afternoon.pk, nik=NIKS[0], name="Budi", contact=budi_contact)
    afternoon.refresh_from_db()
    assert afternoon.booked == 0
    cancel(first)
    book(afternoon.pk, nik=NIKS[0], name="Budi", contact=budi_contact)


def test_a_full_slot_refuses_and_the_counter_matches_the_bookings(make_slot, budi_contact):
    slot = make_slot(capacity=2)
    for nik in NIKS[:2]:
        book(slot.pk, nik=nik, name="Warga", contact=budi_contact)
    with pytest.raises(SlotFull):
        book(slot.pk, nik=NIKS[2], name="Warga", contact=budi_contact)
    slot.refresh_from_db()
    assert slot.booked == slot.capacity == slot.bookings.filter(status="booked").count()


def test_the_database_itself_refuses_more_than_the_capacity(make_slot):
    slot = make_slot(capacity=1)
    Slot.objects.filter(pk=slot.pk).update(booked=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Slot.objects.filter(pk=slot.pk).update(booked=F("booked") + 1)


@pytest.mark.parametrize("nik", ["", "123", "64710101010100011", "abcdefghijklmnop", "0" * 16])
def test_a_wrong_nik_gets_a_clear_message(make_slot, nik):
    with pytest.raises(BookingError, match="16 angka"):
        book(make_slot().pk, nik=nik, name="Budi")


def test_a_past_slot_cannot_be_booked(make_slot):
    with pytest.raises(BookingError, match="lewat"):
        book(make_slot(days=-1).pk, nik=NIKS[0], name="Budi")


def test_rescheduling_takes_the_new_place_before_freeing_the_old(make_slot, budi_contact):
    old, new = make_slot(hour=9), make_slot(hour=10, capacity=1)
    booking = book(old.pk, nik=NIKS[0], name="Budi", contact=budi_contact)
    moved = reschedule(booking, new.pk)
    old.refresh_from_db(), new.refresh_from_db()
    assert (old.booked, new.booked) == (0, 1)
    assert moved.slot_id == new.pk
    other = book(old.pk, nik=NIKS[1], name="Sinta", contact=budi_contact)
    with pytest.raises(SlotFull):
        reschedule(other, new.pk)
    assert Booking.objects.get(pk=other.pk).status == "booked"  # nothing lost
    old.refresh_from_db()
    assert old.booked == 1
