"""A worker's batch writes its contacts and conversations in one statement each, and a contact
created by somebody else meanwhile fails only the batch, never a citizen's answer."""

import time

from django.db import connection
from django.test.utils import CaptureQueriesContext

from loket.bot.models import Conversation
from loket.conftest import Citizen, sent_texts
from loket.whatsapp import inbound
from loket.whatsapp.models import Contact, InboundMessage, OutboundMessage


def inserts_into(queries, table: str) -> int:
    return sum(1 for q in queries if q["sql"].startswith("INSERT") and f'"{table}"' in q["sql"])


def test_a_batch_creates_its_new_contacts_and_conversations_in_one_statement_each(
    client, office, fake_graph, tasks
):
    known = Citizen(client, "628100", "Lama")
    known.says("halo")
    tasks()
    before = Contact.objects.get(wa_id="628100").window_count
    for n in range(3):
        Citizen(client, f"62820{n}", f"Warga {n}").says("mau bikin akta kelahiran anak")
    Citizen(client, "628201", "Warga 1").says("syaratnya apa saja")  # twice in one batch
    known.says("mau urus kk")

    with CaptureQueriesContext(connection) as queries:
        assert inbound.pump() == 5
    assert inserts_into(queries, "whatsapp_contact") == 1
    assert inserts_into(queries, "bot_conversation") == 1
    assert inserts_into(queries, "whatsapp_outboundmessage") == 1  # five replies
    assert sum(1 for q in queries if q["sql"].startswith('UPDATE "bot_conversation"')) == 1
    # none a message: the batch's transaction and the one recording its sends (savepoints
    # here, inside the test's transaction); the sends are claimed by one UPDATE
    assert sum(1 for q in queries if q["sql"].startswith("SAVEPOINT")) == 2
    assert sum(1 for q in queries if q["sql"].startswith('UPDATE "whatsapp_outbound')) == 2
    assert Contact.objects.count() == 4 and Conversation.objects.count() == 4
    assert Contact.objects.get(wa_id="628201").window_count == 2  # counted in the order written
    assert Contact.objects.get(wa_id="628201").profile_name == "Warga 1"
    assert Contact.objects.get(wa_id="628100").window_count == before + 1
    assert not InboundMessage.objects.exclude(state=InboundMessage.State.DONE).exists()
    for message in InboundMessage.objects.all():
        assert message.contact.wa_id == message.sender_wa_id
    assert OutboundMessage.objects.filter(contact__wa_id="628201").count() == 2


def test_a_failure_of_the_bot_fails_the_batch_and_each_message_is_then_answered_once(
    client, office, fake_graph, monkeypatch
):
    from loket.bot import conversation

    understood = conversation.classify_all

    def breaks_on_one(text, *args, **kwargs):
        if "rusak" in str(text):
            raise RuntimeError("a bug met by one message only")
        return understood(text, *args, **kwargs)

    monkeypatch.setattr(conversation, "classify_all", breaks_on_one)
    Citizen(client, "628500", "Ani").says("mau bikin akta kelahiran anak")
    Citizen(client, "628501", "Eko").says("kk saya rusak mau ganti")
    Citizen(client, "628502", "Sri").says("buka jam berapa")
    assert inbound.pump() == 3
    assert sorted(InboundMessage.objects.values_list("state", flat=True)) == ["done"] * 3
    for wa_id in ("628500", "628501", "628502"):  # the first try's replies were never written
        assert OutboundMessage.objects.filter(contact__wa_id=wa_id).count() == 1
        assert len(sent_texts(fake_graph, wa_id)) == 1
    assert "gangguan" in sent_texts(fake_graph, "628501")[0]  # an apology, not silence
    assert "Akta Kelahiran" in sent_texts(fake_graph, "628500")[0]
    assert Conversation.objects.get(contact__wa_id="628500").state == Conversation.State.IDLE


def test_a_contact_created_meanwhile_fails_the_batch_and_each_message_is_answered_once(
    client, office, fake_graph, tasks, monkeypatch
):
    """Staff (or another office's worker) create a citizen's contact between the batch's read
    and its insert: the insert conflicts, the batch rolls back and is answered one at a time."""
    for n in range(3):
        Citizen(client, f"62830{n}", f"Warga {n}").says("mau bikin kk")
    original = inbound._known_contacts
    raced = []

    def read_then_someone_creates(messages):
        found = original(messages)
        if not raced:  # the first read only, as a race would
            raced.append(Contact.objects.create(office=office, wa_id="628301", phone="628301"))
        return found

    monkeypatch.setattr(inbound, "_known_contacts", read_then_someone_creates)
    assert inbound.pump() == 3
    assert raced
    assert Contact.objects.filter(wa_id="628301").count() == 1
    assert sorted(InboundMessage.objects.values_list("state", flat=True)) == ["done"] * 3
    assert sorted(OutboundMessage.objects.values_list("contact__wa_id", flat=True)) == [
        "628300",
        "628301",
        "628302",
    ]


def test_under_load_a_batch_after_a_small_one_waits_to_gather_the_next_messages(
    client, office, fake_graph, settings
):
    Citizen(client, "628499", "Awal").says("halo")
    assert inbound.pump() == 1  # the model loaded, before the clock matters
    settings.WHATSAPP_INBOUND_GATHER_SECONDS = 1.0
    assert inbound.pump() == 0  # nothing waiting: a quiet moment
    Citizen(client, "628400", "Ani").says("halo")
    first = time.monotonic()
    assert inbound.pump() == 1
    assert time.monotonic() - first < 1.0  # after a quiet moment: at once
    Citizen(client, "628401", "Eko").says("mau bikin kk")
    Citizen(client, "628402", "Sri").says("buka jam berapa")
    before_second = time.monotonic()
    assert inbound.pump() == 2  # the two that came meanwhile, together
    assert time.monotonic() - first >= 1.0  # one second after the first batch started
    assert inbound.pump() == 0  # after a small batch even an empty take waits; nobody waits on it
    assert time.monotonic() - before_second >= 1.0
    Citizen(client, "628403", "Rudi").says("halo")
    quiet = time.monotonic()
    assert inbound.pump() == 1  # after an empty take: at once
    assert time.monotonic() - quiet < 1.0
