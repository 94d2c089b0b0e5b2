"""The bot: one stored inbound message in, replies in the outbox. Called by the channel."""

import contextlib
import contextvars
import datetime as dt
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.module_loading import import_string

from loket.bot import clarify, phrases, replies
from loket.bot.models import Conversation, ReopenSubscription, Turn, deferred_saves
from loket.catalog.models import Service
from loket.catalog.policy import service_named
from loket.core import links, memo
from loket.core.bulk import insert_rows
from loket.nlu import SERVICE_INTENTS, classify_all
from loket.nlu.normalize import normalize
from loket.whatsapp import outbox
from loket.whatsapp.models import InboundMessage

TEXT_TYPES = {"text", "interactive", "button"}
GREETING = re.compile(
    r"^(halo|hallo|hai|hi|helo|assalamu\w*|selamat (pagi|siang|sore|malam)|"
    r"pagi|siang|sore|malam|permisi|p|tes|test)( \w+)?$"
)
YES = re.compile(r"^(ya|iya|y|yes|ok|oke|mau|boleh|setuju|siap)\b")
NO = re.compile(r"^(tidak|no|nggak|gak|ga|enggak|jangan|tdk)\b")
BACK_TO_BOT = {"menu", "bot", "kembali", "mulai"}
TO_ENGLISH = re.compile(
    r"^(?:(?:in|pakai|pake|pakai bahasa|pake bahasa|bahasa|please|tolong|can you speak) )?"
    r"(?:english|inggris)(?: (?:please|pls|saja|aja))?$"
)
TO_INDONESIAN = re.compile(
    r"^(?:(?:in|pakai|pake|kembali ke|balik ke|back to) )?(?:bahasa )?indonesia"
    r"(?: (?:please|pls|saja|aja))?$"
)
MEDIA_ACK_QUIET = dt.timedelta(minutes=10)
logger = logging.getLogger(__name__)


@dataclass
class _Batch:
    """What `answering()` read for a whole batch, and the turns it writes at the end."""

    conversations: dict[int, Conversation]  # by contact id; a contact missing has none yet
    contact_ids: set[int]
    careful: bool  # each message in a savepoint of its own (see `answering`)
    turns: list[Turn] = field(default_factory=list)


_batch: contextvars.ContextVar[_Batch | None] = contextvars.ContextVar(
    "loket_bot_batch", default=None
)


@contextlib.contextmanager
def answering(messages: list[InboundMessage], careful: bool = False) -> Iterator[None]:
    """A worker's batch of messages (settings.WHATSAPP_INBOUND_BATCH_CONTEXT): the catalog and
    policy read once (`core.memo`), every contact's conversation (locked) and link generation
    read in one query each, and the turns written in one statement when the batch succeeds.

    A batch succeeds or fails as a whole: messages are answered without a savepoint each, the
    replies (`outbox.deferred_rows`) and the conversations changed are written in one statement
    each at the end, and a failure of the bot on any message fails the batch, which the channel
    then answers a message at a time. That retry is `careful`: each message in a savepoint
    whose failure gets the citizen an apology (`handle`), every write at once."""
    with memo.memoized():
        contact_ids = {m.contact_id for m in messages if m.contact_id}
        # A contact the batch created has no conversation and no revoked links yet.
        new = {m.contact_id for m in messages if getattr(m.contact, "created_now", False)}
        earlier = contact_ids - new
        links.prefetch_generations(earlier, known_new=new)
        found = []
        if earlier:
            found = list(Conversation.objects.select_for_update().filter(contact_id__in=earlier))
        # A new contact's conversation: nobody else can create it; all in one statement.
        started = [Conversation(contact_id=contact_id) for contact_id in sorted(new)]
        insert_rows(started, keys=True)
        batch = _Batch({c.contact_id: c for c in [*found, *started]}, contact_ids, careful)
        token = _batch.set(batch)
        try:
            if careful:
                yield
            else:
                with deferred_saves(), outbox.deferred_rows():
                    yield
        finally:
            _batch.reset(token)
        insert_rows(batch.turns)


