"""Receiving: store every event of a webhook batch once, then hand it to the task queue."""

import logging
import time
import traceback
from datetime import timedelta

from django.conf import settings
from django.db import (
    DatabaseError,
    IntegrityError,
    InterfaceError,
    OperationalError,
    transaction,
)
from django.utils import timezone
from django.utils.module_loading import import_string

from loket.catalog.models import Office
from loket.whatsapp import outbox, payload
from loket.whatsapp.models import Contact, InboundMessage, RejectedWebhookItem, StatusEvent

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


RATE_LIMIT_NOTICE = (
    "Mohon maaf, pesan Anda terlalu banyak dalam waktu singkat. Pesan berikutnya baru akan kami "
    "baca setelah {minutes} menit. Terima kasih atas kesabaran Anda."
)


def rate_limit(contact: Contact | None, now) -> tuple[dict, str]:
    """The contact's rate-limit fields after one more message, and the verdict for it.

    "ok": handled; "notice": the first message past the limit (one polite notice, then
    silence); "silent": stored for staff, not answered. Limits are settings
    (WHATSAPP_RATE_LIMIT_MESSAGES per WHATSAPP_RATE_LIMIT_WINDOW_SECONDS, silence
    WHATSAPP_RATE_LIMIT_MUTE_SECONDS). Concurrent requests of one contact may both count from
    the same value: the limit is approximate by a message or two, never by a flood.
    """
    window = timedelta(seconds=settings.WHATSAPP_RATE_LIMIT_WINDOW_SECONDS)
    if contact is None or contact.window_started_at is None:
        return {"window_started_at": now, "window_count": 1}, "ok"
    if contact.muted_until and now < contact.muted_until:
        return {}, "silent"
    if now - contact.window_started_at >= window:
        return {"window_started_at": now, "window_count": 1, "muted_until": None}, "ok"
    count = contact.window_count + 1
    if count <= settings.WHATSAPP_RATE_LIMIT_MESSAGES:
        return {"window_count": count}, "ok"
    mute = timedelta(seconds=settings.WHATSAPP_RATE_LIMIT_MUTE_SECONDS)
    return {"window_count": count, "muted_until": now + mute}, "notice"


def upsert_contact(office_id: int, event: payload.InboundEvent, now=None) -> tuple[Contact, str]:
    """The event's contact, created or updated in one statement, and its rate-limit verdict."""
    now = now or timezone.now()
    contact = None
    if event.user_id:
        contact = Contact.objects.filter(office_id=office_id, user_id=event.user_id).first()
    if contact is None and event.wa_id:
        contact = Contact.objects.filter(office_id=office_id, wa_id=event.wa_id).first()
    limits, verdict = rate_limit(contact, now)
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
                    **limits,
                ), verdict
        except IntegrityError:  # created by a concurrent request: read it back
            return upsert_contact(office_id, event, now)
    changed = dict(limits)
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
    return contact, verdict


def reject(rejected: list[payload.Rejected]) -> None:
    """Stores and logs the items whose shape was wrong (their content stays encrypted)."""
    for item in rejected:
        logger.warning("webhook: rejected a %s: %s", item.kind, item.reason)
    RejectedWebhookItem.objects.bulk_create(
        [
            RejectedWebhookItem(kind=r.kind, reason=r.reason[:200], raw=payload.dump(r.item))
            for r in rejected
        ]
    )


