import datetime as dt

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from loket.applications.tests.conftest import pdf_bytes
from loket.bot.models import Conversation
from loket.broadcasts.models import MessageTemplate
from loket.conftest import sent_texts
from loket.core.models import AuditEntry
from loket.inbox import media, services
from loket.inbox.models import CitizenMedia, Claim, SavedReply
from loket.whatsapp.models import OutboundMessage

pytestmark = pytest.mark.django_db


def login(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password="rahasia-123")
    return client


def handed_over(budi, tasks, text="mau bicara dengan petugas") -> Conversation:
    budi.says(text)
    tasks()
    return Conversation.objects.get(contact__wa_id=budi.wa_id)


def test_a_citizen_who_asks_for_a_person_waits_in_the_inbox(budi, fake_graph, tasks, personas):
    conversation = handed_over(budi, tasks)
    assert conversation.state == Conversation.State.HANDED_TO_STAFF
    assert conversation.handoff_reason == Conversation.Reason.ASKED
    page = login("sari").get("/staf/inbox/").content.decode()
    assert "Budi" in page
    assert "minta bicara dengan petugas" in page
    assert "belum diambil" in page
    assert "“mau bicara dengan petugas”" in page  # the last message, at a glance


def test_complaint_words_hand_the_conversation_to_staff(budi, fake_graph, tasks):
    conversation = handed_over(budi, tasks, "saya kecewa, pelayanannya lambat sekali")
    assert conversation.state == Conversation.State.HANDED_TO_STAFF
    assert conversation.handoff_reason == Conversation.Reason.COMPLAINT
    assert "petugas" in sent_texts(fake_graph)[-1]


def test_claim_reply_silence_and_hand_back(budi, fake_graph, tasks, personas):
    conversation = handed_over(budi, tasks)
    sari = login("sari")
    sari.post(f"/staf/inbox/{conversation.pk}/ambil/")
    claim = Claim.objects.get(conversation=conversation, released_at=None)
    assert claim.claimed_by == personas["sari"]

    sari.post(f"/staf/inbox/{conversation.pk}/balas/", {"text": "Halo Pak Budi, saya Sari."})
    tasks()
    assert sent_texts(fake_graph)[-1] == "Halo Pak Budi, saya Sari."
    [sent] = [m for m in OutboundMessage.objects.all() if m.preview == "Halo Pak Budi, saya Sari."]
    assert sent.source == f"staff:{personas['sari'].pk}"
    assert AuditEntry.objects.filter(
        action="inbox.reply", object_id=str(sent.pk), actor=personas["sari"]
    ).exists()
    claim.refresh_from_db()
    assert claim.first_response_at is not None and claim.replies == 1

    before = len(fake_graph.messages())
    budi.says("berapa lama prosesnya bu?")
    tasks()
    assert len(fake_graph.messages()) == before  # the bot stays quiet while staff hold it
    page = sari.get(f"/staf/inbox/{conversation.pk}/pesan/").content.decode()
    assert "berapa lama prosesnya bu?" in page
    assert '<div class="sender">Sari</div>' in page  # staff messages show who sent them
    assert "Asisten otomatis" in page and "applications" not in page

    sari.post(f"/staf/inbox/{conversation.pk}/kembalikan/")
    conversation.refresh_from_db()
    assert conversation.state == Conversation.State.IDLE
    assert Claim.objects.get(pk=claim.pk).outcome == Claim.Outcome.HANDED_BACK
    budi.says("halo")
    tasks()
    assert fake_graph.messages()[-1]["type"] == "interactive"  # the bot's menu again


def test_two_staff_cannot_claim_the_same_conversation(budi, fake_graph, tasks, personas):
    conversation = handed_over(budi, tasks)
    sari, dewi = login("sari"), login("dewi")
    sari.post(f"/staf/inbox/{conversation.pk}/ambil/")
    response = dewi.post(f"/staf/inbox/{conversation.pk}/ambil/", follow=True)
    assert "Sudah diambil oleh Sari" in response.content.decode()
    assert Claim.objects.filter(conversation=conversation, released_at=None).count() == 1
    dewi.post(f"/staf/inbox/{conversation.pk}/balas/", {"text": "saya juga"})
    assert "saya juga" not in [m.preview for m in OutboundMessage.objects.all()]