def conversation_for(message: InboundMessage) -> Conversation:
    batch = _batch.get()
    if batch is None or message.contact_id not in batch.contact_ids:
        conversation, _ = Conversation.objects.select_for_update().get_or_create(
            contact=message.contact
        )
        return conversation
    conversation = batch.conversations.get(message.contact_id)
    if conversation is None:  # read for the batch: none yet
        try:
            with transaction.atomic():
                conversation = Conversation.objects.create(contact=message.contact)
        except IntegrityError:  # created meanwhile (staff opened it in the inbox)
            conversation = Conversation.objects.select_for_update().get(contact=message.contact)
        batch.conversations[message.contact_id] = conversation
    conversation.contact = message.contact
    return conversation


def _forget_conversation(message: InboundMessage) -> None:
    """After a rollback the batch's copy may hold changes the database does not: read anew."""
    batch = _batch.get()
    if batch is not None:
        batch.contact_ids.discard(message.contact_id)
        batch.conversations.pop(message.contact_id, None)


def applications_of(contact) -> list:
    """The contact's applications with their history, from the applications app if installed."""
    if not apps.is_installed("loket.applications"):
        return []
    from loket.applications.status import summaries_for_contact

    return summaries_for_contact(contact)


def handle(message: InboundMessage) -> None:
    """Answers one message. A failure of ours still gets the citizen an apology, not silence:
    here, or (in a worker's batch, see `answering`) when the batch is answered again carefully."""
    batch = _batch.get()
    if batch is not None and not batch.careful:
        with translation.override(settings.LANGUAGE_CODE):
            _handle(message)  # what fails here fails the batch
        return
    with translation.override(settings.LANGUAGE_CODE):
        try:
            with transaction.atomic():
                _handle(message)
        except Exception:
            logger.exception("the bot failed on inbound message %s", message.pk)
            _forget_conversation(message)
            chosen = Conversation.objects.filter(contact=message.contact).values_list(
                "language", flat=True
            )
            with translation.override(chosen.first() or settings.LANGUAGE_CODE):
                replies.send_simple(message.contact, "error")


# A failure's writes are undone (its savepoint, or the batch's rollback) and the citizen gets an
# apology: the channel need not wrap it in a savepoint of its own (whatsapp.inbound._handle_one).
handle.contains_failures = True  # type: ignore[attr-defined]


def _handle(message: InboundMessage) -> None:
    conversation = conversation_for(message)
    text = normalize(message.text)
    if message.type == "text" and (TO_ENGLISH.match(text) or TO_INDONESIAN.match(text)):
        conversation.language = "en" if TO_ENGLISH.match(text) else ""
        conversation.save(update_fields=["language", "updated_at"])
        if conversation.state != Conversation.State.HANDED_TO_STAFF:
            with translation.override(conversation.language or settings.LANGUAGE_CODE):
                replies.send_menu(message.contact)
            _record_turn(message, Turn.Outcome.OTHER)
            return
    with translation.override(conversation.language or settings.LANGUAGE_CODE):
        _record_turn(message, *_answer(message, conversation, text))


def _record_turn(message: InboundMessage, outcome: str, intent: str = "", confidence=None):
    """One row per answered message: what the bot did (the head of office's figures)."""
    understood = None
    if confidence is not None:
        understood = confidence >= settings.LOKET_NLU_THRESHOLD and intent != "lainnya"
    turn = Turn(
        office_id=message.office_id,
        message=message,
        outcome=outcome,
        intent=intent[:32],
        confidence=confidence,
        understood=understood,
    )
    batch = _batch.get()
    if batch is None:
        turn.save()
    else:
        batch.turns.append(turn)


