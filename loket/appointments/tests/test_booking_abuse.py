"""A booking link cannot be abused: few bookings per number, its own office only, CSRF on."""

import json

import pytest
from django.test import Client

from loket.appointments.models import Booking
from loket.appointments.tests.conftest import NIKS, open_slot
from loket.catalog.models import Office
from loket.core.links import make_token

pytestmark = pytest.mark.django_db


def book_url(contact, code: str = "ambil-dokumen") -> str:
    return f"/janji/{make_token(contact.pk, code, purpose='booking')}/pesan/"


def post_json(client, url: str, nik: str, slot) -> "object":
    body = json.dumps({"nik": nik, "name": "Warga", "slot": slot.pk})
    return client.post(url, body, content_type="application/json")


def test_one_link_cannot_book_without_limit_with_invented_niks(
    client, make_slot, budi_contact, settings
):
    slot = make_slot(capacity=50)
    url = book_url(budi_contact)
    statuses = [post_json(client, url, nik, slot).status_code for nik in NIKS[:10]]
    assert statuses == [201] * settings.LOKET_BOOKING_MAX_ACTIVE + [429] * (
        10 - settings.LOKET_BOOKING_MAX_ACTIVE
    )
    assert Booking.objects.count() == settings.LOKET_BOOKING_MAX_ACTIVE
    refused = post_json(client, url, NIKS[20], slot).json()
    assert refused["error"] == "limit"
    assert "terlalu banyak janji" in refused["message"]


def test_cancelling_and_booking_again_is_also_limited_per_day(
    client, make_slot, budi_contact, settings
):
    from loket.appointments import booking as domain

    settings.LOKET_BOOKING_MAX_PER_DAY = 4
    slot = make_slot(capacity=50)
    url = book_url(budi_contact)
    for nik in NIKS[:4]:
        assert post_json(client, url, nik, slot).status_code == 201
        domain.cancel(Booking.objects.get(nik_hash=Booking.objects.latest("pk").nik_hash))
    assert post_json(client, url, NIKS[5], slot).status_code == 429


def test_a_slot_of_another_office_cannot_be_booked_from_the_link(client, counters, budi_contact):
    import datetime as dt

    from django.utils import timezone

    other = Office.objects.create(
        name="Disdukcapil Lain", slug="lain", region_code="64.72", city_name="Samarinda"
    )
    foreign = open_slot(other, "ambil-dokumen", timezone.localdate() + dt.timedelta(days=1), 10)
    response = post_json(client, book_url(budi_contact), NIKS[0], foreign)
    assert response.status_code == 400
    assert not Booking.objects.exists()
    form = client.post(book_url(budi_contact), {"nik": NIKS[0], "name": "X", "slot": foreign.pk})
    assert form.status_code == 400
    assert "Sesi tidak ditemukan" in form.content.decode()


def test_the_booking_form_needs_its_csrf_token(make_slot, budi_contact):
    slot = make_slot()
    browser = Client(enforce_csrf_checks=True)
    url = book_url(budi_contact)
    forged = browser.post(url, {"nik": NIKS[0], "name": "Budi", "slot": slot.pk})
    assert forged.status_code == 403
    page = browser.get(url.removesuffix("pesan/")).content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    data = {"nik": NIKS[0], "name": "Budi", "slot": slot.pk, "csrfmiddlewaretoken": token}
    assert browser.post(url, data).status_code == 302
    assert Booking.objects.count() == 1
