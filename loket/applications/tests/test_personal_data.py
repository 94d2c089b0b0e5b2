"""Personal data: staff reads audited, data encrypted and still searchable by name, links that
are scoped and revocable, a PIN before the finished document, nothing cached."""

import datetime as dt
import re

import pytest
import time_machine
from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils import timezone

from loket.applications import pin as pins
from loket.applications.models import Application
from loket.applications.tests.conftest import BUDI_NIK, link_path, pdf_bytes
from loket.conftest import sent_texts
from loket.core.links import make_token
from loket.core.models import AuditEntry
from loket.whatsapp.models import OutboundMessage

pytestmark = pytest.mark.django_db


def queue_html(client, q: str) -> str:
    return client.get("/staf/permohonan/", {"q": q, "status": "all"}).content.decode()


def test_every_staff_read_is_audited_once_per_visit_and_nik_searches_too(
    client, submitted, personas
):
    client.force_login(personas["sari"])
    assert client.get(f"/staf/permohonan/{submitted.pk}/").status_code == 200
    client.get(f"/staf/permohonan/{submitted.pk}/")  # a reload within minutes: one entry
    viewed = AuditEntry.objects.filter(action="application.viewed", actor=personas["sari"])
    assert viewed.count() == 1 and viewed.get().object_id == str(submitted.pk)
    assert submitted.ticket in queue_html(client, BUDI_NIK)
    search = AuditEntry.objects.get(action="application.nik_searched")
    assert search.actor == personas["sari"] and search.detail["number"] == "6471************"
    assert BUDI_NIK not in str(search.detail)


def test_the_data_is_encrypted_at_rest_and_found_by_any_name_in_it(client, submitted, personas):
    raw = (
        Application.objects.annotate(raw=Cast("data", TextField()))
        .values_list("raw", flat=True)
        .get(pk=submitted.pk)
    )
    assert "Siti" not in raw and "Mawar" not in raw and "Balikpapan" not in raw
    assert "Aminah" not in submitted.name_index  # hashes only
    client.force_login(personas["dewi"])
    assert submitted.ticket in queue_html(client, "Budi Santoso")  # the applicant
    assert submitted.ticket in queue_html(client, "siti aminah")  # the mother, in `data`
    assert submitted.ticket in queue_html(client, "AYU")  # the child
    assert submitted.ticket not in queue_html(client, "Amin")  # whole words only
    assert submitted.ticket not in queue_html(client, "Siti Rahma")  # every word must match


def test_batal_link_on_whatsapp_revokes_every_personal_link(
    client, submitted, budi, fake_graph, tasks
):
    link = link_path(submitted.contact)
    assert client.get(link).status_code == 200
    budi.says("Batal link")
    tasks()
    assert "sudah dibatalkan" in sent_texts(fake_graph)[-1]
    response = client.get(link)
    assert response.status_code == 410 and "dibatalkan" in response.content.decode()
    document = submitted.documents.first()
    old_document_link = f"{link}berkas/{document.pk}/"
    assert client.get(old_document_link).status_code == 410
    assert client.get(link_path(submitted.contact)).status_code == 200  # a new link works
    revoked = AuditEntry.objects.get(action="links.revoked")
    assert revoked.detail["by"] == "citizen"


def test_staff_revoke_the_links_from_the_application_page(client, submitted, personas):
    link = link_path(submitted.contact)
    client.force_login(personas["sari"])
    client.post(f"/staf/permohonan/{submitted.pk}/aksi/links/")
    client.logout()
    assert client.get(link).status_code == 410
    assert AuditEntry.objects.get(action="links.revoked").actor == personas["sari"]


def test_a_link_opens_only_its_own_service_and_a_document_link_only_its_document(client, submitted):
    contact = submitted.contact
    first, second = list(submitted.documents.all())[:2]
    other_service = make_token(contact.pk, "ktp-ganti")
    assert client.get(f"/l/{other_service}/berkas/{first.pk}/").status_code == 404
    own = make_token(contact.pk, "akta-lahir")
    assert client.get(f"/l/{own}/berkas/{first.pk}/").status_code == 200
    only_first = make_token(contact.pk, "akta-lahir", purpose="document", d=first.pk)
    assert client.get(f"/l/{only_first}/berkas/{first.pk}/").status_code == 200
    assert client.get(f"/l/{only_first}/berkas/{second.pk}/").status_code == 404
    assert client.get(f"/l/{only_first}/").status_code == 404  # not the receipt or a draft
    booking = make_token(contact.pk, "akta-lahir", purpose="booking")
    assert client.get(f"/l/{booking}/berkas/{first.pk}/").status_code == 404
    assert client.get(f"/l/{booking}/tanda-terima.pdf").status_code == 404
    assert client.get(f"/l/{booking}/").status_code == 404


def test_personal_and_staff_pages_are_never_cached(client, submitted, personas):
    for response in (
        client.get(link_path(submitted.contact)),
        client.get(f"/l/{make_token(submitted.contact.pk, 'akta-lahir')}/tanda-terima.pdf"),
    ):
        assert "no-store" in response["Cache-Control"]
    client.force_login(personas["dewi"])
    assert "no-store" in client.get(f"/staf/permohonan/{submitted.pk}/")["Cache-Control"]
    assert "no-store" not in client.get("/cek/").get("Cache-Control", "")


def finished(application, personas) -> str:
    """Finishes the application with a PDF; returns the PIN sent to the citizen."""
    application.verify(personas["dewi"])
    application.finish(personas["dewi"], pdf=pdf_bytes())
    preview = OutboundMessage.objects.filter(contact=application.contact).last().preview
    return re.search(r"\b(\d{6})\b", preview).group(1)


def test_wrong_pins_lock_the_document_for_a_while_then_for_good(client, submitted, personas):
    pin = finished(submitted, personas)
    document = submitted.output_document()
    path = f"/l/{make_token(submitted.contact.pk, 'akta-lahir')}/berkas/{document.pk}/"
    wrong = "000000" if pin != "000000" else "111111"
    for _ in range(pins.MAX_FAILURES - 1):
        assert client.post(path, {"pin": wrong}).status_code == 403
    locked = client.post(path, {"pin": wrong})
    assert locked.status_code == 429 and "Coba lagi setelah" in locked.content.decode()
    assert client.post(path, {"pin": pin}).status_code == 429  # even the right one, for now
    later = timezone.now() + dt.timedelta(minutes=pins.LOCK_MINUTES + 1)
    with time_machine.travel(later):
        response = client.post(path, {"pin": pin})
        assert response.status_code == 200 and response.content.startswith(b"%PDF")
    for _ in range(pins.MAX_TOTAL_FAILURES // pins.MAX_FAILURES):  # a patient guesser
        later += dt.timedelta(minutes=pins.LOCK_MINUTES + 1)
        with time_machine.travel(later):
            for _ in range(pins.MAX_FAILURES):
                client.post(path, {"pin": wrong})
    with time_machine.travel(later + dt.timedelta(days=1)):
        blocked = client.post(path, {"pin": pin})
        assert blocked.status_code == 429 and "PIN baru" in blocked.content.decode()
        client.force_login(personas["sari"])
        client.post(f"/staf/permohonan/{submitted.pk}/aksi/pin/")
        new_pin = re.search(
            r"\b(\d{6})\b", OutboundMessage.objects.filter(contact=submitted.contact).last().preview
        ).group(1)
        client.logout()
        assert client.post(path, {"pin": new_pin}).status_code == 200