def _answer(message: InboundMessage, conversation: Conversation, text: str) -> tuple:
    """Answers the message; returns what the bot did: (Turn.Outcome, intent, confidence)."""
    contact = message.contact
    if any(import_string(path)(message, conversation) for path in settings.LOKET_BOT_PRE_HANDLERS):
        return (Turn.Outcome.OTHER,)
    if phrases.is_silent(message):
        return (Turn.Outcome.OTHER,)  # a reaction, an edit, a system notice: nobody waits
    if conversation.state == Conversation.State.HANDED_TO_STAFF:
        if text in BACK_TO_BOT:
            conversation.reset()
            replies.send_menu(contact)
        elif message.type in stored_media_types():
            acknowledge_media(conversation)
        return (Turn.Outcome.STAFF,)  # a person answers now; the bot stays quiet
    if message.type in stored_media_types():
        media_received(conversation)
        return (Turn.Outcome.OTHER,)
    if message.type == "sticker" or (
        message.type in TEXT_TYPES and phrases.is_only_emoji(message.text, text)
    ):
        replies.send_simple(contact, "polite")
        return (Turn.Outcome.OTHER,)
    if message.type not in TEXT_TYPES:
        replies.send_simple(contact, "unsupported")
        return (Turn.Outcome.OTHER,)
    if message.reply_id:
        handle_choice(conversation, message.reply_id)
        return (Turn.Outcome.MENU,)
    if conversation.state == Conversation.State.AWAITING_NOTIFY:
        code = conversation.context.get("service")
        if YES.match(text):
            handle_choice(conversation, f"notify:yes:{code}")
            return (Turn.Outcome.MENU,)
        if NO.match(text):
            handle_choice(conversation, f"notify:no:{code}")
            return (Turn.Outcome.MENU,)
    if conversation.state == Conversation.State.AWAITING_CHOICE and text in ("1", "2", "3"):
        options = conversation.context.get("options") or []
        if int(text) <= len(options):
            handle_choice(conversation, options[int(text) - 1])
            return (Turn.Outcome.MENU,)
    if text in BACK_TO_BOT:
        replies.send_menu(contact)
        conversation.state = Conversation.State.AWAITING_MENU
        conversation.save()
        return (Turn.Outcome.MENU,)
    if phrases.is_thanks(text):
        replies.send_simple(contact, "polite", thanks=True)
        return (Turn.Outcome.OTHER,)
    if salam := phrases.salam_answer(text):
        replies.send_simple(contact, "salam", salam=salam, name=contact.profile_name)
        return (Turn.Outcome.MENU,)
    if GREETING.match(text):
        replies.send_menu(contact, greeting=True)
        conversation.state = Conversation.State.AWAITING_MENU
        conversation.save()
        return (Turn.Outcome.MENU,)
    if (kind := phrases.complaint_kind(text)) is not None:
        conversation.hand_to_staff(Conversation.Reason.COMPLAINT, kind)
        replies.send_handoff(contact, complaint=True)
        return (Turn.Outcome.HANDED, "keluhan", 1.0)
    found = classify_all(message.text)
    services = [intent for intent, _ in found if intent in SERVICE_INTENTS]
    if len(services) >= 2:  # "mau bikin kk dan akta lahir": answer each service
        conversation.misunderstood = 0
        for code in services:
            service_chosen(conversation, Service.objects.get(code=code))
        return (Turn.Outcome.ANSWERED, services[0], found[0][1])
    reading = clarify.read(message.text)
    if phrases.asks_for_appointment(text):
        appointments_asked(conversation, reading)
        outcome = Turn.Outcome.ANSWERED
    elif reading.sure:
        outcome = handle_intent(conversation, reading.intent)
    elif reading.options:
        ask_back(conversation, reading.options)
        outcome = Turn.Outcome.ASKED_BACK
    else:
        outcome = not_understood(conversation)
    return (outcome, reading.intent, reading.confidence)


def stored_media_types() -> set[str]:
    """The media the inbox keeps for staff (its pre-handler stores them): photos, documents,
    voice notes. Without the inbox nobody would see them, so the bot promises nothing."""
    if not apps.is_installed("loket.inbox"):
        return set()
    from loket.inbox.media import MEDIA_TYPES

    return set(MEDIA_TYPES)


def acknowledge_media(conversation: Conversation) -> None:
    """ "Diterima, petugas akan melihat": once for a burst of files, not for every page."""
    now = timezone.now()
    last = conversation.context.get("media_acknowledged")
    if last and now - dt.datetime.fromisoformat(last) < MEDIA_ACK_QUIET:
        return
    conversation.context = {**conversation.context, "media_acknowledged": now.isoformat()}
    conversation.save(update_fields=["context", "updated_at"])
    replies.send_media_received(conversation.contact)


def media_received(conversation: Conversation) -> None:
    """A file with an application still open goes to staff (they attach it); otherwise we ask
    what it is for, and never call it a message type we cannot read."""
    contact = conversation.contact
    if has_open_application(contact):
        conversation.hand_to_staff(Conversation.Reason.MEDIA)
        acknowledge_media(conversation)
    else:
        replies.send_simple(contact, "media_unknown")


