"""A closure added on /staf/kebijakan/ cancels that day's bookings, after a confirmation."""

import datetime as dt

import pytest
from django.utils import timezone

from loket.appointments import demo
from loket.appointments.booking import book
from loket.appointments.models import Booking, Slot
from loket.appointments.tests.conftest import NIKS, open_slot
from loket.catalog.models import OfficeClosure, PolicyChange
from loket.whatsapp.models import Contact, OutboundMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def booked_day(office):
    """A day three days ahead with three bookings of two citizens (slots made by hand)."""
    demo.seed(office)
    Slot.objects.all().delete()
    day = timezone.localdate() + dt.timedelta(days=3)
    nine, ten = (
        open_slot(office, "ambil-dokumen", day, 9),
        open_slot(office, "ambil-dokumen", day, 10),
    )
    contacts = [
        Contact.objects.create(
            office=office,
            wa_id=f"62812000000{n}",
            profile_name=f"Warga {n}",
            last_inbound_at=timezone.now(),
        )
        for n in range(2)
    ]
    book(nine.pk, nik=NIKS[0], name="Budi", contact=contacts[0])
    book(ten.pk, nik=NIKS[1], name="Sari", contact=contacts[1])
    book(nine.pk, nik=NIKS[2], name="Ani", contact=contacts[1])
    other = open_slot(office, "ambil-dokumen", day + dt.timedelta(days=1), 9)
    book(other.pk, nik=NIKS[3], name="Dedi", contact=contacts[0])  # another day: untouched
    return day, contacts


def sent(contact) -> int:
    return OutboundMessage.objects.filter(contact=contact, source="appointments").count()


def test_a_closure_on_a_booked_day_asks_first_then_cancels_and_notifies_once(
    client, office, personas, booked_day
):
    day, contacts = booked_day
    before = [sent(c) for c in contacts]
    client.force_login(personas["kepala"])
    form = {"date": day.isoformat(), "reason": "Banjir"}
    page = client.post("/staf/kebijakan/tutup/", form).content.decode()
    assert "3 janji temu" in page and "diberi tahu lewat WhatsApp" in page
    assert 'name="confirm" value="1"' in page and "Ya, tutup dan batalkan 3 janji" in page
    assert not OfficeClosure.objects.filter(date=day).exists()  # nothing happened yet
    assert Booking.objects.filter(status="booked").count() == 4
    assert [sent(c) for c in contacts] == before

    done = client.post("/staf/kebijakan/tutup/", {**form, "confirm": "1"}, follow=True)
    assert "3 janji temu dibatalkan; warga diberi tahu lewat WhatsApp." in done.content.decode()
    assert OfficeClosure.objects.get(date=day).reason == "Banjir"
    cancelled = Booking.objects.filter(slot__day=day)
    assert {b.status for b in cancelled} == {"cancelled"}
    assert {b.cancel_reason for b in cancelled} == {"Banjir"}
    assert Booking.objects.get(slot__day=day + dt.timedelta(days=1)).status == "booked"
    assert [sent(c) - b for c, b in zip(contacts, before, strict=True)] == [1, 2]

    again = client.post("/staf/kebijakan/tutup/", {**form, "confirm": "1"}, follow=True)
    assert "sudah tercatat tutup" in again.content.decode()
    assert [sent(c) - b for c, b in zip(contacts, before, strict=True)] == [1, 2]
    assert PolicyChange.objects.filter(action="closure_added").count() == 1


def test_a_closure_without_bookings_needs_no_confirmation(client, office, personas, booked_day):
    day, _ = booked_day
    client.force_login(personas["admin"])
    empty = day + dt.timedelta(days=2)
    done = client.post(
        "/staf/kebijakan/tutup/", {"date": empty.isoformat(), "reason": "Cuti bersama"}, follow=True
    )
    assert f"Kantor tutup {empty:%d-%m-%Y}." in done.content.decode()
    assert OfficeClosure.objects.filter(date=empty).exists()
    assert Booking.objects.filter(status="booked").count() == 4


def test_a_refused_closure_is_refused_before_the_confirmation(client, office, personas, booked_day):
    day, _ = booked_day
    client.force_login(personas["kepala"])
    past = client.post(
        "/staf/kebijakan/tutup/",
        {"date": (timezone.localdate() - dt.timedelta(days=1)).isoformat(), "reason": "x"},
        follow=True,
    ).content.decode()
    assert "Tanggal itu sudah lewat." in past and "closure-confirm" not in past
    asked = client.post("/staf/kebijakan/tutup/", {"date": day.isoformat(), "reason": "Banjir"})
    assert asked.status_code == 200
    client.force_login(personas["sari"])
    forbidden = client.post(
        "/staf/kebijakan/tutup/", {"date": day.isoformat(), "reason": "Banjir", "confirm": "1"}
    )
    assert forbidden.status_code == 403
    assert Booking.objects.filter(status="booked").count() == 4
