import re

import pytest
from django.test import Client

from loket.bot.models import Conversation, ReopenSubscription
from loket.conftest import Citizen, sent_texts
from loket.whatsapp.models import OutboundMessage

pytestmark = pytest.mark.django_db


def link_in(text: str) -> str:
    return re.search(r"https?://\S+/l/\S+/", text).group(0)


def test_a_citizen_asking_for_a_birth_certificate_gets_requirements_and_a_link(
    budi, fake_graph, tasks
):
    budi.says("selamat pagi, sy mau bikin akta kelahiran anak gmn caranya")
    tasks()
    [reply] = sent_texts(fake_graph)
    assert "Akta Kelahiran" in reply
    assert "online" in reply
    assert "Surat keterangan kelahiran" in reply
    path = link_in(reply).split("://", 1)[1].split("/", 1)[1]
    page = Client().get("/" + path)
    assert page.status_code == 200
    assert "Pencatatan kelahiran" in page.content.decode()
    assert "Hanya daring" in page.content.decode()


def test_ktp_recording_is_suspended_and_the_citizen_can_ask_to_be_told(budi, fake_graph, tasks):
    budi.says("mau rekam ktp")
    tasks()
    [reply] = fake_graph.messages()
    text = reply["interactive"]["body"]["text"]
    assert "dihentikan" in text
    assert re.search(r"sampai \d+ \w+ \d{4}", text)
    assert "kontak fisik" in text
    yes = reply["interactive"]["action"]["buttons"][0]["reply"]
    budi.taps(yes["id"], yes["title"], kind="button_reply")
    tasks()
    subscription = ReopenSubscription.objects.get()
    assert subscription.service.code == "ktp-rekam"
    assert "mengabari Anda" in sent_texts(fake_graph)[-1]


def test_a_typed_yes_also_records_the_wish_to_be_told(budi, fake_graph, tasks):
    budi.says("mau rekam ktp")
    tasks()
    budi.says("iya")
    tasks()
    assert ReopenSubscription.objects.filter(service__code="ktp-rekam").exists()


def test_opening_hours_show_today_and_the_restrictions(budi, fake_graph, tasks):
    budi.says("buka jam berapa?")
    tasks()
    [reply] = sent_texts(fake_graph)
    assert "Jam layanan" in reply
    assert "Senin: 08:00–16:00" in reply
    assert "Tanggap darurat COVID-19" in reply
    assert "Perekaman KTP-el" in reply  # listed as suspended


def test_gibberish_gets_the_menu_as_an_interactive_list(budi, fake_graph, tasks):
    budi.says("asdfgh qwerty")
    tasks()
    [reply] = fake_graph.messages()
    assert reply["interactive"]["type"] == "list"
    rows = reply["interactive"]["action"]["sections"][0]["rows"]
    assert 2 <= len(rows) <= 10
    assert Conversation.objects.get().state == Conversation.State.AWAITING_MENU


def test_choosing_from_the_menu_leads_to_a_service(budi, fake_graph, tasks):
    budi.says("halo")
    tasks()
    budi.taps("grp:kk", "Kartu Keluarga")
    tasks()
    group = fake_graph.messages()[-1]["interactive"]
    codes = [r["id"] for r in group["action"]["sections"][0]["rows"]]
    assert codes == ["svc:kk-baru", "svc:kk-ubah"]
    budi.taps("svc:kk-ubah", "Ubah/ganti KK")
    tasks()
    assert "Perubahan data" in sent_texts(fake_graph)[-1]


def test_asking_for_a_person_hands_the_conversation_over_and_the_bot_stays_quiet(
    budi, fake_graph, tasks
):
    budi.says("mau bicara dengan petugas")
    tasks()
    assert "petugas" in sent_texts(fake_graph)[-1]
    conversation = Conversation.objects.get()
    assert conversation.state == Conversation.State.HANDED_TO_STAFF
    assert conversation.handoff_reason == Conversation.Reason.ASKED
    budi.says("akta kelahiran")
    tasks()
    assert len(fake_graph.messages()) == 1
    budi.says("menu")
    tasks()
    assert Conversation.objects.get().state == Conversation.State.IDLE


def test_an_image_gets_a_polite_answer(budi, fake_graph, tasks):
    budi.post({"type": "location", "location": {"latitude": -1.2, "longitude": 116.8}})
    tasks()
    assert "belum bisa membaca" in sent_texts(fake_graph)[-1]


def test_each_citizen_has_their_own_conversation(client, office, fake_graph, tasks):
    Citizen(client, "628111", "Ani").says("akta kematian")
    Citizen(client, "628222", "Eko").says("buka jam berapa")
    tasks()
    assert "Akta Kematian" in sent_texts(fake_graph, "628111")[0]
    assert "Jam layanan" in sent_texts(fake_graph, "628222")[0]
    assert OutboundMessage.objects.count() == 2


def test_a_failure_of_the_bot_still_gets_the_citizen_an_apology(
    budi, fake_graph, tasks, monkeypatch
):
    from loket.bot import conversation

    def broken(text):
        raise RuntimeError("model file corrupted")

    monkeypatch.setattr(conversation, "classify_all", broken)
    budi.says("mau bikin kk")
    tasks()
    assert "gangguan" in sent_texts(fake_graph)[-1]


def test_it_answers_in_english_after_the_citizen_asks(budi, fake_graph, tasks, monkeypatch, office):
    from loket.appointments import demo

    demo.seed(office)  # counters, so the legalisir answer carries a booking link
    budi.says("in english please")
    tasks()
    assert "Please choose the service you need" in sent_texts(fake_graph)[-1]
    assert Conversation.objects.get().language == "en"

    budi.says("mau legalisir")
    budi.says("buka jam berapa?")
    budi.post({"type": "location", "location": {"latitude": -1.2, "longitude": 116.8}})
    tasks()
    service, hours, unsupported = sent_texts(fake_graph)[-3:]
    assert "*What to bring:*" in service and "Book a visit to the counter" in service
    assert "/janji/" in service and "/l/" not in service  # in person: no online form
    assert "Opening hours of" in hours and "Closed on Saturdays" in hours
    assert "cannot read this kind of message" in unsupported

    budi.says("mau bicara dengan petugas")
    budi.says("menu")  # the English choice survives the hand-over and back
    tasks()
    handoff, menu = sent_texts(fake_graph)[-2:]
    assert "passing this conversation to the staff" in handoff
    assert "Please choose" in menu

    from loket.bot import conversation

    monkeypatch.setattr(conversation, "classify_all", lambda text: 1 / 0)
    budi.says("mau bikin kk")
    tasks()
    assert "our system is having trouble" in sent_texts(fake_graph)[-1]


def test_bahasa_indonesia_switches_back_and_indonesian_stays_the_default(budi, fake_graph, tasks):
    budi.says("buka jam berapa?")
    tasks()
    assert "Jam layanan" in sent_texts(fake_graph)[-1]
    budi.says("bahasa inggris")
    budi.says("buka jam berapa?")
    budi.says("Bahasa Indonesia")
    budi.says("buka jam berapa?")
    tasks()
    english_menu, english_hours, menu, hours = sent_texts(fake_graph)[-4:]
    assert "Please choose" in english_menu and "Opening hours" in english_hours
    assert "Silakan pilih layanan" in menu and "Jam layanan" in hours
    assert Conversation.objects.get().language == ""
