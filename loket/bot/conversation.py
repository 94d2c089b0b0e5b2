"""The bot: one stored inbound message in, replies in the outbox. Called by the channel."""

import logging
import re

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.module_loading import import_string

from loket.bot import replies
from loket.bot.models import Conversation, ReopenSubscription, Turn
from loket.catalog.models import Service
from loket.nlu import SERVICE_INTENTS, classify_all
from loket.nlu.normalize import normalize
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
COMPLAINT = re.compile(
    r"\b(komplain|komplen|kecewa|lambat sekali|lama sekali|tidak dilayani|gak dilayani|keluhan)\b"
)
logger = logging.getLogger(__name__)


def conversation_for(message: InboundMessage) -> Conversation:
    conversation, _ = Conversation.objects.select_for_update().get_or_create(
        contact=message.contact
    )
    return conversation


def applications_of(contact) -> list:
    """The contact's applications with their history, from the applications app if installed."""
    if not apps.is_installed("loket.applications"):
        return []
    from loket.applications.status import summaries_for_contact

    return summaries_for_contact(contact)


def handle(message: InboundMessage) -> None:
    """Answers one message. A failure of ours still gets the citizen an apology, not silence."""
    with translation.override(settings.LANGUAGE_CODE):
        try:
            with transaction.atomic():
                _handle(message)
        except Exception:
            logger.exception("the bot failed on inbound message %s", message.pk)
            chosen = Conversation.objects.filter(contact=message.contact).values_list(
                "language", flat=True
            )
            with translation.override(chosen.first() or settings.LANGUAGE_CODE):
                replies.send_simple(message.contact, "error")


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
        _answer(message, conversation, text)


def _record_turn(message: InboundMessage, outcome: str, intent: str = "", confidence=None):
    """One row per answered message: what the bot did (the head of office's figures)."""
    understood = None
    if confidence is not None:
        understood = confidence >= settings.LOKET_NLU_THRESHOLD and intent != "lainnya"
    Turn.objects.create(
        office_id=message.office_id,
        message=message,
        outcome=outcome,
        intent=intent[:32],
        confidence=confidence,
        understood=understood,
    )


def _answer(message: InboundMessage, conversation: Conversation, text: str) -> None:
    contact = message.contact
    if any(import_string(path)(message, conversation) for path in settings.LOKET_BOT_PRE_HANDLERS):
        return _record_turn(message, Turn.Outcome.OTHER)
    if conversation.state == Conversation.State.HANDED_TO_STAFF:
        if text in BACK_TO_BOT:
            conversation.reset()
            replies.send_menu(contact)
            return _record_turn(message, Turn.Outcome.MENU)
        return _record_turn(message, Turn.Outcome.STAFF)  # a person answers; the bot is quiet
    if message.type not in TEXT_TYPES:
        replies.send_simple(contact, "unsupported")
        return _record_turn(message, Turn.Outcome.OTHER)
    if message.reply_id:
        handle_choice(conversation, message.reply_id)
        return _record_turn(message, Turn.Outcome.MENU)
    if conversation.state == Conversation.State.AWAITING_NOTIFY:
        code = conversation.context.get("service")
        if YES.match(text):
            handle_choice(conversation, f"notify:yes:{code}")
            return _record_turn(message, Turn.Outcome.MENU)
        if NO.match(text):
            handle_choice(conversation, f"notify:no:{code}")
            return _record_turn(message, Turn.Outcome.MENU)
    if text in BACK_TO_BOT:
        replies.send_menu(contact)
        conversation.state = Conversation.State.AWAITING_MENU
        conversation.save()
        return _record_turn(message, Turn.Outcome.MENU)
    if GREETING.match(text):
        replies.send_menu(contact, greeting=True)
        conversation.state = Conversation.State.AWAITING_MENU
        conversation.save()
        return _record_turn(message, Turn.Outcome.MENU)
    if COMPLAINT.search(text):
        conversation.hand_to_staff(Conversation.Reason.COMPLAINT)
        replies.send_handoff(contact)
        return _record_turn(message, Turn.Outcome.HANDED, "keluhan", 1.0)
    found = classify_all(message.text)
    services = [intent for intent, _ in found if intent in SERVICE_INTENTS]
    if len(services) >= 2:  # "mau bikin kk dan akta lahir": answer each service
        conversation.misunderstood = 0
        for code in services:
            service_chosen(conversation, Service.objects.get(code=code))
        return _record_turn(message, Turn.Outcome.ANSWERED, services[0], found[0][1])
    intent, confidence = found[0]
    outcome = handle_intent(conversation, intent, confidence)
    return _record_turn(message, outcome, intent, confidence)


def handle_intent(conversation: Conversation, intent: str, confidence: float) -> str:
    """Acts on the classified intent; returns what the bot did (a Turn.Outcome)."""
    contact = conversation.contact
    if confidence < settings.LOKET_NLU_THRESHOLD or intent == "lainnya":
        conversation.misunderstood += 1
        if conversation.misunderstood >= 3:
            conversation.hand_to_staff(Conversation.Reason.UNSURE)
            replies.send_handoff(contact)
            return Turn.Outcome.HANDED
        conversation.state = Conversation.State.AWAITING_MENU
        conversation.save()
        replies.send_menu(contact, unsure=True)
        return Turn.Outcome.ASKED_BACK
    conversation.misunderstood = 0
    if intent in SERVICE_INTENTS:
        service_chosen(conversation, Service.objects.get(code=intent))
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
    return Turn.Outcome.ANSWERED


def service_chosen(conversation: Conversation, service: Service) -> None:
    status = replies.send_service(conversation.contact, service)
    if status.is_suspended:
        conversation.state = Conversation.State.AWAITING_NOTIFY
        conversation.context = {"service": service.code}
    else:
        conversation.state = Conversation.State.IDLE
        conversation.context = {}
    conversation.save()


def handle_choice(conversation: Conversation, reply_id: str) -> None:
    """A button or list row: ids are `grp:<group>`, `svc:<code>`, `notify:<yes|no>:<code>`."""
    contact = conversation.contact
    kind, _, rest = reply_id.partition(":")
    if kind == "grp" and replies.send_group(contact, rest):
        conversation.state = Conversation.State.AWAITING_MENU
        conversation.save()
    elif kind == "svc" and (service := Service.objects.filter(code=rest).first()):
        service_chosen(conversation, service)
    elif kind == "notify":
        answer, _, code = rest.partition(":")
        service = Service.objects.filter(code=code).first()
        if service and answer == "yes":
            ReopenSubscription.objects.get_or_create(
                office=contact.office, contact=contact, service=service, notified_at=None
            )
            replies.send_simple(contact, "notify_yes", service=service)
        else:
            replies.send_simple(contact, "notify_no")
        conversation.reset()
    elif reply_id in ("status", "operator"):
        handle_intent(conversation, reply_id, 1.0)
    else:
        replies.send_menu(contact)
