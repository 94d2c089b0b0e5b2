"""A citizen who types "english" in the chat reads English pages from their link, whatever the
phone's language; another citizen on an English phone who did not choose reads Indonesian."""

import io
import re

import pytest
from PIL import Image

from loket.applications.tests.test_citizen_indonesian import ENGLISH_WORDS

pytestmark = pytest.mark.browser

INDONESIAN_UI = re.compile(
    r"\b(Kirim|Simpan|Unduh|Riwayat|Permohonan|berlaku|Anda|wajib|Pilih|Bidang|Unggah)\b"
)


@pytest.fixture
def scan(tmp_path):
    buffer = io.BytesIO()
    Image.new("RGB", (300, 400), "white").save(buffer, "PDF")
    path = tmp_path / "surat.pdf"
    path.write_bytes(buffer.getvalue())
    return str(path)


def chat(page, live_app, wa_id: str, name: str) -> None:
    # the first page of a fresh live server can be slow on a busy machine
    page.goto(f"{live_app.url}/simulator/?wa_id={wa_id}&name={name}", timeout=60_000)


def say(page, text: str, answer: str):
    page.fill("#text", text)
    page.press("#text", "Enter")
    reply = page.locator(".msg.out").filter(has_text=answer).last
    reply.wait_for(timeout=60_000)  # the bot answers from the task thread: slow on a busy machine
    return reply


def test_english_chosen_in_the_chat_gives_english_pages_end_to_end(live_app, page, scan):
    """`page` is a phone whose browser speaks Indonesian: the chat's choice wins."""
    chat(page, live_app, "6281234567001", "Sarah")
    say(page, "english", "Please choose the service")
    answer = say(page, "mau bikin akta kelahiran", "personal link")
    answer.locator("a[href*='/l/']").click()
    page.locator("h1").filter(has_text="Birth registration").wait_for()
    assert page.locator("html").get_attribute("lang") == "en"

    page.click("button:has-text('Send application')")
    page.locator("#problems").wait_for()
    main = page.locator("main").inner_text()
    assert "This field is required." in main and "Not sent yet." in main
    assert "Upload: " in main

    page.fill("#id_nik", "6471051203900001")
    page.fill("#id_kk", "6471050101200003")
    page.fill("#id_name", "Sarah Wijaya")
    page.fill("#id_birth_place", "Balikpapan")
    page.fill("#id_birth_date", "1990-03-12")
    page.fill("#id_address", "Jl. Mawar No. 5 RT 12")
    page.select_option("#id_kelurahan", "64.71.05.1002")
    page.fill("#id_x_child_name", "Ayu Wijaya")
    page.select_option("#id_x_child_sex", "P")
    page.fill("#id_x_child_birth_place", "RSUD Balikpapan")
    page.fill("#id_x_child_birth_date", "2030-01-01")
    page.fill("#id_x_mother_name", "Sarah Wijaya")
    for index in range(5):
        page.set_input_files(f"#id_doc_{index}", scan)
    page.click("button:has-text('Send application')")
    error = page.locator(".f.bad").filter(has_text="Child's date of birth").inner_text()
    assert re.search(r"cannot be later than today \(\d+ [A-Z][a-z]+ \d{4}\)", error)
    page.fill("#id_x_child_birth_date", "2026-01-20")
    page.click("button:has-text('Send application')")

    page.locator("h1").filter(has_text="Application sent").wait_for()
    receipt = page.locator("main").inner_text()
    assert "Your ticket number:" in receipt and "Received, waiting to be checked" in receipt
    assert "History" in receipt and not INDONESIAN_UI.search(receipt), INDONESIAN_UI.search(receipt)
    pdf = page.request.get(
        live_app.url
        + page.locator("a:has-text('Download the receipt (PDF)')").get_attribute("href")
    )
    from pypdf import PdfReader

    text = PdfReader(io.BytesIO(pdf.body())).pages[0].extract_text()
    assert "RECEIPT FOR AN ONLINE APPLICATION" in text
    page.reload()  # the link now opens the receipt, still in English
    page.locator("h1").filter(has_text="Application sent").wait_for()


def test_an_english_phone_that_did_not_choose_english_reads_indonesian(live_app, english_page):
    page = english_page
    chat(page, live_app, "6281234567002", "Budi")
    answer = say(page, "mau bikin akta kelahiran", "Persyaratan")
    answer.locator("a[href*='/l/']").click()
    page.locator("h1").filter(has_text="Pencatatan kelahiran").wait_for()
    assert page.locator("html").get_attribute("lang") == "id"
    page.click("button:has-text('Kirim permohonan')")
    page.locator("#problems").wait_for()
    main = page.locator("main").inner_text()
    assert "Bidang ini tidak boleh kosong." in main and "Send application" not in main
    assert not ENGLISH_WORDS.search(main)
