"""The check on the pages: the citizen's form (htmx upload, polling until done), the
verifikator's application page and the inbox after attaching a WhatsApp photo."""

import re

import pytest
from django.test import Client

from loket.applications.models import Application, State
from loket.applications.tests.conftest import akta_form, link_path
from loket.core.links import make_token
from loket.core.models import AuditEntry
from loket.doccheck.models import DocumentCheck
from loket.doccheck.tests.conftest import KK_SLOT, generated, other_digits, upload_of

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


def typed_from_kk(**overrides) -> dict:
    """The form as Budi fills it from his KK, NIK digits 13 and 15 mistyped; no uploads."""
    truth = generated("kk")[1]
    form = akta_form(
        nik=other_digits(truth["nik"], (12, 14)),
        kk=truth["kk_number"],
        name=truth["name"],
    )
    for index in range(6):
        form.pop(f"doc_{index}", None)
    form.pop("action")
    form.update(overrides)
    return form


def submitted_form() -> dict:
    """Sent with the KK uploaded earlier: the other required documents (PDFs) and "Kirim"."""
    form = akta_form()
    documents = {f"doc_{i}": form[f"doc_{i}"] for i in (0, 1, 2, 4)}
    return {**typed_from_kk(), **documents, "action": "submit"}


def upload(client, contact, index, kind, degrade=None, capture=None, **typed):
    url = f"{link_path(contact)}unggah/{index}/"
    data = {**typed_from_kk(**typed), f"doc_{index}": upload_of(kind, degrade=degrade)}
    with capture(execute=True):
        return client.post(url, data, **HX)


def poll_url(html: str) -> str:
    return re.search(r'hx-get="([^"]+/periksa/)"', html).group(1)


def test_an_upload_is_checked_in_the_worker_and_the_form_polls_until_the_result(
    client, contact, tasks, django_capture_on_commit_callbacks
):
    response = upload(client, contact, KK_SLOT, "kk", capture=django_capture_on_commit_callbacks)
    html = response.content.decode()
    assert response.status_code == 200 and html.startswith('<div class="doc')
    assert 'id="slot-3"' in html and "Sudah diunggah" in html
    assert 'hx-trigger="every 2s"' in html and "sedang diperiksa otomatis" in html
    assert "<script" not in html  # the CSP allows no inline script: htmx attributes only
    application = Application.objects.get(contact=contact)
    assert application.state == State.DRAFT and application.kk == generated("kk")[1]["kk_number"]

    still = client.get(poll_url(html), **HX).content.decode()
    assert 'hx-trigger="every 2s"' in still  # not done yet: keeps polling
    tasks()
    done = client.get(poll_url(html), **HX).content.decode()
    assert "hx-trigger" not in done  # the last answer stops the polling
    assert "Periksa kembali foto ini" in done and "digit ke-13 dan ke-15" in done
    assert "Anda tetap bisa mengirim" in done

    page = client.get(link_path(contact)).content.decode()  # the whole form shows it too
    assert "digit ke-13 dan ke-15" in page


def test_the_citizen_can_still_submit_with_a_warning(
    client, contact, tasks, fake_graph, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    upload(client, contact, KK_SLOT, "kk", "blur", capture=capture)
    tasks()
    page = client.get(link_path(contact)).content.decode()
    assert "Foto kurang jelas" in page and "coba lagi di tempat terang" in page
    response = client.post(link_path(contact), submitted_form())
    assert response.status_code == 302
    assert Application.objects.get(contact=contact).state == State.SUBMITTED


def test_a_refused_file_is_explained_in_the_slot(
    client, contact, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = f"{link_path(contact)}unggah/{KK_SLOT}/"
    bad = SimpleUploadedFile("kk.jpg", b"MZ\x90\x00 not a photo", content_type="image/jpeg")
    html = client.post(url, {**typed_from_kk(), f"doc_{KK_SLOT}": bad}, **HX).content.decode()
    assert "berkas program" in html and "hx-get" not in html
    assert not DocumentCheck.objects.exists()


def test_the_status_is_only_for_the_citizens_own_link(
    client, contact, office, tasks, django_capture_on_commit_callbacks
):
    from loket.whatsapp.models import Contact

    html = upload(
        client, contact, KK_SLOT, "kk", capture=django_capture_on_commit_callbacks
    ).content.decode()
    document_pk = re.search(r"/berkas/(\d+)/periksa/", html).group(1)
    eko = Contact.objects.create(office=office, wa_id="6289999999999", profile_name="Eko")
    eko_url = f"/l/{make_token(eko.pk, 'akta-lahir')}/berkas/{document_pk}/periksa/"
    assert client.get(eko_url).status_code == 404
    assert client.get(f"/l/rusak/berkas/{document_pk}/periksa/").status_code in (403, 404, 410)
    assert client.post(poll_url(html)).status_code == 405


def test_a_submitted_application_takes_no_more_uploads_here(
    client, contact, fake_graph, django_capture_on_commit_callbacks
):
    assert client.post(link_path(contact), akta_form()).status_code == 302
    response = upload(client, contact, KK_SLOT, "kk", capture=django_capture_on_commit_callbacks)
    assert response.status_code == 409


def test_the_verifikator_sees_the_findings_and_the_text_read_and_the_read_is_audited(
    client, contact, tasks, fake_graph, personas, django_capture_on_commit_callbacks
):
    upload(client, contact, KK_SLOT, "kk", capture=django_capture_on_commit_callbacks)
    assert client.post(link_path(contact), submitted_form()).status_code == 302
    tasks()
    application = Application.objects.get(contact=contact)
    dewi = Client()
    dewi.force_login(personas["dewi"])
    html = dewi.get(f"/staf/permohonan/{application.pk}/").content.decode()
    assert "Pemeriksaan otomatis" in html and "tampak seperti: Kartu Keluarga" in html
    assert "digit ke-13 dan ke-15" in html
    assert "<details><summary>Teks yang terbaca mesin" in html
    assert generated("kk")[1]["kk_number"] in html.split("Teks yang terbaca mesin")[1]
    assert "Hasil mesin, bukan keputusan" in html
    assert AuditEntry.objects.filter(
        action="application.viewed", object_id=str(application.pk), actor=personas["dewi"]
    ).exists()
