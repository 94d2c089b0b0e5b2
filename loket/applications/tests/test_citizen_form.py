"""The citizen's form behind the personal link: validation, drafts, uploads, submission."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from loket.applications.models import Application, Document, State
from loket.applications.tests.conftest import (
    BUDI_KK,
    BUDI_NIK,
    akta_form,
    jpeg_bytes,
    link_path,
    photo,
)
from loket.catalog.models import Mode, PolicyRule
from loket.core.crypto import lookup_hash

pytestmark = pytest.mark.django_db


def test_it_shows_the_form_with_the_kelurahan_of_the_city_and_one_upload_per_requirement(
    client, contact
):
    html = client.get(link_path(contact)).content.decode()
    assert "Pencatatan kelahiran" in html
    assert "Tanggap darurat COVID-19" in html
    assert "Kecamatan Balikpapan Selatan" in html and "Sepinggan" in html
    assert "Nama anak" in html and "Nama ibu" in html
    assert "Surat keterangan kelahiran dari faskes" in html
    assert html.count('type="file"') == 6
    assert "Yang masih perlu dilengkapi" in html


def test_it_explains_each_problem_next_to_the_field_and_keeps_what_was_typed(client, contact):
    form = akta_form(nik="6471050000900000", kk="12345", name="<b>Budi</b>")
    for index in range(5):
        form.pop(f"doc_{index}")
    html = client.post(link_path(contact), form).content.decode()
    assert "Belum bisa dikirim" in html
    assert "Tanggal lahir di dalam NIK" in html
    assert "Empat digit terakhir NIK tidak boleh 0000" in html
    assert "Nomor KK harus 16 digit angka." in html
    assert "&lt;b&gt;Budi&lt;/b&gt;" in html and "<b>Budi</b>" not in html
    draft = Application.objects.get(contact=contact)
    assert draft.state == State.DRAFT
    assert draft.nik == "6471050000900000"
    assert draft.data["x_child_name"] == "Ayu Santoso"
    again = client.get(link_path(contact)).content.decode()
    assert 'value="6471************"' in again and "Ayu Santoso" in again  # never in full
    assert "6471050000900000" not in again


def test_an_unknown_region_and_a_different_birth_date_are_warnings_not_errors(
    client, contact, fake_graph
):
    nik = "6499051203900001"  # region 64.99 does not exist (any more)
    response = client.post(link_path(contact), akta_form(nik=nik, birth_date="1990-03-13"))
    assert response.status_code == 302
    application = Application.objects.get(contact=contact)
    assert application.state == State.SUBMITTED


def test_the_warnings_are_shown_on_a_saved_draft(client, contact):
    form = akta_form(nik="6499051203900001", birth_date="1990-03-13", action="save")
    html = client.post(link_path(contact), form).content.decode()
    assert "kode lama sebelum pemekaran" in html
    assert "Tanggal lahir di NIK adalah 12-03-1990" in html
    assert "Draf tersimpan" in html


def test_it_refuses_to_submit_while_a_required_upload_is_missing(client, contact):
    form = akta_form()
    form.pop("doc_3")
    html = client.post(link_path(contact), form).content.decode()
    assert "Belum bisa dikirim" in html
    assert "☐ Unggah: KK tempat anak didaftarkan" in html
    assert html.count("Dokumen ini wajib diunggah sebelum dikirim.") == 1
    application = Application.objects.get(contact=contact)
    assert application.state == State.DRAFT
    assert application.documents.count() == 4  # the others are kept
    response = client.post(link_path(contact), {**akta_form(), **{"doc_3": photo()}})
    assert response.status_code == 302


def test_nik_and_kk_are_encrypted_at_rest_with_a_lookup_hash(client, contact, fake_graph):
    from django.db import connection

    client.post(link_path(contact), akta_form())
    with connection.cursor() as cursor:
        cursor.execute("SELECT nik, kk, nik_hash FROM applications_application")
        nik, kk, nik_hash = cursor.fetchone()
    assert BUDI_NIK not in nik and BUDI_KK not in kk
    assert nik_hash == lookup_hash(BUDI_NIK)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("akta.pdf", b"MZ\x90\x00" + b"\x00" * 200, "berkas program"),
        ("foto.jpg", b"<html><script>alert(1)</script></html>", "Jenis berkas tidak didukung"),
        ("foto.jpg", b"\xff\xd8\xff\xe0" + b"garbage" * 20, "Foto tidak bisa dibaca"),
        ("x.pdf", b"%PDF-1.4 /JavaScript (app.alert(1))\n%%EOF", "berisi program"),
        ("empty.pdf", b"", "Berkas kosong"),
    ],
)
def test_bad_files_get_a_clear_message_and_leave_the_stored_one_intact(
    client, contact, name, content, message
):
    client.post(link_path(contact), {**akta_form(action="save")})
    before = Document.objects.get(requirement_index=0)
    bad = SimpleUploadedFile(name, content, content_type="application/pdf")
    form = {k: v for k, v in akta_form(action="save").items() if not k.startswith("doc_")}
    html = client.post(link_path(contact), {**form, "doc_0": bad}).content.decode()
    assert message in html
    after = Document.objects.get(requirement_index=0)
    assert after.pk == before.pk and after.read() == before.read()


def test_a_file_over_10_mb_is_refused(client, contact, settings):
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024 + 10))
    form = {k: v for k, v in akta_form(action="save").items() if not k.startswith("doc_")}
    html = client.post(link_path(contact), {**form, "doc_0": big}).content.decode()
    assert "Berkas terlalu besar" in html
    assert not Document.objects.exists()


def test_phone_photos_are_shrunk_stripped_of_exif_and_encrypted(client, contact, settings):
    import io

    from PIL import Image

    raw = jpeg_bytes(size=(4000, 3000), exif_gps=True)
    assert Image.open(io.BytesIO(raw)).getexif()
    upload = SimpleUploadedFile("IMG_2020.jpg", raw, content_type="image/jpeg")
    form = {k: v for k, v in akta_form(action="save").items() if not k.startswith("doc_")}
    client.post(link_path(contact), {**form, "doc_1": upload})
    document = Document.objects.get(requirement_index=1)
    stored = (settings.MEDIA_ROOT / document.storage_name).read_bytes()
    assert not stored.startswith(b"\xff\xd8")  # encrypted on disk
    image = Image.open(io.BytesIO(document.read()))
    assert max(image.size) == 2000
    assert not image.getexif()


def test_a_double_click_on_submit_makes_one_application_and_one_message(
    client, contact, fake_graph, tasks
):
    first = client.post(link_path(contact), akta_form())
    second = client.post(link_path(contact), akta_form())
    assert first.status_code == 302
    assert second.status_code == 200 and "Permohonan terkirim" in second.content.decode()
    application = Application.objects.get(contact=contact)
    assert application.events.count() == 1
    tasks()
    texts = [m["text"]["body"] for m in fake_graph.messages() if m["type"] == "text"]
    assert len(texts) == 1 and application.ticket in texts[0]


def test_the_receipt_shows_a_readable_ticket_and_a_pdf_with_a_qr_code(client, submitted):
    token = link_path(submitted.contact).split("/")[2]
    html = client.get(link_path(submitted.contact)).content.decode()
    assert re.fullmatch(r"BPN-[2-9A-HJ-KM-NP-Z]{3}-[2-9A-HJ-KM-NP-Z]{3}", submitted.ticket)
    assert submitted.ticket in html and "WITA" in html
    response = client.get(f"/l/{token}/tanda-terima.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_purpose_is_asked_when_the_policy_limits_the_service(client, contact, office):
    PolicyRule.objects.filter(service__code="akta-lahir").update(
        mode=Mode.LIMITED, purposes=["Pendaftaran calon anggota TNI/Polri"]
    )
    html = client.get(link_path(contact)).content.decode()
    assert "Keperluan" in html and "Pendaftaran calon anggota TNI/Polri" in html


def test_ktp_replacement_requires_the_document_of_the_chosen_reason(client, contact):
    form = {
        k: v
        for k, v in akta_form(x_reason="hilang").items()
        if not k.startswith(("doc_", "x_child", "x_father", "x_mother"))
    }
    html = client.post(link_path(contact, "ktp-ganti"), form).content.decode()
    assert "☐ Unggah: Hilang: Surat Keterangan Kehilangan" in html
    assert "Unggah: Rusak" not in html


def test_a_suspended_service_shows_the_information_page_without_a_form(client, contact):
    html = client.get(link_path(contact, "ktp-cetak")).content.decode()
    assert "Dihentikan sementara" in html
    assert "belum bisa diajukan online" in html
    assert 'type="file"' not in html


def test_a_service_that_needs_presence_says_so_instead_of_a_form(client, contact):
    html = client.get(link_path(contact, "legalisir")).content.decode()
    assert "memerlukan kehadiran di kantor" in html
    assert 'type="file"' not in html
