"""Staff attach a photo the citizen sent on WhatsApp to the citizen's application."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.test import Client
from PIL import Image

from loket.applications.attach import ATTACHED_LABEL
from loket.applications.models import Application, ApplicationEvent
from loket.applications.tests.conftest import akta_form, jpeg_bytes, link_path
from loket.bot.models import Conversation
from loket.catalog.models import Office
from loket.conftest import Citizen
from loket.core.models import AuditEntry
from loket.inbox.models import CitizenMedia
from loket.staff.models import Role, StaffMember

pytestmark = pytest.mark.django_db


def login(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password="rahasia-123")
    return client


def apply_online(contact) -> Application:
    response = Client().post(link_path(contact), akta_form())
    assert response.status_code == 302, response.content.decode()[:500]
    return Application.objects.get(contact=contact)


def sends_file(budi, fake_graph, tasks, media_id: str, data: bytes, mime: str) -> CitizenMedia:
    fake_graph.media[media_id] = (data, mime)
    kind = "image" if mime.startswith("image/") else "document"
    budi.post({"type": kind, kind: {"id": media_id, "mime_type": mime}})
    tasks()
    media = CitizenMedia.objects.get(media_id=media_id)
    assert media.state == CitizenMedia.State.STORED
    return media


@pytest.fixture
def setup(budi, fake_graph, tasks, personas):
    """Budi applied for an akta, asked for a person and sent a photo; Sari holds the chat."""
    budi.says("mau bicara dengan petugas")
    tasks()
    conversation = Conversation.objects.get(contact__wa_id=budi.wa_id)
    application = apply_online(conversation.contact)
    photo = sends_file(budi, fake_graph, tasks, "PHOTO-1", jpeg_bytes(exif_gps=True), "image/jpeg")
    sari = login("sari")
    sari.post(f"/staf/inbox/{conversation.pk}/ambil/")
    return conversation, application, photo, sari


def attach(client, conversation, media, application, index=0):
    return client.post(
        f"/staf/inbox/{conversation.pk}/lampirkan/",
        {"media": media.pk, "target": f"{application.pk}:{index}"},
        follow=True,
    )


def test_it_attaches_the_citizens_photo_to_a_requirement_cleaned_and_encrypted(setup, personas):
    conversation, application, photo, sari = setup
    page = sari.get(f"/staf/inbox/{conversation.pk}/").content.decode()
    assert "Lampirkan berkas warga" in page and f'value="{application.pk}:0"' in page
    before = application.requirement_documents()[0]

    response = attach(sari, conversation, photo, application, index=0)

    assert "Berkas dilampirkan" in response.content.decode()
    document = Application.objects.get(pk=application.pk).requirement_documents()[0]
    assert document.pk != before.pk and document.content_type == "image/jpeg"
    assert document.label == application.service.requirements[0]
    cleaned = document.read()
    assert Image.open(io.BytesIO(cleaned)).getexif().get(0x8825) is None  # no GPS any more
    with default_storage.open(document.storage_name, "rb") as handle:
        assert cleaned not in handle.read()  # encrypted at rest
    event = ApplicationEvent.objects.get(application=application, label=ATTACHED_LABEL)
    assert event.actor == personas["sari"] and event.state == application.state
    assert AuditEntry.objects.filter(
        action="application.document_attached",
        object_id=str(application.pk),
        actor=personas["sari"],
    ).exists()
    assert AuditEntry.objects.filter(
        action="inbox.media.attached", object_id=str(photo.pk), actor=personas["sari"]
    ).exists()
    assert AuditEntry.objects.filter(action="inbox.media.read", object_id=str(photo.pk)).exists()
    detail = login("dewi").get(f"/staf/permohonan/{application.pk}/").content.decode()
    assert ATTACHED_LABEL in detail


def test_kepala_and_staff_not_holding_the_conversation_cannot_attach(setup):
    conversation, application, photo, _ = setup
    before = application.requirement_documents()[0].pk
    assert attach(login("kepala"), conversation, photo, application).status_code == 403
    response = attach(login("dewi"), conversation, photo, application)
    assert "Ambil percakapan ini dulu" in response.content.decode()
    assert application.requirement_documents()[0].pk == before


def test_staff_of_another_office_cannot_attach(setup):
    conversation, application, photo, _ = setup
    other = Office.objects.create(
        name="Disdukcapil Kota Samarinda", slug="smd", region_code="64.72", city_name="Samarinda"
    )
    eko = get_user_model().objects.create_user("eko", password="rahasia-123")
    StaffMember.objects.create(user=eko, office=other, role=Role.ADMIN)
    assert attach(login("eko"), conversation, photo, application).status_code == 404
    assert not ApplicationEvent.objects.filter(label=ATTACHED_LABEL).exists()


def test_it_refuses_another_citizens_application_or_file(setup, fake_graph, tasks):
    conversation, application, photo, sari = setup
    ani = Citizen(Client(), wa_id="6281299990000", name="Ani")
    anis_photo = sends_file(ani, fake_graph, tasks, "ANI-1", jpeg_bytes(), "image/jpeg")
    anis_application = apply_online(anis_photo.contact)
    response = attach(sari, conversation, photo, anis_application)
    assert "Pilih permohonan dan persyaratan warga ini" in response.content.decode()
    response = attach(sari, conversation, anis_photo, application)
    assert "Pilih berkas yang dikirim warga ini" in response.content.decode()
    assert not ApplicationEvent.objects.filter(label=ATTACHED_LABEL).exists()
    assert not AuditEntry.objects.filter(action="inbox.media.attached").exists()


def test_a_file_that_is_not_a_photo_or_pdf_is_refused_and_nothing_changes(
    setup, budi, fake_graph, tasks
):
    conversation, application, _, sari = setup
    word = sends_file(
        budi, fake_graph, tasks, "DOC-1", b"PK\x03\x04 a word file", "application/msword"
    )
    before = application.requirement_documents()[0]
    response = attach(sari, conversation, word, application)
    assert "Jenis berkas tidak didukung" in response.content.decode()
    assert application.requirement_documents()[0].pk == before.pk
    assert not ApplicationEvent.objects.filter(label=ATTACHED_LABEL).exists()
    assert not AuditEntry.objects.filter(action="inbox.media.attached").exists()


def test_a_requirement_the_service_does_not_have_is_refused(setup):
    conversation, application, photo, sari = setup
    response = attach(sari, conversation, photo, application, index=99)
    assert "Persyaratan itu tidak ada" in response.content.decode()
