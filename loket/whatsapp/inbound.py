"""Receiving: store every event of a webhook batch once, then hand it to the task queue."""

import logging
import time
import traceback
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from loket.catalog.models import Office
from loket.whatsapp import outbox, payload
from loket.whatsapp.models import Contact, InboundMessage, StatusEvent

logger = logging.getLogger(__name__)

_office_cache: dict[str, tuple[float, int | None]] = {}
OFFICE_CACHE_SECONDS = 30.0


def office_id_for(phone_number_id: str) -> int | None:
    """The office that owns a WhatsApp number (cached for a few seconds per process)."""
    cached = _office_cache.get(phone_number_id)
    if cached and time.monotonic() - cached[0] < OFFICE_CACHE_SECONDS:
        return cached[1]
    office_id = (
        Office.objects.filter(phone_number_id=phone_number_id).values_list("id", flat=True).first()
    )
    _office_cache[phone_number_id] = (time.monotonic(), office_id)
    return office_id


def upsert_contact(office_id: int, event: payload.InboundEvent) -> Contact:
    contact = None
    if event.user_id:
        contact = Contact.objects.filter(office_id=office_id, user_id=event.user_id).first()
    if contact is None and event.wa_id:
        contact = Contact.objects.filter(office_id=office_id, wa_id=event.wa_id).first()
    if contact is None:
        try:
            with transaction.atomic():
                return Contact.objects.create(
                    office_id=office_id,
                    user_id=event.user_id,
                    wa_id=event.wa_id,
                    phone=event.wa_id or "",
                    profile_name=event.profile_name,
                    last_inbound_at=event.timestamp,
                )
        except IntegrityError:  # created by a concurrent request: read it back
            return upsert_contact(office_id, event)
    changed = {}
    if event.user_id and contact.user_id != event.user_id:
        changed["user_id"] = event.user_id
    if event.wa_id and not contact.wa_id:
        changed["wa_id"] = event.wa_id
        changed["phone"] = event.wa_id
    if event.profile_name and contact.profile_name != event.profile_name:
        changed["profile_name"] = event.profile_name
    if contact.last_inbound_at is None or contact.last_inbound_at < event.timestamp:
        changed["last_inbound_at"] = event.timestamp
    if changed:
        for key, value in changed.items():
            setattr(contact, key, value)
        Contact.objects.filter(pk=contact.pk).update(**changed)
    return contact


@transaction.atomic
def store_batch(batch: payload.Batch) -> tuple[list[str], list[str]]:
    """Stores the batch's new messages and statuses and enqueues their processing.

    Returns the WhatsApp ids of the new messages and of the messages whose status changed.
    Ids seen before (redeliveries, repeats inside one batch)
    are skipped. The task is a row in the same transaction: stored if and only if queued.
    """
    from loket.whatsapp.tasks import apply_statuses, process_inbound

    seen = set(
        InboundMessage.objects.filter(
            wa_message_id__in=[m.wa_message_id for m in batch.messages]
        ).values_list("wa_message_id", flat=True)
    )
    new_messages = []
    for event in batch.messages:
        if event.wa_message_id in seen:
            continue
        seen.add(event.wa_message_id)
        office_id = office_id_for(event.phone_number_id)
        if office_id is None:
            logger.warning(
                "message %s for unknown number %s ignored",
                event.wa_message_id,
                event.phone_number_id,
            )
            continue
        contact = upsert_contact(office_id, event)
        new_messages.append(
            InboundMessage(
                office_id=office_id,
                contact=contact,
                wa_message_id=event.wa_message_id,
                type=event.type,
                text=event.text,
                reply_id=event.reply_id,
                payload=event.raw,
                sent_at=event.timestamp,
            )
        )
    InboundMessage.objects.bulk_create(new_messages, ignore_conflicts=True)
    message_keys = [m.wa_message_id for m in new_messages]
    StatusEvent.objects.bulk_create(
        [
            StatusEvent(
                wa_message_id=s.wa_message_id,
                status=s.status,
                timestamp=s.timestamp,
                errors=s.errors,
                payload=s.raw,
            )
            for s in batch.statuses
        ],
        ignore_conflicts=True,
    )
    status_keys = sorted({s.wa_message_id for s in batch.statuses})
    # The tasks carry WhatsApp ids, not row ids: no read-back in the request. Repeats are
    # harmless: processing claims each row once.
    if message_keys:
        process_inbound.enqueue(message_keys)
    if status_keys:
        apply_statuses.enqueue(status_keys)
    return message_keys, status_keys


def _claim(message_id: int) -> bool:
    return bool(
        InboundMessage.objects.filter(pk=message_id, state=InboundMessage.State.NEW).update(
            state=InboundMessage.State.PROCESSING, claimed_at=timezone.now()
        )
    )


def process(wa_message_ids: list[str]) -> None:
    """Hands each claimed message to the handler in settings (the bot), once, in order."""
    handler = import_string(settings.WHATSAPP_INBOUND_HANDLER)
    message_ids = InboundMessage.objects.filter(wa_message_id__in=wa_message_ids).order_by(
        "sent_at", "id"
    )
    for message_id in list(message_ids.values_list("id", flat=True)):
        if not _claim(message_id):
            continue
        message = InboundMessage.objects.select_related("contact__office", "office").get(
            pk=message_id
        )
        try:
            with outbox.inline_delivery(), transaction.atomic():
                handler(message)
                message.state = InboundMessage.State.DONE
                message.processed_at = timezone.now()
                message.save(update_fields=["state", "processed_at"])
        except Exception:
            logger.exception("handling inbound message %s failed", message_id)
            InboundMessage.objects.filter(pk=message_id).update(
                state=InboundMessage.State.FAILED,
                processed_at=timezone.now(),
                error=traceback.format_exc()[-4000:],
            )


def enqueue_unprocessed() -> int:
    """Periodic safety net: messages whose processing never finished (a killed worker)."""
    from loket.whatsapp.tasks import process_inbound

    stale = timezone.now() - timedelta(minutes=5)
    stuck = InboundMessage.objects.filter(
        state=InboundMessage.State.PROCESSING, claimed_at__lt=stale
    )
    keys = list(stuck.values_list("wa_message_id", flat=True)[:500])
    if keys:
        InboundMessage.objects.filter(wa_message_id__in=keys).update(state=InboundMessage.State.NEW)
        process_inbound.enqueue(keys)
    return len(keys)
