"""A photo Budi sends on WhatsApp, attached by staff to his open application, is checked the
same way; the findings are shown in the inbox conversation and on the application page."""

import pytest

from loket.applications.models import Application
from loket.doccheck.models import DocumentCheck
from loket.doccheck.tests.conftest import KTP_SLOT, generated
from loket.inbox.tests.test_attach_media import attach, login, sends_file, setup  # noqa: F401

pytestmark = pytest.mark.django_db


def test_a_whatsapp_photo_attached_by_staff_is_checked(
    setup,  # noqa: F811
    budi,
    fake_graph,
    tasks,
    django_capture_on_commit_callbacks,
):
    conversation, application, _, sari = setup
    ktp, truth = generated("ktp")
    photo = sends_file(budi, fake_graph, tasks, "KTP-1", ktp, "image/jpeg")
    with django_capture_on_commit_callbacks(execute=True):
        response = attach(sari, conversation, photo, application, index=KTP_SLOT)
    assert "Foto diperiksa otomatis" in response.content.decode()
    document = Application.objects.get(pk=application.pk).requirement_documents()[KTP_SLOT]
    assert DocumentCheck.objects.get(document=document).state == "pending"

    tasks()
    inbox = sari.get(f"/staf/inbox/{conversation.pk}/").content.decode()
    assert "Pemeriksaan otomatis" in inbox and "tampak seperti: KTP-el" in inbox
    assert 'class="finding-nik_mismatch"' in inbox  # Budi typed his own NIK, not this one's
    assert "Teks yang terbaca mesin" not in inbox and truth["nik"] not in inbox
    detail = login("dewi").get(f"/staf/permohonan/{application.pk}/").content.decode()
    assert 'class="finding-nik_mismatch"' in detail and truth["nik"] in detail
