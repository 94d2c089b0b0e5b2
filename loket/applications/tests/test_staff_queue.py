"""Round 2 of the staff queue: every state is findable, assignment, overdue alerts, reopening."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from loket.applications.models import State
from loket.core.models import AuditEntry
from loket.whatsapp.models import OutboundMessage

pytestmark = pytest.mark.django_db


def act(client, application, action, **data):
    return client.post(f"/staf/permohonan/{application.pk}/aksi/{action}/", data)


def test_a_finished_or_rejected_ticket_is_found_however_it_is_typed(client, submitted, personas):
    submitted.reject(personas["dewi"], "Bukan warga Kota Balikpapan.")
    client.force_login(personas["sari"])
    assert submitted.ticket not in client.get("/staf/permohonan/").content.decode()
    raw = submitted.ticket.replace("-", "")
    for typed in (submitted.ticket, submitted.ticket.lower(), raw.lower(), " ".join(raw)):
        html = client.get("/staf/permohonan/", {"q": typed}).content.decode()
        assert f">{submitted.ticket}</a>" in html, typed
    by_name = client.get("/staf/permohonan/", {"q": "budi sant", "status": "open"}).content
    assert submitted.ticket in by_name.decode()  # a search ignores the state filter
    everything = client.get("/staf/permohonan/", {"status": "all"}).content.decode()
    assert "Semua status" in everything and submitted.ticket in everything


def test_dewi_takes_an_application_and_finds_it_under_milik_saya(client, submitted, personas):
    client.force_login(personas["dewi"])
    assert submitted.ticket not in client.get("/staf/permohonan/?petugas=saya").content.decode()
    act(client, submitted, "assign", to="me")
    submitted.refresh_from_db()
    assert submitted.assigned_to == personas["dewi"]
    assert submitted.ticket in client.get("/staf/permohonan/?petugas=saya").content.decode()
    assert submitted.ticket not in client.get("/staf/permohonan/?petugas=kosong").content.decode()
    act(client, submitted, "assign", to=str(personas["sari"].pk))
    submitted.refresh_from_db()
    assert submitted.assigned_to == personas["sari"]
    act(client, submitted, "assign", to="")
    submitted.refresh_from_db()
    assert submitted.assigned_to is None
    actions = list(AuditEntry.objects.filter(object_id=str(submitted.pk)).values_list("action"))
    assert actions.count(("application.assigned",)) == 2
    assert ("application.unassigned",) in actions
    # kepala only looks
    client.force_login(personas["kepala"])
    assert act(client, submitted, "assign", to="me").status_code == 403


def test_nobody_outside_the_office_can_be_assigned(client, submitted, personas, django_user_model):
    outsider = django_user_model.objects.create_user("eko", password="x")
    client.force_login(personas["dewi"])
    html = client.post(
        f"/staf/permohonan/{submitted.pk}/aksi/assign/", {"to": str(outsider.pk)}, follow=True
    ).content.decode()
    assert "bukan staf kantor ini" in html
    submitted.refresh_from_db()
    assert submitted.assigned_to is None


def test_overdue_applications_are_counted_in_the_nav_and_listed_first(client, submitted, personas):
    client.force_login(personas["sari"])
    assert 'class="count"' not in client.get("/staf/").content.decode()
    with time_machine.travel(timezone.now() + submitted.sla() + dt.timedelta(hours=1)):
        client.force_login(personas["sari"])  # the idle session has ended meanwhile
        home = client.get("/staf/").content.decode()
        assert 'class="count" title="1 permohonan terlambat">1</span>' in home
        queue = client.get("/staf/permohonan/").content.decode()
        assert "1 permohonan melewati target waktu layanan" in queue
        assert 'class="overdue"' in queue


def test_rejecting_needs_an_explicit_confirmation(client, submitted, personas):
    client.force_login(personas["dewi"])
    html = act(client, submitted, "reject", reason="Bukan warga sini.").content
    submitted.refresh_from_db()
    assert submitted.state == State.SUBMITTED
    page = client.get(f"/staf/permohonan/{submitted.pk}/").content.decode()
    assert "Centang “Saya yakin”" in page and html == b""
    act(client, submitted, "reject", reason="Bukan warga sini.", confirm="1")
    submitted.refresh_from_db()
    assert submitted.state == State.REJECTED


def test_a_rejected_application_is_reopened_with_a_reason_history_and_a_message(
    client, submitted, personas
):
    submitted.reject(personas["dewi"], "KK tidak terbaca.")
    client.force_login(personas["dewi"])
    act(client, submitted, "reopen", reason="")
    submitted.refresh_from_db()
    assert submitted.state == State.REJECTED  # a reason is required
    act(client, submitted, "reopen", reason="Salah tolak: KK terbaca di halaman 2.")
    submitted.refresh_from_db()
    assert submitted.state == State.SUBMITTED and submitted.finished_at is None
    assert submitted.due_at > timezone.now() + submitted.sla() - dt.timedelta(minutes=5)
    last = submitted.events.last()
    assert last.label == "Dibuka kembali, menunggu verifikasi" and last.actor == personas["dewi"]
    assert AuditEntry.objects.filter(action="application.reopened").exists()
    text = OutboundMessage.objects.filter(contact=submitted.contact).last().preview
    assert "dibuka kembali" in text and "Salah tolak" in text and submitted.ticket in text
    with pytest.raises(Exception, match="tidak bisa dibuka kembali"):
        submitted.reopen(personas["dewi"], "lagi")


def test_the_detail_page_speaks_to_staff_with_dates_as_dd_mm_yyyy(client, submitted, personas):
    submitted.data["birth_date"] = "1990-03-13"
    submitted.save()
    client.force_login(personas["dewi"])
    html = client.get(f"/staf/permohonan/{submitted.pk}/").content.decode()
    assert "Balikpapan, 13-03-1990" in html and "1990-03-13" not in html
    assert "Tanggal lahir di NIK 12-03-1990, yang diisi pemohon 13-03-1990" in html
    assert "Periksa kembali NIK Anda" not in html and "20-11-2026" in html  # child's birth date


def test_photos_get_small_thumbnails_through_the_audited_document_view(client, submitted, personas):
    from io import BytesIO

    from PIL import Image

    client.force_login(personas["dewi"])
    photo = submitted.documents.filter(content_type="image/jpeg").first()
    pdf = submitted.documents.filter(content_type="application/pdf").first()
    page = client.get(f"/staf/permohonan/{submitted.pk}/").content.decode()
    assert f'src="/staf/permohonan/{submitted.pk}/berkas/{photo.pk}/?ukuran=kecil"' in page
    assert f"berkas/{pdf.pk}/?ukuran=kecil" not in page  # images only
    small = client.get(f"/staf/permohonan/{submitted.pk}/berkas/{photo.pk}/?ukuran=kecil")
    image = Image.open(BytesIO(small.content))
    assert small["Content-Type"] == "image/jpeg" and max(image.size) <= 240
    assert len(small.content) < photo.size
    logged = AuditEntry.objects.filter(action="application.document_viewed").last()
    assert logged.actor == personas["dewi"] and logged.detail["thumbnail"] is True
    whole = client.get(f"/staf/permohonan/{submitted.pk}/berkas/{pdf.pk}/?ukuran=kecil")
    assert whole["Content-Type"] == "application/pdf"
