"""The staff back-office: queue, detail, guarded actions, notifications, audit, office walls."""

import datetime as dt
import json
import re
from urllib.parse import urlsplit

import pytest
import time_machine
from django.utils import timezone

from loket.applications.models import Application, State
from loket.applications.status import summaries_for_contact
from loket.applications.tests.conftest import BUDI_NIK, akta_form, link_path, pdf_bytes
from loket.applications.workflow import TransitionError
from loket.catalog.models import Office, Service
from loket.core.models import AuditEntry
from loket.staff.models import Role, StaffMember
from loket.whatsapp.models import Contact, OutboundMessage

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def act(client, application, action, **data):
    return client.post(f"/staf/permohonan/{application.pk}/aksi/{action}/", data)


def texts_to(contact) -> list[str]:
    return list(
        OutboundMessage.objects.filter(contact=contact)
        .order_by("id")
        .values_list("preview", flat=True)
    )


def test_dewi_verifies_asks_for_a_correction_and_budi_fixes_it_from_his_link(
    client, submitted, personas
):
    login(client, personas["dewi"])
    assert act(client, submitted, "verify").status_code == 302
    submitted.refresh_from_db()
    assert submitted.state == State.VERIFIED
    act(client, submitted, "correction", note="Foto KK buram, mohon foto ulang.")
    submitted.refresh_from_db()
    assert submitted.state == State.CORRECTION_REQUESTED
    message = texts_to(submitted.contact)[-1]
    assert "Foto KK buram" in message and "/l/" in message

    client.logout()
    link = "/l/" + message.split("/l/")[1].split()[0]
    html = client.get(link).content.decode()
    assert "Perlu perbaikan" in html and "Foto KK buram" in html
    assert 'value="Ayu Santoso"' in html  # the data is kept
    form = {k: v for k, v in akta_form().items() if not k.startswith("doc_")}
    assert client.post(link, form).status_code == 302
    submitted.refresh_from_db()
    assert submitted.state == State.RESUBMITTED
    labels = [e.label for e in submitted.events.all()]
    assert labels == [
        State.SUBMITTED.label,
        State.VERIFIED.label,
        State.CORRECTION_REQUESTED.label,
        State.RESUBMITTED.label,
    ]
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"application.verified", "application.correction_requested"} <= actions
    verified = AuditEntry.objects.get(action="application.verified")
    assert verified.actor == personas["dewi"] and verified.ip_address == "127.0.0.1"


def test_finishing_with_a_pdf_sends_the_link_and_the_pin_apart_and_the_pin_opens_it(
    client, submitted, personas, fake_graph, tasks
):
    login(client, personas["dewi"])
    act(client, submitted, "verify")
    act(client, submitted, "process")
    from django.core.files.uploadedfile import SimpleUploadedFile

    akta = pdf_bytes()
    output = SimpleUploadedFile("akta.pdf", akta, content_type="application/pdf")
    act(client, submitted, "finish", pdf=output)
    submitted.refresh_from_db()
    assert submitted.state == State.FINISHED and submitted.finished_at
    tasks()
    texts = [m["text"]["body"] for m in fake_graph.messages() if m["type"] == "text"]
    finished = next(t for t in texts if "sudah selesai" in t)
    pin_message = next(t for t in texts if t.startswith("PIN dokumen"))
    pin = re.search(r"\b(\d{6})\b", pin_message).group(1)
    assert pin not in finished and "/l/" not in pin_message  # two separate messages
    assert not [m for m in fake_graph.messages() if m["type"] == "document"]
    document = submitted.output_document()
    assert document.pin_hash and pin not in document.pin_hash  # stored hashed
    path = urlsplit(re.search(r"https?://\S+", finished).group(0)).path
    client.logout()
    page = client.get(path)
    assert page.status_code == 200 and akta not in page.content and b'name="pin"' in page.content
    wrong = "000000" if pin != "000000" else "111111"
    refused = client.post(path, {"pin": wrong})
    assert refused.status_code == 403 and b"PIN salah" in refused.content
    response = client.post(path, {"pin": pin})
    assert response.status_code == 200 and response.content == akta
    assert "no-store" in response["Cache-Control"]


