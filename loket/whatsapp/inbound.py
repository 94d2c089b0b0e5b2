"""Receiving: store every event of a webhook batch once, then hand it to the task queue."""

import datetime as dt
import hashlib
import logging
import time
import traceback
from dataclasses import dataclass
from datetime import timedelta
from itertools import zip_longest

from django.conf import settings
from django.db import (
    DatabaseError,
    InterfaceError,
    OperationalError,
    connection,
    transaction,
)
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string

from loket.catalog.models import Office
from loket.core import wake
from loket.core.bulk import insert_rows, update_rows
from loket.whatsapp import outbox, payload, spool
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


@dataclass(frozen=True)
class Sender:
    """Who wrote a message, as the webhook said."""

    user_id: str | None
    wa_id: str | None
    profile_name: str
    timestamp: dt.datetime

    @classmethod
    def of(cls, message: InboundMessage) -> "Sender":
        return cls(
            message.sender_user_id or None,
            message.sender_wa_id or None,
            message.sender_name,
            message.sent_at,
        )


def _new_contact(office_id: int, event: Sender, limits: dict) -> Contact:
    """The contact a first message makes (not saved)."""
    return Contact(
        office_id=office_id,
        user_id=event.user_id,
        wa_id=event.wa_id,
        phone=event.wa_id or "",
        profile_name=event.profile_name,
        last_inbound_at=event.timestamp,
        **limits,
    )


def _apply_event(contact: Contact, event: Sender, limits: dict) -> dict:
    """What one more message changes on its contact (set on the object); returns the fields."""
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
    for key, value in changed.items():
        setattr(contact, key, value)
    return changed


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
    """Stores the batch's items and wakes the workers; never fails for one bad item.

    The fast path is one statement per kind of item: the messages in one INSERT (the contact,
    the rate limit and the answer are the worker's job: the queue is the table itself), the
    statuses in another with their task. If the database refuses the batch for a reason other
    than being unreachable, each item is stored on its own and the ones refused again are kept
    as rejected with the database's reason: the rest is stored and answered. Returns the
    WhatsApp ids of the messages stored (or stored before) and of the statuses.
    """
    if batch.rejected:
        reject(batch.rejected)
    try:
        if not batch.statuses:  # one INSERT is atomic by itself: no transaction around it
            return _store(batch)
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
    """Ids seen before (redeliveries, repeats inside one batch) are skipped by the unique index."""
    from loket.whatsapp.tasks import apply_statuses

    rows: dict[str, InboundMessage] = {}
    for event in batch.messages:
        office_id = office_id_for(event.phone_number_id)
        if office_id is None:
            logger.warning(
                "message %s for unknown number %s ignored",
                event.wa_message_id,
                event.phone_number_id,
            )
            continue
        rows.setdefault(
            event.wa_message_id,
            InboundMessage(
                office_id=office_id,
                sender_wa_id=event.wa_id or "",
                sender_user_id=event.user_id or "",
                sender_name=(event.profile_name or "")[:200],
                wa_message_id=event.wa_message_id,
                type=event.type,
                text=event.text,
                reply_id=event.reply_id,
                payload=event.raw,
                sent_at=event.timestamp,
            ),
        )
    if rows:  # on PostgreSQL the wake-up rides in the INSERT's own statement
        wake_up = wake.notify_sql(wake.INBOUND)
        insert_rows(list(rows.values()), ignore_conflicts=True, then=wake_up)
        if wake_up is None:
            wake.notify(wake.INBOUND)
    status_keys = sorted({s.wa_message_id for s in batch.statuses})
    if batch.statuses:
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
        apply_statuses.enqueue(status_keys)
    return list(rows), status_keys


# --- the worker side: the queue is the table --------------------------------------------------


