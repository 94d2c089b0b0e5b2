"""Ask back instead of guessing; complaints to a person, told honestly when one will answer."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from loket.bot import clarify
from loket.bot.models import Conversation
from loket.conftest import sent_texts

pytestmark = pytest.mark.django_db
WITA = ZoneInfo("Asia/Makassar")


def last_interactive(fake_graph) -> dict:
    return fake_graph.messages()[-1]["interactive"]


def choices_of(interactive: dict) -> list[tuple[str, str]]:
    if interactive["type"] == "button":
        return [(b["reply"]["id"], b["reply"]["title"]) for b in interactive["action"]["buttons"]]
    rows = interactive["action"]["sections"][0]["rows"]
    return [(row["id"], row["title"]) for row in rows]


def test_a_small_family_gets_reply_buttons(budi, fake_graph, tasks):
    budi.says("mau urus kk")
    tasks()
    question = last_interactive(fake_graph)
    assert question["type"] == "button"
    buttons = choices_of(question)
    assert {rid for rid, _ in buttons} >= {"svc:kk-baru", "svc:kk-ubah"}
    assert all(len(title) <= 20 for _, title in buttons)


def test_a_word_several_services_share_gets_the_whole_family_as_a_list(budi, fake_graph, tasks):
    budi.says("mau urus akta")
    tasks()
    question = last_interactive(fake_graph)
    assert question["type"] == "list"
    assert question["body"]["text"].startswith("Maksud Bapak/Ibu yang mana?")
    ids = [rid for rid, _ in choices_of(question)]
    every_akta = {"svc:akta-lahir", "svc:akta-mati", "svc:akta-kawin", "svc:akta-cerai"}
    assert every_akta <= set(ids) and ids[-1] == "menu"
    assert Conversation.objects.get().state == Conversation.State.AWAITING_CHOICE

    budi.taps("svc:akta-mati", "Akta kematian")
    tasks()
    answer = sent_texts(fake_graph)[-1]
    assert "Kutipan Akta Kematian" in answer and "/l/" in answer
    conversation = Conversation.objects.get()
    assert conversation.state == Conversation.State.IDLE and conversation.misunderstood == 0


def test_the_citizen_may_type_the_number_of_an_option(budi, fake_graph, tasks):
    budi.says("kk")
    tasks()
    options = choices_of(last_interactive(fake_graph))
    assert {"svc:kk-baru", "svc:kk-ubah"} <= {rid for rid, _ in options}
    assert ("menu", "Lainnya (menu)") in options  # room for a way out with two options
    second = [rid for rid, _ in options][1]
    budi.says("2")
    tasks()
    expected = "Penerbitan KK karena" if second == "svc:kk-ubah" else "Kartu Keluarga baru"
    assert expected in sent_texts(fake_graph)[-1]


def test_long_option_titles_come_as_a_list(budi, fake_graph, tasks):
    budi.says("mau urus yang hilang")  # KTP-el hilang/rusak/ubah (24 characters) or Ubah/ganti KK
    tasks()
    question = last_interactive(fake_graph)
    assert question["type"] == "list"
    ids = [rid for rid, _ in choices_of(question)]
    assert {"svc:ktp-ganti", "svc:kk-ubah"} <= set(ids) and ids[-1] == "menu"


def test_close_or_unsure_model_answers_are_asked_back(budi, fake_graph, tasks, monkeypatch):
    """The bot's rule on the model's ranking (the model itself is another test's business)."""
    ranking = {
        "close": [("pindah", 0.55), ("datang", 0.41), ("lainnya", 0.02)],
        "unsure": [("akta-lahir", 0.38), ("kia", 0.3), ("lainnya", 0.2)],
        "sure": [("pindah", 0.8), ("datang", 0.15), ("lainnya", 0.02)],
    }
    monkeypatch.setattr(clarify, "rank", lambda text, top=3: ranking[text.split()[-1]])
    assert clarify.read("pesan close").options == ["pindah", "datang"]
    assert clarify.read("pesan unsure").options == ["akta-lahir", "kia"]
    assert clarify.read("pesan sure").sure
    budi.says("pesan close")
    tasks()
    ids = [rid for rid, _ in choices_of(last_interactive(fake_graph))]
    assert ids == ["svc:pindah", "svc:datang", "menu"]  # "Surat pindah (SKPWNI)" > 20: a list


def test_three_misunderstandings_go_to_a_person_and_asking_back_does_not_count(
    budi, fake_graph, tasks
):
    budi.says("asdfgh qwerty")
    budi.says("mau urus akta")  # asked back: not a misunderstanding
    budi.says("zzzz qqq")
    tasks()
    assert Conversation.objects.get().misunderstood == 2
    budi.says("xkcd plmok")
    tasks()
    conversation = Conversation.objects.get()
    assert conversation.state == Conversation.State.HANDED_TO_STAFF
    assert conversation.handoff_reason == Conversation.Reason.UNSURE
    assert "Petugas akan membalas di sini" in sent_texts(fake_graph)[-1]


@pytest.mark.parametrize(
    "text,kind",
    [
        ("Saya dimintai uang Rp50.000 sama orang di loket biar cepat", "extortion"),
        ("ada calo yang nawarin ktp jadi sehari", "extortion"),
        ("petugasnya judes banget, saya dibentak", "conduct"),
        ("saya disuruh pulang katanya blangko habis", "ignored"),
        ("sudah 3 kali bolak-balik ke kantor ktp belum jadi juga", "waiting"),
    ],
)
def test_complaints_go_to_the_inbox_with_their_reason(
    budi, fake_graph, tasks, personas, text, kind
):
    budi.says(text)
    tasks()
    conversation = Conversation.objects.get()
    assert conversation.state == Conversation.State.HANDED_TO_STAFF
    assert (conversation.handoff_reason, conversation.complaint) == ("complaint", kind)
    assert "mohon maaf" in sent_texts(fake_graph)[-1]
    staff = Client()
    staff.login(username="sari", password="rahasia-123")
    label = conversation.get_complaint_display()
    assert f"keluhan: {label}" in staff.get("/staf/inbox/").content.decode()


@pytest.mark.parametrize(
    "moment,expected,not_expected",
    [
        # Monday 30 November 2026, office hours 08:00-16:00, break 12:00-13:00 (demo office)
        (
            dt.datetime(2026, 11, 30, 10, 0),
            "hari ini (jam layanan sampai pukul 16.00 WITA)",
            "tutup",
        ),
        (dt.datetime(2026, 11, 30, 7, 15), "hari ini mulai pukul 08.00 WITA", "berikutnya"),
        (dt.datetime(2026, 11, 30, 12, 20), "hari ini mulai pukul 13.00 WITA", "berikutnya"),
        # Friday evening: Monday morning, not "today until 16:00"
        (
            dt.datetime(2026, 12, 4, 19, 0),
            "hari kerja berikutnya, Senin, 7 Desember, mulai pukul 08.00 WITA",
            "hari ini (",
        ),
        # Christmas, a national holiday the catalog closes the office on
        (dt.datetime(2026, 12, 25, 10, 0), "Hari ini kantor tutup", "hari ini ("),
    ],
)
def test_the_handoff_says_when_a_person_will_answer(
    budi, fake_graph, tasks, moment, expected, not_expected
):
    with time_machine.travel(moment.replace(tzinfo=WITA), tick=False):
        budi.says("saya mau komplain pelayanan")
        tasks()
    reply = sent_texts(fake_graph)[-1]
    assert expected in reply and not_expected not in reply
    if moment.day == 25:
        assert "hari kerja berikutnya" in reply and "pukul 08.00 WITA" in reply


def test_the_question_and_the_handoff_in_english(budi, fake_graph, tasks):
    budi.says("english please")
    budi.says("mau urus akta")
    tasks()
    assert sent_texts(fake_graph)[-1].startswith("Which one do you mean?")
    with time_machine.travel(dt.datetime(2026, 12, 5, 9, 0, tzinfo=WITA), tick=False):
        budi.says("mau bicara dengan petugas")  # a Saturday
        tasks()
    reply = sent_texts(fake_graph)[-1]
    assert "outside office hours" in reply
    assert "on the next working day, Monday 7 December, from 08:00 WITA" in reply
