"""An English-language phone (Chromium in en-US) goes through the citizen's pages: everything it
reads is Indonesian; the blank forms come from the bot's answer and the form."""

import datetime as dt
import io
import re

import pytest
from django.utils import timezone
from pypdf import PdfReader

from loket.applications.tests.test_citizen_indonesian import ENGLISH_WORDS

pytestmark = pytest.mark.browser


def test_an_english_phone_reads_indonesian_and_gets_the_blank_forms(live_app, english_page):
    page = english_page
    page.goto(f"{live_app.url}/simulator/?wa_id=6281234567890&name=Budi")
    page.fill("#text", "mau bikin akta kelahiran")
    page.press("#text", "Enter")
    answer = page.locator(".msg.out").filter(has_text="Persyaratan").last
    answer.wait_for()
    form_link = answer.locator("a[href$='/formulir/F-2.01.pdf']").get_attribute("href")
    blank = page.request.get(form_link)
    assert blank.headers["content-type"] == "application/pdf"
    assert (
        "Pelaporan Pencatatan Sipil" in PdfReader(io.BytesIO(blank.body())).pages[0].extract_text()
    )

    answer.locator("a[href*='/l/']").click()
    page.locator("h1").filter(has_text="Pencatatan kelahiran").wait_for()
    assert page.locator("a:has-text('Unduh formulir kosong F-2.03 (PDF)')").count() == 1
    page.click("button:has-text('Kirim permohonan')")
    page.locator("#problems").wait_for()
    text = page.locator("main").inner_text()
    assert "Bidang ini tidak boleh kosong." in text
    assert not ENGLISH_WORDS.search(text), ENGLISH_WORDS.search(text)

    page.fill("#id_x_child_birth_date", "2030-01-01")
    page.click("button:has-text('Simpan draf')")
    error = page.locator(".f.bad").filter(has_text="Tanggal lahir anak").inner_text()
    assert re.search(r"tidak boleh setelah hari ini \(\d+ \w+ \d{4}\)", error)
    assert not ENGLISH_WORDS.search(error)

    response = page.goto(f"{live_app.url}/tidak-ada/")
    assert response.status == 404
    assert "Halaman tidak ditemukan" in page.locator("h1").inner_text()


def test_the_booking_confirmation_on_whatsapp_has_an_indonesian_date(live_app, english_page):
    from loket.appointments import demo
    from loket.appointments.models import Slot
    from loket.appointments.tests.conftest import open_slot
    from loket.core.dates import in_indonesian

    demo.seed(live_app.office)
    Slot.objects.all().delete()
    day = timezone.localdate() + dt.timedelta(days=2)
    slot = open_slot(live_app.office, "ambil-dokumen", day, 10)
    page = english_page
    chat = f"{live_app.url}/simulator/?wa_id=6281234567890&name=Budi"
    page.goto(chat)
    page.fill("#text", "mau ambil dokumen yang sudah jadi")
    page.press("#text", "Enter")
    reply = page.locator(".msg.out").filter(has_text="Buat janji datang ke loket").last
    reply.locator(f"a[href^='{live_app.url}/janji/']").click()
    page.wait_for_url(f"{live_app.url}/janji/**")
    assert in_indonesian(day, weekday=True) in page.locator("main").inner_text()
    page.fill("#nik", "6471010101010001")
    page.fill("#name", "Budi Santoso")
    page.check(f"input[name=slot][value='{slot.pk}']")
    page.click("button:has-text('Buat janji')")
    code = page.locator("#code").inner_text()
    assert not ENGLISH_WORDS.search(page.locator("main").inner_text())

    page.goto(chat)
    confirmation = page.locator(".msg.out").filter(has_text=code).last
    confirmation.wait_for()
    assert f"Tanggal: {in_indonesian(day, weekday=True)}" in confirmation.inner_text()
