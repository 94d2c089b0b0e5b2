"""Answers that fit: in-person services, appointments and the queue, politeness, files, silence."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from loket.bot.models import Conversation
from loket.catalog.models import ServicePolicy
from loket.conftest import sent_texts
from loket.inbox.models import CitizenMedia
from loket.whatsapp.models import OutboundMessage

pytestmark = pytest.mark.django_db
WITA = ZoneInfo("Asia/Makassar")


@pytest.fixture
def counters(office):
    from loket.appointments import demo

    demo.seed(office)
    return office


def test_picking_up_a_finished_document_gets_the_booking_link_not_the_form(
    budi, fake_graph, tasks, counters
):
    budi.says("mau ambil ktp yang sudah jadi")
    tasks()
    [reply] = sent_texts(fake_graph)
    assert "Pengambilan dokumen" in reply
    assert "*Yang perlu dibawa:*" in reply and "surat kuasa" in reply
    assert "/janji/" in reply
    assert "/l/" not in reply and "Siapkan foto" not in reply


def test_an_in_person_service_without_counters_says_come_during_hours(budi, fake_graph, tasks):
    budi.says("mau legalisir fotokopi akta")
    tasks()
    reply = sent_texts(fake_graph)[-1]
    assert "perlu kehadiran Anda" in reply and "ketik *jam buka*" in reply
    assert "/l/" not in reply and "/janji/" not in reply


def test_ktp_recording_once_open_is_booked_not_applied_for_online(
    budi, fake_graph, tasks, counters
):
    ServicePolicy.objects.update(ends_at=timezone.now() - dt.timedelta(minutes=1))
    budi.says("mau rekam ktp")
    tasks()
    reply = sent_texts(fake_graph)[-1]
    assert "Perekaman KTP-el" in reply and "/janji/" in reply
    assert "/l/" not in reply and "Siapkan foto" not in reply


def test_asking_for_an_appointment_gets_the_booking_links_and_todays_queue(
    budi, fake_graph, tasks, office
):
    from loket.appointments import demo, queue
    from loket.catalog.models import Service

    with time_machine.travel(dt.datetime(2026, 11, 30, 10, 0, tzinfo=WITA), tick=False):
        demo.seed(office)
        legalisir = Service.objects.get(code="legalisir")
        queue.walk_in(office, legalisir)
        queue.walk_in(office, legalisir)
        queue.call_next(office, "2")
        budi.says("mau buat janji")
        budi.says("antrian nomor berapa sekarang?")
        tasks()
    first, second = sent_texts(fake_graph)[-2:]
    assert first.count("/janji/") == 2  # legalisir and pickup; recording is suspended
    assert "Legalisir dokumen:" in first and "Ambil dokumen jadi:" in first
    assert "Sedang dipanggil: *A001* di loket 2" in second
    assert "Menunggu: 1 orang" in second and "Di ruang tunggu: 2 dari 20 kursi" in second


def test_naming_the_service_narrows_the_booking_link(budi, fake_graph, tasks, counters):
    budi.says("mau booking legalisir")
    tasks()
    reply = sent_texts(fake_graph)[-1]
    assert reply.count("/janji/") == 1 and "Legalisir dokumen:" in reply


@pytest.mark.parametrize(
    "text,expected",
    [
        ("terima kasih infonya bu", "Sama-sama"),
        ("ok siap makasih banyak", "Sama-sama"),
        ("🙏", "🙏"),
        ("👍👍", "🙏"),
        ("Assalamualaikum wr wb", "Waalaikumsalam warahmatullahi wabarakatuh, Budi."),
        ("assalamu'alaikum", "Waalaikumsalam"),
        ("Om swastiastu", "Om swastiastu"),
    ],
)
def test_thanks_emoji_and_salam_get_a_short_polite_answer(budi, fake_graph, tasks, text, expected):
    budi.says(text)
    tasks()
    [reply] = fake_graph.messages()
    assert reply["type"] == "text"  # not the menu list
    assert reply["text"]["body"].startswith(expected)
    assert Conversation.objects.get().misunderstood == 0


def test_a_thank_you_with_a_question_is_still_answered(budi, fake_graph, tasks):
    budi.says("terima kasih, saya mau bikin akta kelahiran anak")
    tasks()
    assert "Persyaratan" in sent_texts(fake_graph)[-1]


def image(media_id: str) -> dict:
    return {"type": "image", "image": {"id": media_id, "mime_type": "image/jpeg"}}


def test_files_sent_to_a_person_are_acknowledged_once_per_burst(budi, fake_graph, tasks):
    budi.says("mau bicara dengan petugas")
    tasks()
    budi.post(image("KK-1"))
    budi.post(image("KK-2"))
    budi.post({"type": "audio", "audio": {"id": "VN-1", "mime_type": "audio/ogg", "voice": True}})
    tasks()
    texts = sent_texts(fake_graph)
    assert len(texts) == 2
    assert "Berkas Anda sudah kami terima" in texts[-1] and "Petugas" in texts[-1]
    stored = set(CitizenMedia.objects.values_list("media_id", flat=True))
    assert stored == {"KK-1", "KK-2", "VN-1"}  # the voice note is kept for staff too


def test_a_file_for_an_open_application_goes_to_a_person(budi, fake_graph, tasks, office):
    from loket.applications.models import Application, State
    from loket.catalog.models import Service
    from loket.whatsapp.models import Contact

    budi.says("halo")
    tasks()
    Application.objects.create(
        office=office,
        contact=Contact.objects.get(wa_id=budi.wa_id),
        service=Service.objects.get(code="kk-ubah"),
        state=State.CORRECTION_REQUESTED,
        ticket="KK-TEST-1",
    )
    budi.post({"type": "document", "document": {"id": "DOC-1", "filename": "kk.pdf"}})
    tasks()
    reply = sent_texts(fake_graph)[-1]
    assert "Berkas Anda sudah kami terima" in reply and "akan melihatnya" in reply
    conversation = Conversation.objects.get()
    assert conversation.state == Conversation.State.HANDED_TO_STAFF
    assert conversation.handoff_reason == Conversation.Reason.MEDIA


def test_a_file_without_context_is_asked_about_never_unsupported(budi, fake_graph, tasks):
    budi.post(image("X-1"))
    budi.post({"type": "audio", "audio": {"id": "VN-2", "mime_type": "audio/ogg", "voice": True}})
    tasks()
    for reply in sent_texts(fake_graph):
        assert "Untuk keperluan apa" in reply and "belum bisa membaca" not in reply
    assert Conversation.objects.get().state != Conversation.State.HANDED_TO_STAFF


def test_reactions_edits_and_system_messages_get_no_reply(budi, fake_graph, tasks):
    budi.post({"type": "reaction", "reaction": {"message_id": "wamid.X", "emoji": "👍"}})
    budi.post(
        {
            "type": "unsupported",
            "unsupported": {"type": "edit"},
            "errors": [{"code": 131051, "title": "Message type unknown"}],
        }
    )
    budi.post({"type": "system", "system": {"body": "Budi changed their number", "type": "x"}})
    tasks()
    assert fake_graph.messages() == []
    assert OutboundMessage.objects.count() == 0
