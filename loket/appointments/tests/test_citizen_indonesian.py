"""The booking pages and the WhatsApp confirmation speak Indonesian to an English phone."""

import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from loket.applications.tests.test_citizen_indonesian import ENGLISH, ENGLISH_WORDS
from loket.appointments.models import Booking
from loket.appointments.tests.conftest import NIKS
from loket.core.dates import in_indonesian
from loket.core.links import make_token
from loket.whatsapp.models import OutboundMessage

pytestmark = pytest.mark.django_db


def test_an_english_phone_books_and_is_confirmed_in_indonesian(client, make_slot, budi_contact):
    slot = make_slot(capacity=2, days=2)
    url = f"/janji/{make_token(budi_contact.pk, 'ambil-dokumen', purpose='booking')}/"
    page = client.get(url, **ENGLISH).content.decode()
    assert in_indonesian(slot.starts_at, weekday=True) in page
    assert not ENGLISH_WORDS.search(page)

    response = client.post(
        url + "pesan/", {"nik": NIKS[0], "name": "Budi", "slot": slot.pk}, **ENGLISH
    )
    manage = client.get(response["Location"], **ENGLISH).content.decode()
    assert not ENGLISH_WORDS.search(manage)

    confirmation = OutboundMessage.objects.filter(source="appointments").get()
    expected = in_indonesian(timezone.localtime(slot.starts_at), weekday=True)
    assert f"Tanggal: {expected}" in confirmation.preview  # e.g. "Selasa, 1 Desember 2026"
    assert not ENGLISH_WORDS.search(confirmation.preview)

    slip = client.get(response["Location"] + "bukti.pdf", **ENGLISH)
    assert slip["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(slip.content)).pages[0].extract_text()
    booking = Booking.objects.get()
    assert booking.code in text and expected in text
    assert "Jl. Jenderal Sudirman" in text


def test_the_reminder_date_is_indonesian_even_from_an_english_worker(make_slot, budi_contact):
    from django.utils import translation

    from loket.appointments import notify
    from loket.appointments.booking import book

    slot = make_slot(days=1)
    booking = book(slot.pk, nik=NIKS[1], name="Budi", contact=budi_contact)
    with translation.override("en"):
        notify.booking_reminder(booking)
    reminder = OutboundMessage.objects.order_by("-pk").first().preview
    assert in_indonesian(slot.starts_at, weekday=True) in reminder
    assert not ENGLISH_WORDS.search(reminder)
