"""A finished PDF goes to the citizen as a WhatsApp document inside the 24-hour window, as the
template with the link outside it; the upload happens in the sending task."""

import datetime as dt

import pytest
from django.utils import timezone

from loket.applications.tests.conftest import pdf_bytes
from loket.whatsapp.models import Contact, OutboundMedia, OutboundMessage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def documents_on(settings, tmp_path):
    settings.LOKET_WHATSAPP_DOCUMENTS = True
    settings.MEDIA_ROOT = tmp_path


def finish(submitted, personas) -> bytes:
    submitted.verify(personas["dewi"])
    akta = pdf_bytes()
    submitted.finish(personas["dewi"], pdf=akta)
    return akta


def test_inside_the_window_the_pdf_itself_is_sent_and_the_pin_apart(
    submitted, personas, fake_graph, tasks
):
    akta = finish(submitted, personas)
    tasks()
    [upload] = fake_graph.uploads
    assert fake_graph.media[upload["id"]] == (akta, "application/pdf")
    [document] = [m for m in fake_graph.messages() if m["type"] == "document"]
    assert document["document"]["id"] == upload["id"]
    assert document["document"]["filename"] == f"{submitted.ticket}.pdf"
    caption = document["document"]["caption"]
    assert "terlampir" in caption and submitted.ticket in caption and "http" in caption
    texts = [m["text"]["body"] for m in fake_graph.messages() if m["type"] == "text"]
    assert any(t.startswith("PIN dokumen") for t in texts)  # the link still has its PIN
    assert not any("sudah selesai" in t for t in texts)  # not twice
    message = OutboundMessage.objects.get(kind="document")
    assert message.status == OutboundMessage.Status.ACCEPTED
    assert OutboundMedia.objects.get(message=message).uploads == 1


def test_outside_the_window_the_template_with_the_link_is_sent(
    submitted, personas, fake_graph, tasks
):
    Contact.objects.filter(pk=submitted.contact_id).update(
        last_inbound_at=timezone.now() - dt.timedelta(hours=25)
    )
    submitted.contact.refresh_from_db()
    finish(submitted, personas)
    tasks()
    assert fake_graph.uploads == []
    assert not [m for m in fake_graph.messages() if m["type"] == "document"]
    templates = [m["template"]["name"] for m in fake_graph.messages() if m["type"] == "template"]
    assert "permohonan_selesai" in templates


def test_switched_off_the_link_message_is_sent_as_before(
    submitted, personas, fake_graph, tasks, settings
):
    settings.LOKET_WHATSAPP_DOCUMENTS = False
    finish(submitted, personas)
    tasks()
    assert fake_graph.uploads == []
    texts = [m["text"]["body"] for m in fake_graph.messages() if m["type"] == "text"]
    assert any("sudah selesai" in t and "Unduh dokumen" in t for t in texts)