def sender_key(office_id: int, wa_id: str, user_id: str) -> int:
    """A 64-bit lock key per citizen (PostgreSQL advisory locks): the BSUID, else the wa_id."""
    digest = hashlib.blake2b(f"{office_id}:{user_id or wa_id}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def _take(limit: int, only: int | None = None) -> list[InboundMessage]:
    """The waiting messages this transaction answers: every one of some citizens, oldest first.

    One citizen's messages are answered by one worker at a time, in the order they were
    written. On PostgreSQL a worker takes the citizens whose advisory lock it gets (held until
    its transaction ends: other workers skip them); SQLite runs one writing transaction at a
    time (transaction_mode IMMEDIATE), so the batch is simply the oldest waiting messages.
    Nothing is marked: a worker that dies rolls back, and its messages wait again.
    """
    waiting = InboundMessage.objects.filter(state=InboundMessage.State.NEW)
    if only is not None:
        waiting = waiting.filter(pk=only)
    if connection.vendor != "postgresql":
        # A batch holds SQLite's one write lock: smaller, so staff pages wait less for it.
        limit = min(limit, settings.WHATSAPP_INBOUND_BATCH_SQLITE)
        return list(waiting.select_related("office").order_by("id")[:limit])
    # Only ids and senders here, then the rows themselves by primary key. A plain index scan
    # of the waiting rows, never a bitmap scan: answered messages leave dead entries in that
    # partial index until VACUUM, and only a plain scan marks them so that the next one skips
    # them (a bitmap scan visited all of them each time: 15 ms a batch after 50,000 messages).
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_bitmapscan = off")
    heads = waiting.order_by("id").values_list("id", "office_id", "sender_wa_id", "sender_user_id")[
        : limit * 4
    ]  # past the citizens another worker is answering now
    senders: dict[int, list[int]] = {}  # oldest first
    for message_id, *sender in heads:
        senders.setdefault(sender_key(*sender), []).append(message_id)
    if not senders:
        return []
    with connection.cursor() as cursor:
        # Locks are tried in order and no more than `limit` are taken (no sort: LIMIT stops
        # the scan), so two workers share a crowd instead of racing for the same heads.
        cursor.execute(
            "SELECT k FROM unnest(%s::bigint[]) AS k WHERE pg_try_advisory_xact_lock(k) LIMIT %s",
            [list(senders), limit],
        )
        mine = [row[0] for row in cursor.fetchall()]
    # A citizen's later messages (outside this window, or written meanwhile) wait for the next
    # batch, after this one commits: still in the order written.
    ids = [message_id for key in mine for message_id in senders[key]]
    return list(waiting.filter(pk__in=ids).select_related("office").order_by("id"))


def _fair(messages: list[InboundMessage]) -> list[InboundMessage]:
    """Each citizen's first message, then each one's second, ...: a flood waits its turn."""
    by_sender: dict[tuple, list[InboundMessage]] = {}
    for message in sorted(messages, key=lambda m: (m.sent_at, m.id)):
        key = (message.office_id, message.sender_user_id or message.sender_wa_id)
        by_sender.setdefault(key, []).append(message)
    rounds = zip_longest(*by_sender.values())
    return [m for turn in rounds for m in turn if m is not None]


def pump(limit: int | None = None) -> int:
    """Answers a batch of waiting messages in one transaction; returns how many it took.

    First every message's contact (upsert and rate limit, in the order written), then the
    handler (the bot) per message inside a savepoint, its replies outbox rows; the marks in one
    statement; the commit; then the replies are sent, concurrently. A worker killed before the
    commit leaves every message of the batch waiting; the next worker answers it once. A batch
    that fails as a whole (not the database being down) is retried one message at a time, so
    one poisonous message is marked failed and the others answered.
    """
    limit = limit or settings.WHATSAPP_INBOUND_BATCH
    _gather()
    if spool.enabled():
        spool.ingest()  # SQLite: the deliveries the webhooks spooled, into the database first
    messages: list[InboundMessage] = []
    try:
        started = time.monotonic()
        with outbox.inline_delivery(), transaction.atomic():
            messages = _take(limit)
            if messages:
                _answer(messages)
        _last_batch[:] = [started, 0 < len(messages) < limit]
        return len(messages)
    except (OperationalError, InterfaceError):
        raise
    except Exception:
        logger.exception("an inbound batch failed: answering its messages one at a time")
    for message_id in [m.pk for m in messages]:
        try:
            with outbox.inline_delivery(), transaction.atomic():
                _answer(_take(1, only=message_id), careful=True)
        except (OperationalError, InterfaceError):
            raise
        except Exception:
            logger.exception("handling inbound message %s failed", message_id)
            InboundMessage.objects.filter(pk=message_id, state=InboundMessage.State.NEW).update(
                state=InboundMessage.State.FAILED,
                processed_at=timezone.now(),
                error=traceback.format_exc()[-4000:],
            )
    return len(messages)


# When this process's last batch started, and whether it was a small one (not empty, not full).
_last_batch: list = [0.0, False]


def _gather() -> None:
    """Under load, answers in batches rather than a message at a time.

    A batch that follows a small one starts no sooner than WHATSAPP_INBOUND_GATHER_SECONDS
    after it: what the worker spends on a batch whatever its size (the take, the catalog
    version, the commit, the sends) is then shared by the messages that came meanwhile, so
    a crowd costs less CPU a message instead of more. A message after a quiet moment, or after
    an empty or a full batch (a backlog), is taken at once."""
    started, small = _last_batch
    if small:
        wait = started + settings.WHATSAPP_INBOUND_GATHER_SECONDS - time.monotonic()
        if wait > 0:
            time.sleep(wait)


def _answer(messages: list[InboundMessage], careful: bool = False) -> None:
    handler = import_string(settings.WHATSAPP_INBOUND_HANDLER)
    verdicts = _set_contacts(messages)
    # The handler's batch context (the bot's: catalog, policy, conversations read once; its
    # writes at the end). `careful`: each message in a savepoint of its own, because the batch
    # failed and each message is now answered alone, or because the handler needs ours.
    careful = careful or not getattr(handler, "contains_failures", False)
    with import_string(settings.WHATSAPP_INBOUND_BATCH_CONTEXT)(messages, careful=careful):
        for message in _fair(messages):
            _handle_one(handler, message, verdicts[message.pk])
    update_rows(messages, ["state", "processed_at", "error"])


def _known_contacts(messages: list[InboundMessage]) -> dict[tuple, Contact]:
    """The batch's senders who are contacts already, in one query, keyed like `_set_contacts`."""
    offices = {m.office_id for m in messages}
    user_ids = {m.sender_user_id for m in messages if m.sender_user_id}
    wa_ids = {m.sender_wa_id for m in messages if m.sender_wa_id}
    found = Contact.objects.filter(office_id__in=offices).filter(
        Q(user_id__in=user_ids) | Q(wa_id__in=wa_ids)
    )
    by_user = {(c.office_id, c.user_id): c for c in found if c.user_id}
    by_wa = {(c.office_id, c.wa_id): c for c in found if c.wa_id}
    known = {}
    for m in messages:
        contact = by_user.get((m.office_id, m.sender_user_id)) if m.sender_user_id else None
        if contact is None and m.sender_wa_id:
            contact = by_wa.get((m.office_id, m.sender_wa_id))
        if contact is not None:
            known[(m.office_id, m.sender_user_id or m.sender_wa_id)] = contact
    return known


def _set_contacts(messages: list[InboundMessage]) -> dict[int, str]:
    """Every message's contact, created or updated and its rate limit counted in the order
    written; returns each message's verdict. New contacts are one INSERT, the others' changes
    one UPDATE (another transaction creating the same contact meanwhile fails the batch, which
    is then answered a message at a time, finding it). The messages are saved with their
    contact: the handler sees its citizen's messages like the inbox does. A contact this batch
    created says so (`created_now`): nothing else can refer to it yet."""
    contacts = _known_contacts(messages)
    known = {c.pk for c in contacts.values()}
    created: list[Contact] = []
    touched: dict[int, Contact] = {}
    changed: set[str] = set()
    verdicts = {}
    for message in sorted(messages, key=lambda m: (m.sent_at, m.id)):
        key = (message.office_id, message.sender_user_id or message.sender_wa_id)
        sender = Sender.of(message)
        contact = contacts.get(key)
        limits, verdicts[message.pk] = rate_limit(contact, message.received_at)
        if contact is None:
            contact = contacts[key] = _new_contact(message.office_id, sender, limits)
            created.append(contact)
        else:
            changed |= _apply_event(contact, sender, limits).keys()
            if contact.pk is not None:
                touched[contact.pk] = contact
    insert_rows(created, keys=True)
    update_rows(list(touched.values()), sorted(changed))
    for message in messages:
        contact = contacts[(message.office_id, message.sender_user_id or message.sender_wa_id)]
        contact.created_now = contact.pk not in known
        if contact.office_id == message.office_id:
            contact.office = message.office
        message.contact = contact
    update_rows(messages, ["contact"])
    return verdicts


def _handle_one(handler, message: InboundMessage, verdict: str) -> None:
    """Runs the handler on one message inside a savepoint: its failure marks the message failed
    and undoes its writes, not the batch's. A handler that contains its own failures
    (`handler.contains_failures`: it undoes its own writes and answers an apology, as the bot
    does) runs without ours, two statements less a message: what still escapes it fails the
    batch, which is then answered a message at a time."""
    if getattr(handler, "contains_failures", False):
        _run(handler, message, verdict)
        return
    try:
        with transaction.atomic():
            _run(handler, message, verdict)
    except (OperationalError, InterfaceError):
        raise  # not the message's fault: the batch rolls back and waits for a worker
    except Exception:
        logger.exception("handling inbound message %s failed", message.pk)
        message.state = InboundMessage.State.FAILED
        message.processed_at = timezone.now()
        message.error = traceback.format_exc()[-4000:]


def _run(handler, message: InboundMessage, verdict: str) -> None:
    if verdict == "notice":
        minutes = max(1, settings.WHATSAPP_RATE_LIMIT_MUTE_SECONDS // 60)
        outbox.queue_text(
            message.contact, RATE_LIMIT_NOTICE.format(minutes=minutes), source="rate-limit"
        )
    if verdict == "ok":
        handler(message)
        message.state = InboundMessage.State.DONE
    else:
        message.state = InboundMessage.State.LIMITED
    message.processed_at = timezone.now()


def process(wa_message_ids: list[str] | None = None) -> None:
    """The task of earlier versions (rows queued before an upgrade): answers what is waiting."""
    while pump():
        pass


def enqueue_unprocessed() -> int:
    """Periodic safety net: messages an earlier version left claimed by a killed worker."""
    stale = timezone.now() - timedelta(minutes=5)
    stuck = InboundMessage.objects.filter(
        state=InboundMessage.State.PROCESSING, claimed_at__lt=stale
    )
    count = stuck.update(state=InboundMessage.State.NEW)
    if count:
        wake.notify(wake.INBOUND)
    return count