def test_ready_for_pickup_tells_the_citizen_where_to_go(client, submitted, personas):
    login(client, personas["sari"])
    act(client, submitted, "verify")  # sari is an operator: not allowed
    submitted.refresh_from_db()
    assert submitted.state == State.SUBMITTED
    submitted.verify(personas["dewi"])
    act(client, submitted, "finish", pickup="Ambil di loket 3, Senin-Jumat 08.00-12.00.")
    submitted.refresh_from_db()
    assert submitted.state == State.READY_FOR_PICKUP
    assert "loket 3" in texts_to(submitted.contact)[-1]


def test_outside_the_24_hour_window_the_citizen_gets_an_approved_template(
    client, submitted, personas, settings
):
    Contact.objects.filter(pk=submitted.contact_id).update(
        last_inbound_at=timezone.now() - dt.timedelta(days=2)
    )
    settings.LOKET_APPLICATION_TEMPLATES = {
        "verified": {"name": "status_berkas", "language": "id", "parameters": ["ticket", "state"]}
    }
    submitted.verify(personas["dewi"])
    message = OutboundMessage.objects.filter(contact=submitted.contact).last()
    assert message.kind == "template"
    template = message.body["template"]
    assert template["name"] == "status_berkas"
    params = [p["text"] for p in template["components"][0]["parameters"]]
    assert params == [submitted.ticket, State.VERIFIED.label]


def test_state_changes_are_guarded(submitted, personas):
    with pytest.raises(TransitionError):
        submitted.start_processing(personas["dewi"])  # not verified yet
    with pytest.raises(TransitionError):
        submitted.request_correction(personas["dewi"], "  ")
    submitted.reject(personas["dewi"], "Bukan warga Kota Balikpapan.")
    with pytest.raises(TransitionError):
        submitted.verify(personas["dewi"])
    assert submitted.submit() is False  # a rejected application cannot be resent


def test_kepala_sees_but_cannot_act(client, submitted, personas):
    login(client, personas["kepala"])
    assert client.get(f"/staf/permohonan/{submitted.pk}/").status_code == 200
    assert act(client, submitted, "verify").status_code == 403
    submitted.refresh_from_db()
    assert submitted.state == State.SUBMITTED


@pytest.fixture
def eko(office):
    """Eko works at another office."""
    from django.contrib.auth import get_user_model

    other = Office.objects.create(
        name="Disdukcapil Kota Samarinda",
        slug="smd",
        region_code="64.72",
        city_name="Kota Samarinda",
    )
    user = get_user_model().objects.create_user("eko", password="rahasia-123")
    StaffMember.objects.create(user=user, office=other, role=Role.ADMIN)
    return user


def test_staff_of_another_office_see_nothing_of_ours(client, submitted, eko):
    login(client, eko)
    assert submitted.ticket not in client.get("/staf/permohonan/").content.decode()
    assert client.get(f"/staf/permohonan/{submitted.pk}/").status_code == 404
    document = submitted.documents.first()
    assert client.get(f"/staf/permohonan/{submitted.pk}/berkas/{document.pk}/").status_code == 404
    assert act(client, submitted, "reject", reason="x").status_code == 404


def test_the_queue_masks_nik_finds_by_nik_and_puts_overdue_first(
    client, contact, office, personas, fake_graph, django_assert_max_num_queries
):
    service = Service.objects.get(code="akta-lahir")
    with time_machine.travel(timezone.now() - dt.timedelta(days=5)):
        old = Application.objects.create(
            office=office,
            contact=contact,
            service=service,
            name="Lama",
            state=State.SUBMITTED,
            ticket="BPN-AAA-AAA",
        )
        old.set_nik("6471051203900009")
        old.submitted_at = timezone.now()
        old.due_at = old.submitted_at + old.sla()
        old.save()
    for i in range(20):
        app = Application.objects.create(
            office=office,
            contact=contact,
            service=service,
            name=f"Warga {i}",
            state=State.SUBMITTED,
            ticket=f"BPN-BBB-{i:03d}",
            submitted_at=timezone.now(),
            due_at=timezone.now() + dt.timedelta(hours=72),
        )
        app.set_nik(BUDI_NIK)
        app.save()
    login(client, personas["dewi"])
    with django_assert_max_num_queries(8):
        html = client.get("/staf/permohonan/").content.decode()
    assert html.index("BPN-AAA-AAA") < html.index("BPN-BBB-000")
    assert "terlambat" in html
    assert "6471************" in html and BUDI_NIK not in html
    found = client.get("/staf/permohonan/", {"q": "6471 0512 0390 0009"}).content.decode()
    assert "BPN-AAA-AAA" in found and "BPN-BBB-001" not in found
    by_name = client.get("/staf/permohonan/", {"q": "warga 1"}).content.decode()
    assert "BPN-BBB-001" in by_name and "BPN-AAA-AAA" not in by_name
    by_ticket = client.get("/staf/permohonan/", {"q": "bpn aaa aaa"}).content.decode()
    assert "BPN-AAA-AAA" in by_ticket


