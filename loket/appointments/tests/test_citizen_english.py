"""The booking pages and slip speak English to a citizen who chose English in the chat, and
Indonesian to everyone else; the WhatsApp confirmation stays Indonesian (its approved text)."""

import io
import re

import pytest
from django.utils import timezone, translation
from pypdf import PdfReader

from loket.appointments.models import Booking
from loket.appointments.tests.conftest import NIKS
from loket.bot.models import Conversation
from loket.catalog.models import Service
from loket.core.dates import in_indonesian, long_date
from loket.core.links import make_token
from loket.whatsapp.models import OutboundMessage

pytestmark = pytest.mark.django_db

INDONESIAN_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "id-ID,id;q=0.9"}
ENGLISH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}
INDONESIAN_UI = re.compile(
    r"\b(Janji|datang|Pilih|hari|jam|Buat|sisa|Kode|Tunjukkan|Unduh|Ganti|jadwal|Batalkan|"
    r"Tidak|terdaftar|dibatalkan|Nama|lengkap|angka|Maaf|Senin|Selasa|Rabu|Kamis|Jumat|Sabtu|"
    r"Minggu|Desember|Januari|Februari|Maret|Mei|Juni|Juli|Agustus|Oktober)\b"
)


def visible(html: str, *data: str) -> str:
    main = html.split("<main>", 1)[-1].split("</main>", 1)[0]
    for text in data:
        main = main.replace(text, "")
    return re.sub(r"<[^>]+>", " ", main)


def test_an_english_citizen_books_manages_and_downloads_the_slip_in_english(
    client, make_slot, budi_contact
):
    Conversation.objects.create(contact=budi_contact, language="en")
    slot = make_slot(capacity=2, days=2)
    office, service = budi_contact.office, Service.objects.get(code="ambil-dokumen")
    catalog = (office.name, office.address, service.short_name, service.local_name)
    url = f"/janji/{make_token(budi_contact.pk, 'ambil-dokumen', purpose='booking')}/"
    page = client.get(url, **INDONESIAN_BROWSER).content.decode()
    with translation.override("en"):
        day = long_date(slot.starts_at, weekday=True)
    assert day in page and "Choose a day and time" in page and "Book appointment" in page
    assert "2 left" in page
    assert not INDONESIAN_UI.findall(visible(page, *catalog))

    wrong = client.post(url + "pesan/", {"nik": "12", "name": "Budi", "slot": slot.pk})
    assert "The NIK must be 16 digits" in wrong.content.decode()
    response = client.post(url + "pesan/", {"nik": NIKS[0], "name": "Budi", "slot": slot.pk})
    manage = client.get(response["Location"]).content.decode()
    assert "Your appointment" in manage and "booked" in manage and day in manage
    assert not INDONESIAN_UI.findall(visible(manage, *catalog, "Budi"))

    confirmation = OutboundMessage.objects.filter(source="appointments").get()
    assert f"Tanggal: {in_indonesian(timezone.localtime(slot.starts_at), weekday=True)}" in (
        confirmation.preview
    )
    text = PdfReader(io.BytesIO(client.get(response["Location"] + "bukti.pdf").content))
    text = text.pages[0].extract_text()
    assert "APPOINTMENT SLIP" in text and day in text and "Status booked" in text.replace("\n", " ")

    client.post(response["Location"], {"action": "cancel"})
    cancelled = client.get(response["Location"]).content.decode()
    assert "cancelled" in cancelled
    assert Booking.objects.get().status == "cancelled"


def test_the_same_pages_are_indonesian_for_a_citizen_who_did_not_choose_english(
    client, make_slot, budi_contact
):
    make_slot(capacity=2, days=2)
    url = f"/janji/{make_token(budi_contact.pk, 'ambil-dokumen', purpose='booking')}/"
    page = client.get(url, **ENGLISH_BROWSER).content.decode()
    assert "Pilih hari dan jam" in page and "Choose a day" not in page
