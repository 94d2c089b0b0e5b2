"""Document messages: the stored file is uploaded by the sending task once, then sent by id."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from loket.core.crypto import encrypt_bytes
from loket.whatsapp import outbox
from loket.whatsapp.models import Contact, OutboundMedia, OutboundMessage, SendAttempt

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n% a finished akta, for the test\n%%EOF\n"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def citizen(office):
    return Contact.objects.create(
        office=office, wa_id="6281234567890", phone="6281234567890", last_inbound_at=timezone.now()
    )


def stored(content: bytes = PDF) -> str:
    return default_storage.save("applications/test/akta.bin", ContentFile(encrypt_bytes(content)))


def queue(citizen, storage_name: str, content_type: str = "application/pdf") -> OutboundMessage:
    return outbox.queue_document(
        citizen, storage_name, "TKT-1.pdf", content_type, "Dokumen Anda terlampir.", "test"
    )


def retry_now(message: OutboundMessage) -> str:
    OutboundMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    return outbox.deliver(message.pk)


def test_the_file_is_uploaded_then_sent_as_a_document_with_its_media_id(citizen, fake_graph, tasks):
    message = queue(citizen, stored())
    tasks()
    [upload] = fake_graph.uploads
    assert upload["filename"] == "TKT-1.pdf" and upload["type"] == "application/pdf"
    assert fake_graph.media[upload["id"]] == (PDF, "application/pdf")  # decrypted on the way
    [sent] = fake_graph.messages()
    assert sent["type"] == "document" and sent["to"] == citizen.wa_id
    assert sent["document"] == {
        "id": upload["id"],
        "filename": "TKT-1.pdf",
        "caption": "Dokumen Anda terlampir.",
    }
    message.refresh_from_db()
    assert message.status == OutboundMessage.Status.ACCEPTED
    assert OutboundMedia.objects.get(message=message).media_id == upload["id"]


def test_a_retry_after_a_send_error_reuses_the_uploaded_media(citizen, fake_graph):
    fake_graph.fail_next(1, 500, 131000, path_suffix="/messages")
    with outbox.inline_delivery():  # no task: deliver by hand below
        message = queue(citizen, stored())
    assert len(fake_graph.uploads) == 1
    assert SendAttempt.objects.get(message=message).outcome == "retry"
    assert retry_now(message) == "accepted"
    assert len(fake_graph.uploads) == 1  # uploaded once
    [sent] = fake_graph.messages()
    assert sent["document"]["id"] == fake_graph.uploads[0]["id"]


def test_an_upload_error_is_retried_and_a_permanent_one_fails_with_metas_reason(
    citizen, fake_graph
):
    fake_graph.fail_next(1, 503, 2, path_suffix="/media")
    with outbox.inline_delivery():
        message = queue(citizen, stored())
    message.refresh_from_db()
    assert message.status == OutboundMessage.Status.QUEUED and message.error_code == "2"
    assert not OutboundMedia.objects.get(message=message).media_id
    assert retry_now(message) == "accepted" and len(fake_graph.uploads) == 1

    with outbox.inline_delivery():
        zipped = queue(citizen, stored(b"PK\x03\x04zip"), content_type="application/zip")
    zipped.refresh_from_db()
    assert zipped.status == OutboundMessage.Status.FAILED and zipped.error_code == "131053"
    assert "Unsupported type" in zipped.error_message


def test_a_missing_file_fails_the_message_without_calling_meta(citizen, fake_graph):
    with outbox.inline_delivery():
        message = queue(citizen, "applications/test/gone.bin")
    message.refresh_from_db()
    assert message.status == OutboundMessage.Status.FAILED and message.error_code == "media-missing"
    assert fake_graph.uploads == [] and fake_graph.messages() == []
