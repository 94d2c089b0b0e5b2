"""The whole journey in Chromium: WhatsApp simulator -> form -> receipt -> staff -> correction
-> finished PDF, with every message arriving in the simulator."""

import io
import re

import pytest
from PIL import Image

from loket.conftest import staff_login

pytestmark = pytest.mark.browser


@pytest.fixture
def files(tmp_path):
    photo = tmp_path / "kk.jpg"
    Image.new("RGB", (3000, 2000), (120, 160, 200)).save(photo, "JPEG", quality=90)
    buffer = io.BytesIO()
    Image.new("RGB", (300, 400), "white").save(buffer, "PDF")
    pdf = tmp_path / "surat.pdf"
    pdf.write_bytes(buffer.getvalue())
    return {"photo": str(photo), "pdf": str(pdf)}


@pytest.fixture
def dewi(live_app):
    from django.contrib.auth import get_user_model

    from loket.staff.models import Role, StaffMember

    user = get_user_model().objects.create_user("dewi", password="rahasia-123", first_name="Dewi")
    StaffMember.objects.create(user=user, office=live_app.office, role=Role.VERIFIKATOR)
    return user


def open_simulator(page, live_app):
    page.goto(f"{live_app.url}/simulator/?wa_id=6281234567890&name=Budi")


def wait_for_message(page, text: str):
    message = page.locator(".msg.out").filter(has_text=text).last
    message.wait_for()
    return message


def test_budi_applies_online_dewi_asks_a_correction_and_sends_the_finished_akta(
    live_app, page, files, dewi
):
    open_simulator(page, live_app)
    page.fill("#text", "mau bikin akta kelahiran")
    page.press("#text", "Enter")
    link = wait_for_message(page, "Persyaratan").locator("a[href*='/l/']")
    link.click()

    page.locator("h1").filter(has_text="Pencatatan kelahiran").wait_for()
    page.fill("#id_nik", "6471051203900001")
    page.fill("#id_kk", "6471050101200003")
    page.fill("#id_name", "Budi Santoso")
    page.fill("#id_birth_place", "Balikpapan")
    page.fill("#id_birth_date", "1990-03-12")
    page.fill("#id_address", "Jl. Mawar No. 5 RT 12")
    page.select_option("#id_kelurahan", "64.71.05.1002")
    page.fill("#id_x_child_name", "Ayu Santoso")
    page.select_option("#id_x_child_sex", "P")
    page.fill("#id_x_child_birth_place", "RSUD Balikpapan")
    page.fill("#id_x_child_birth_date", "2026-11-20")
    page.fill("#id_x_mother_name", "Siti Aminah")
    for index in (0, 1, 2, 4):
        page.set_input_files(f"#id_doc_{index}", files["pdf"])
    page.click("button:has-text('Kirim permohonan')")
    # the KK photo is missing: nothing is lost, the checklist says what to add
    page.locator("#problems").wait_for()
    assert "Unggah: KK tempat anak didaftarkan" in page.locator(".check").inner_text()
    assert page.input_value("#id_x_child_name") == "Ayu Santoso"
    page.set_input_files("#id_doc_3", files["photo"])
    page.click("button:has-text('Kirim permohonan')")

    ticket = page.locator(".ticket").inner_text().strip()
    assert re.fullmatch(r"BPN-\w{3}-\w{3}", ticket)
    assert "WITA" in page.locator("#receipt").inner_text()

    open_simulator(page, live_app)
    wait_for_message(page, f"Nomor tiket: {ticket}")  # shown bold, as WhatsApp does

    staff_login(page, live_app.url, "dewi")
    page.goto(f"{live_app.url}/staf/permohonan/")
    page.click(f"a:has-text('{ticket}')")
    page.click("button:has-text('Verifikasi')")
    page.locator(".badge").filter(has_text="terverifikasi").wait_for()
    page.fill("#note", "Foto KK terpotong, mohon foto ulang seluruh halaman.")
    page.click("button:has-text('Minta perbaikan')")
    page.locator(".badge").filter(has_text="Perlu perbaikan").wait_for()

    open_simulator(page, live_app)
    wait_for_message(page, "terverifikasi")
    correction = wait_for_message(page, "Foto KK terpotong")
    correction.locator("a[href*='/l/']").click()
    assert "Foto KK terpotong" in page.locator("#correction").inner_text()
    assert page.input_value("#id_name") == "Budi Santoso"
    page.set_input_files("#id_doc_3", files["photo"])
    page.click("button:has-text('Kirim perbaikan')")
    page.locator("#receipt").wait_for()
    assert ticket in page.locator(".ticket").inner_text()

    page.goto(f"{live_app.url}/staf/permohonan/?q={ticket}")
    page.click(f"a:has-text('{ticket}')")
    page.click("button:has-text('Verifikasi')")
    page.locator(".badge").filter(has_text="terverifikasi").wait_for()
    page.set_input_files("#pdf", files["pdf"])
    page.click("button:has-text('Selesaikan')")
    page.locator(".badge").filter(has_text="dokumen dikirim").wait_for()

    open_simulator(page, live_app)
    wait_for_message(page, "Perbaikan permohonan")
    finished = wait_for_message(page, "sudah selesai")
    pin_text = wait_for_message(page, "PIN dokumen").inner_text()
    pin = re.search(r"\b(\d{6})\b", pin_text).group(1)
    finished.locator("a[href*='/l/']").click()
    page.locator("#pin-form").wait_for()  # the link alone opens nothing
    page.fill("#pin", "000000" if pin != "000000" else "111111")
    page.click("button:has-text('Unduh dokumen')")
    assert "PIN salah" in page.locator("#pin-error").inner_text()
    page.fill("#pin", pin)
    with page.expect_download() as download:
        page.click("button:has-text('Unduh dokumen')")
    assert download.value.suggested_filename.endswith(".pdf")

    page.goto(f"{live_app.url}/cek/{ticket}/")
    status = page.locator("#status").inner_text()
    assert "Selesai" in status and "Budi" not in status


def test_what_was_typed_survives_a_dropped_connection(live_app, page):
    from loket.applications.models import Application
    from loket.core.links import make_token
    from loket.whatsapp.models import Contact

    contact = Contact.objects.create(office=live_app.office, wa_id="6281300", profile_name="Rina")
    link = f"{live_app.url}/l/{make_token(contact.pk, 'akta-lahir')}/"
    page.goto(link)
    page.fill("#id_name", "Rina Wulandari")
    page.fill("#id_x_child_name", "Bayu")
    page.context.set_offline(True)
    with pytest.raises(Exception):  # the phone lost its signal: the POST never arrives
        page.click("button:has-text('Simpan draf')")
        page.wait_for_url("**/never/", timeout=2000)
    page.context.set_offline(False)
    assert not Application.objects.filter(contact=contact).exists()  # nothing on the server
    page.goto(link)
    assert page.input_value("#id_name") == "Rina Wulandari"
    assert page.input_value("#id_x_child_name") == "Bayu"
    page.click("button:has-text('Simpan draf')")
    page.locator("#saved").wait_for()
    assert page.evaluate("localStorage.length") == 0  # the server has it now