def has_open_application(contact) -> bool:
    if not apps.is_installed("loket.applications"):
        return False
    from loket.applications.attach import targets_for

    return bool(targets_for(contact, contact.office))


def appointments_asked(conversation: Conversation, reading: clarify.Reading) -> None:
    """ "mau buat janji", "antrian nomor berapa": booking links and today's queue. A service
    named in the message narrows the links to it."""
    named = Service.objects.filter(code=reading.intent, needs_presence=True).first()
    if named is None or not reading.sure:
        services = list(Service.objects.filter(needs_presence=True))
    else:
        services = [named]
    conversation.misunderstood = 0
    conversation.state = Conversation.State.IDLE
    conversation.save()
    replies.send_appointments(conversation.contact, services)


def ask_back(conversation: Conversation, options: list[str]) -> None:
    """ "Maksud Bapak/Ibu yang mana?" with the options; a tap (or 1-3) answers the chosen one.
    Not counted as a misunderstanding: the citizen is one tap from the answer."""
    choices = [replies.option_id(code) for code in options]
    conversation.state = Conversation.State.AWAITING_CHOICE
    conversation.context = {"options": choices}
    conversation.save()
    replies.send_clarify(conversation.contact, options)


def not_understood(conversation: Conversation) -> str:
    """The menu; the third misunderstanding in a row goes to a person. Returns the outcome."""
    contact = conversation.contact
    conversation.misunderstood += 1
    if conversation.misunderstood >= 3:
        conversation.hand_to_staff(Conversation.Reason.UNSURE)
        replies.send_handoff(contact)
        return Turn.Outcome.HANDED
    conversation.state = Conversation.State.AWAITING_MENU
    conversation.save()
    replies.send_menu(contact, unsure=True)  # "which of these?": asking back with the menu
    return Turn.Outcome.ASKED_BACK


def handle_intent(conversation: Conversation, intent: str) -> str:
    """Acts on an intent the bot is sure of; returns what it did (a Turn.Outcome)."""
    contact = conversation.contact
    conversation.misunderstood = 0
    if intent in SERVICE_INTENTS:
        service = service_named(intent)
        if service is None:
            raise Service.DoesNotExist(intent)
        service_chosen(conversation, service)
    elif intent == "jadwal":
        conversation.state = Conversation.State.IDLE
        conversation.save()
        replies.send_hours(contact)
    elif intent == "status":
        conversation.state = Conversation.State.IDLE
        conversation.save()
        replies.send_status(contact, applications_of(contact))
    elif intent == "operator":
        conversation.hand_to_staff(Conversation.Reason.ASKED)
        replies.send_handoff(contact)
        return Turn.Outcome.HANDED
    else:
        return not_understood(conversation)
    return Turn.Outcome.ANSWERED


def service_chosen(conversation: Conversation, service: Service) -> None:
    status = replies.send_service(conversation.contact, service)
    conversation.misunderstood = 0
    if status.is_suspended:
        conversation.state = Conversation.State.AWAITING_NOTIFY
        conversation.context = {"service": service.code}
    else:
        conversation.state = Conversation.State.IDLE
        conversation.context = {}
    conversation.save()


def handle_choice(conversation: Conversation, reply_id: str) -> None:
    """A button or list row: ids are `grp:<group>`, `svc:<code>`, `notify:<yes|no>:<code>`,
    `status`, `jadwal`, `operator`, `menu`."""
    contact = conversation.contact
    kind, _, rest = reply_id.partition(":")
    if kind == "grp" and replies.send_group(contact, rest):
        conversation.state = Conversation.State.AWAITING_MENU
        conversation.save()
    elif kind == "svc" and (service := service_named(rest)):
        service_chosen(conversation, service)
    elif kind == "notify":
        answer, _, code = rest.partition(":")
        service = service_named(code)
        if service and answer == "yes":
            ReopenSubscription.objects.get_or_create(
                office=contact.office, contact=contact, service=service, notified_at=None
            )
            replies.send_simple(contact, "notify_yes", service=service)
        else:
            replies.send_simple(contact, "notify_no")
        conversation.reset()
    elif reply_id in ("status", "jadwal", "operator"):
        handle_intent(conversation, reply_id)
    else:
        conversation.state = Conversation.State.AWAITING_MENU
        conversation.save()
        replies.send_menu(contact)