def store_batch(batch: payload.Batch) -> tuple[list[str], list[str]]:
    """Stores the batch's items and enqueues their processing; never fails for one bad item.

    The whole batch is one transaction (the fast path). If the database refuses it for a
    reason other than being unreachable, each item is stored on its own and the ones refused
    again are kept as rejected with the database's reason: the rest is stored and answered.
    Returns the WhatsApp ids of the new messages and of the messages whose status changed.
    """
    if batch.rejected:
        reject(batch.rejected)
    try:
        with transaction.atomic():
            return _store(batch)
    except (OperationalError, InterfaceError):
        raise  # database down: the webhook answers 503 and Meta redelivers
    except DatabaseError:
        logger.warning("webhook batch refused by the database: storing item by item")
    keys: tuple[list[str], list[str]] = ([], [])
    singles = [payload.Batch(messages=[m]) for m in batch.messages]
    singles += [payload.Batch(statuses=[s]) for s in batch.statuses]
    for single in singles:
        try:
            with transaction.atomic():
                new_messages, statuses = _store(single)
            keys[0].extend(new_messages)
            keys[1].extend(statuses)
        except (OperationalError, InterfaceError):
            raise
        except DatabaseError as error:
            item = (single.messages or single.statuses)[0]
            reject([payload.Rejected("item", f"database refused it: {error}"[:200], item.raw)])
    return keys


def _store(batch: payload.Batch) -> tuple[list[str], list[str]]:
    """Ids seen before (redeliveries, repeats inside one batch) are skipped. The tasks are rows in
    the same transaction: stored if and only if queued."""
    from loket.whatsapp.tasks import apply_statuses, process_inbound

    seen = set(
        InboundMessage.objects.filter(
            wa_message_id__in=[m.wa_message_id for m in batch.messages]
        ).values_list("wa_message_id", flat=True)
    )
    now = timezone.now()
    new_messages = []
    priorities: dict[int, list[str]] = {}
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
        contact, verdict = upsert_contact(office_id, event, now)
        limited = verdict != "ok"
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
                state=InboundMessage.State.LIMITED if limited else InboundMessage.State.NEW,
            )
        )
        if verdict == "notice":
            minutes = max(1, settings.WHATSAPP_RATE_LIMIT_MUTE_SECONDS // 60)
            outbox.queue_text(
                contact, RATE_LIMIT_NOTICE.format(minutes=minutes), source="rate-limit"
            )
        if not limited:
            # Fair scheduling: a contact's later messages in its window wait behind everyone
            # else's first ones (django-tasks-db claims the highest priority first).
            priority = -min(contact.window_count - 1, 100)
            priorities.setdefault(priority, []).append(event.wa_message_id)
    InboundMessage.objects.bulk_create(new_messages, ignore_conflicts=True)
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
    for priority, keys in priorities.items():
        process_inbound.using(priority=priority).enqueue(keys)
    if status_keys:
        apply_statuses.enqueue(status_keys)
    return [m.wa_message_id for m in new_messages], status_keys


def _claim(message_id: int) -> bool:
    return bool(
        InboundMessage.objects.filter(pk=message_id, state=InboundMessage.State.NEW).update(
            state=InboundMessage.State.PROCESSING, claimed_at=timezone.now()
        )
    )


def process(wa_message_ids: list[str]) -> None:
    """Hands each message to the handler in settings (the bot), once, in order.

    The claim, the handler's writes (its replies are outbox rows) and the DONE mark are one
    transaction: a worker killed inside it leaves the message NEW, and the task, handed back by
    the lease (loket.core.leases), runs it again. The replies are sent after the commit.
    """
    handler = import_string(settings.WHATSAPP_INBOUND_HANDLER)
    message_ids = InboundMessage.objects.filter(
        wa_message_id__in=wa_message_ids, state=InboundMessage.State.NEW
    ).order_by("sent_at", "id")
    for message_id in list(message_ids.values_list("id", flat=True)):
        try:
            with outbox.inline_delivery(), transaction.atomic():
                if not _claim(message_id):
                    continue
                message = InboundMessage.objects.select_related("contact__office", "office").get(
                    pk=message_id
                )
                handler(message)
                message.state = InboundMessage.State.DONE
                message.processed_at = timezone.now()
                message.save(update_fields=["state", "processed_at"])
        except (OperationalError, InterfaceError):
            raise  # not the message's fault: the task is handed back and runs again
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