def test_the_database_refuses_a_second_open_claim(budi, fake_graph, tasks, personas):
    conversation = handed_over(budi, tasks)
    Claim.objects.create(
        conversation=conversation, claimed_by=personas["sari"], claimed_at=timezone.now()
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.create(
            conversation=conversation, claimed_by=personas["dewi"], claimed_at=timezone.now()
        )
    with pytest.raises(services.InboxError, match="Sari"):
        services.claim(conversation, personas["dewi"])


def test_outside_the_24_hour_window_only_templates_go(budi, fake_graph, tasks, personas, office):
    MessageTemplate.objects.create(
        office=office,
        name="lanjutan_percakapan",
        body="Halo {{1}}, petugas Disdukcapil ingin melanjutkan percakapan Anda.",
        status=MessageTemplate.Status.APPROVED,
    )
    conversation = handed_over(budi, tasks)
    sari = login("sari")
    sari.post(f"/staf/inbox/{conversation.pk}/ambil/")
    page = sari.get(f"/staf/inbox/{conversation.pk}/").content.decode()
    assert "Jendela 24 jam terbuka" in page
    with time_machine.travel(timezone.now() + dt.timedelta(hours=25)):
        sari = login("sari")  # a day later: her session has ended, she signs in again
        page = sari.get(f"/staf/inbox/{conversation.pk}/").content.decode()
        assert "Jendela 24 jam tertutup" in page
        assert "lanjutan_percakapan" in page
        response = sari.post(
            f"/staf/inbox/{conversation.pk}/balas/", {"text": "masih ada?"}, follow=True
        )
        assert "hanya template" in response.content.decode()
        assert "masih ada?" not in [m.preview for m in OutboundMessage.objects.all()]
        template = MessageTemplate.objects.get()
        sari.post(
            f"/staf/inbox/{conversation.pk}/template/",
            {"template": template.pk, "param": ["Budi", ""]},
        )
        tasks()
    body = fake_graph.messages()[-1]
    assert body["type"] == "template"
    assert body["template"]["name"] == "lanjutan_percakapan"
    assert body["template"]["components"][0]["parameters"] == [{"type": "text", "text": "Budi"}]


def test_saved_replies_and_personal_links(budi, fake_graph, tasks, personas, office):
    saved = SavedReply.objects.create(office=office, title="Foto KK", text="Kirim foto KK asli.")
    conversation = handed_over(budi, tasks)
    sari = login("sari")
    sari.post(f"/staf/inbox/{conversation.pk}/ambil/")
    sari.post(f"/staf/inbox/{conversation.pk}/balas/", {"text": "", "saved": saved.pk})
    sari.post(f"/staf/inbox/{conversation.pk}/tautan/", {"service": "kk-baru"})
    tasks()
    texts = sent_texts(fake_graph)
    assert texts[-2] == "Kirim foto KK asli."
    assert "/l/" in texts[-1] and "Kartu Keluarga" in texts[-1]


def test_a_staff_pdf_goes_as_a_document_link_that_meta_can_fetch(budi, fake_graph, tasks, personas):
    conversation = handed_over(budi, tasks)
    sari = login("sari")
    sari.post(f"/staf/inbox/{conversation.pk}/ambil/")
    pdf = pdf_bytes()  # a real PDF: staff PDFs are read by the PDF parser too
    upload = SimpleUploadedFile("F-1.01.pdf", pdf, content_type="application/pdf")
    sari.post(f"/staf/inbox/{conversation.pk}/dokumen/", {"file": upload, "caption": "Isi ya"})
    tasks()
    body = fake_graph.messages()[-1]
    assert body["type"] == "document"
    assert body["document"]["filename"] == "F-1.01.pdf"
    path = body["document"]["link"].split("://", 1)[1].split("/", 1)[1]
    response = Client().get("/" + path)
    assert response.status_code == 200 and response.content == pdf
    assert Client().get("/staf/inbox/d/not-a-token/").status_code == 404
    not_pdf = SimpleUploadedFile("x.pdf", b"MZ evil", content_type="application/pdf")
    response = sari.post(f"/staf/inbox/{conversation.pk}/dokumen/", {"file": not_pdf}, follow=True)
    assert "Hanya berkas PDF" in response.content.decode()


def test_citizen_photos_are_downloaded_encrypted_and_reads_are_logged(
    budi, fake_graph, tasks, personas
):
    photo = b"\xff\xd8\xff fake jpeg of a KK"
    fake_graph.media["MEDIA-1"] = (photo, "image/jpeg")
    handed_over(budi, tasks)
    budi.post({"type": "image", "image": {"id": "MEDIA-1", "mime_type": "image/jpeg"}})
    tasks()
    media = CitizenMedia.objects.get()
    assert media.state == CitizenMedia.State.STORED
    with default_storage.open(media.path, "rb") as handle:
        assert photo not in handle.read()  # encrypted at rest
    response = login("sari").get(f"/staf/inbox/berkas/{media.pk}/")
    assert response.content == photo
    assert AuditEntry.objects.filter(
        action="inbox.media.read", object_id=str(media.pk), actor=personas["sari"]
    ).exists()


def test_supervisors_see_load_and_response_times(budi, fake_graph, tasks, personas):
    conversation = handed_over(budi, tasks)
    sari = login("sari")
    sari.post(f"/staf/inbox/{conversation.pk}/ambil/")
    sari.post(f"/staf/inbox/{conversation.pk}/balas/", {"text": "Halo"})
    page = login("kepala").get("/staf/inbox/beban/").content.decode()
    assert "Sari" in page
    [row] = services.load(conversation.contact.office, timezone.now() - dt.timedelta(days=1))
    assert row["open"] == 1 and row["replies"] == 1
    assert row["first_response_avg"] is not None
    assert sari.get("/staf/inbox/beban/").status_code == 403


def test_a_citizen_typing_menu_ends_the_claim(budi, fake_graph, tasks, personas):
    conversation = handed_over(budi, tasks)
    services.claim(conversation, personas["sari"])
    budi.says("menu")
    tasks()
    conversation.refresh_from_db()
    assert services.open_claim(conversation) is None
    assert Claim.objects.get().outcome == Claim.Outcome.LAPSED


def test_a_media_message_missed_by_the_bot_is_picked_up_later(budi, fake_graph, tasks, settings):
    settings.LOKET_BOT_PRE_HANDLERS = []  # as if the bot had failed before recording it
    fake_graph.media["MEDIA-2"] = (b"%PDF-1.4 akta", "application/pdf")
    budi.post({"type": "document", "document": {"id": "MEDIA-2", "filename": "akta.pdf"}})
    tasks()
    assert not CitizenMedia.objects.exists()
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=2)):
        assert media.enqueue_missing() == 1
        assert media.enqueue_missing() == 0
        tasks()
    stored = CitizenMedia.objects.get()
    assert stored.state == CitizenMedia.State.STORED and stored.filename == "akta.pdf"


def test_an_unreachable_media_download_is_retried_then_marked_failed(budi, fake_graph, tasks):
    budi.post({"type": "image", "image": {"id": "GONE", "mime_type": "image/jpeg"}})
    tasks()
    item = CitizenMedia.objects.get()
    for _ in range(media.MAX_ATTEMPTS):
        media.fetch(item.pk)
    item.refresh_from_db()
    assert item.state == CitizenMedia.State.FAILED
    assert "404" in item.error


def test_staff_keep_their_saved_answers(personas, office):
    sari = login("sari")
    sari.post("/staf/inbox/jawaban/", {"title": "Foto KTP", "text": "Kirim foto KTP-el asli."})
    response = sari.post("/staf/inbox/jawaban/", {"title": "", "text": ""}, follow=True)
    assert "wajib diisi" in response.content.decode()
    saved = SavedReply.objects.get()
    assert (saved.office, saved.title) == (office, "Foto KTP")
    sari.post("/staf/inbox/jawaban/", {"delete": saved.pk})
    assert not SavedReply.objects.exists()
    assert login("kepala").get("/staf/inbox/jawaban/").status_code == 403