def test_viewing_the_full_nik_or_a_document_is_logged(client, submitted, personas):
    login(client, personas["dewi"])
    html = client.get(f"/staf/permohonan/{submitted.pk}/").content.decode()
    assert BUDI_NIK not in html and "6471************" in html
    html = client.get(f"/staf/permohonan/{submitted.pk}/?tampilkan=nik").content.decode()
    assert BUDI_NIK in html
    document = submitted.documents.first()
    response = client.get(f"/staf/permohonan/{submitted.pk}/berkas/{document.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == document.content_type
    logged = AuditEntry.objects.filter(actor=personas["dewi"]).values_list("action", flat=True)
    assert {"application.nik_viewed", "application.document_viewed"} <= set(logged)
    assert 'id="audit"' not in html  # a verifier does not see who looked
    login(client, personas["kepala"])
    trail = client.get(f"/staf/permohonan/{submitted.pk}/").content.decode()
    assert "application.nik_viewed" in trail and "Dewi" in trail and "127.0.0.1" in trail


def test_a_citizen_token_opens_only_their_own_documents(client, submitted, office):
    other = Contact.objects.create(office=office, wa_id="6289999", profile_name="Eko")
    document = submitted.documents.first()
    own = link_path(submitted.contact)
    assert client.get(f"{own}berkas/{document.pk}/").status_code == 200
    assert client.get(f"{link_path(other)}berkas/{document.pk}/").status_code == 404


def test_the_status_page_has_date_time_and_no_personal_data(client, submitted, personas):
    submitted.verify(personas["dewi"])
    html = client.get(f"/cek/{submitted.ticket}/").content.decode()
    assert submitted.service.name in html and State.VERIFIED.label in html
    local = timezone.localtime(submitted.events.last().at)
    assert local.strftime("%H:%M") in html and "WITA" in html
    for private in (BUDI_NIK, "Budi Santoso", "Siti Aminah", "Jl. Mawar"):
        assert private not in html
    typed = client.get("/cek/", {"tiket": submitted.ticket.lower().replace("-", " ")})
    assert typed.status_code == 302 and typed.url == f"/cek/{submitted.ticket}/"
    assert client.get("/cek/BPN-ZZZ-ZZZ/").status_code == 404


def test_the_bot_answers_sudah_jadi_belum_with_the_history(
    submitted, personas, budi, fake_graph, tasks
):
    submitted.verify(personas["dewi"])
    summaries = summaries_for_contact(submitted.contact)
    assert summaries[0]["ticket"] == submitted.ticket
    assert [h["label"] for h in summaries[0]["history"]] == [
        State.SUBMITTED.label,
        State.VERIFIED.label,
    ]
    assert all(timezone.is_aware(h["at"]) for h in summaries[0]["history"])
    budi.says("sudah jadi belum akta saya?")
    tasks()
    bodies = [json.dumps(m) for m in fake_graph.messages()]
    assert any(submitted.ticket in b and "Status" in b for b in bodies)


def test_after_the_finish_the_link_offers_the_result_and_a_new_application(
    client, submitted, personas
):
    submitted.verify(personas["dewi"])
    submitted.finish(personas["dewi"], pdf=pdf_bytes())
    html = client.get(link_path(submitted.contact)).content.decode()
    assert submitted.ticket in html and "Unduh dokumen hasil" in html
    assert 'type="file"' in html  # a new application can be started


def test_the_verifier_sees_when_the_birth_date_differs_from_the_nik(
    client, contact, personas, fake_graph
):
    client.post(link_path(contact), akta_form(birth_date="1991-03-12"))
    application = Application.objects.get(contact=contact)
    login(client, personas["dewi"])
    html = client.get(f"/staf/permohonan/{application.pk}/").content.decode()
    assert "Tanggal lahir di NIK 12-03-1990, yang diisi pemohon 12-03-1991" in html
    assert "Perempuan" in html  # the child's sex shown as its label, not "P"
