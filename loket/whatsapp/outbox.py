"""Sending: every outbound message is a row first, then a task sends it and records the outcome.

A worker crash or a Graph outage delays a reply; it never loses it. Retryable failures (429, 5xx,
network) come back with exponential backoff and jitter; permanent ones are recorded and kept.
"""

import contextlib
import contextvars
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from django.conf import settings
from django.db import connections, router, transaction
from django.utils import timezone

from loket.core import metrics
from loket.core.bulk import insert_rows, update_rows
from loket.core.tasks import backoff_seconds, enqueue_after
from loket.whatsapp import graph
from loket.whatsapp.models import Contact, OutboundMessage, SendAttempt, StatusEvent

logger = logging.getLogger(__name__)

TEXT_LIMIT = 4096
INTERACTIVE_BODY_LIMIT = 1024
MAX_BUTTONS = 3
MAX_LIST_ROWS = 10
ROW_TITLE_LIMIT = 24
BUTTON_TITLE_LIMIT = 20
ACCEPTED_FIELDS = ["status", "wa_message_id", "accepted_at", "error_code", "error_message"]
STATUS_RANK = {"accepted": 0, "sent": 1, "delivered": 2, "read": 3}


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def queue(
    contact: Contact,
    kind: str,
    body: dict,
    preview: str,
    source: str = "bot",
    before_send=None,
) -> OutboundMessage:
    """Writes the outbox row and enqueues its delivery in the caller's transaction.

    Inside `inline_delivery()` (a worker answering an inbound message) no task is enqueued: the
    worker sends right after its transaction commits, and the periodic sweeper resends anything
    a crash left queued. Either way the row exists before any attempt to send it.
    """
    message = OutboundMessage(
        office_id=contact.office_id,
        contact=contact,
        kind=kind,
        body=body,
        preview=preview[:2000],
        source=source,
    )
    if Contact.office.is_cached(contact):  # sent from memory by `deliver_rows`: no read back
        message.office = contact.office
    deferred = _deferred.get()
    if deferred is not None and before_send is None:
        deferred.append(message)  # written with the batch's others (`deferred_rows`)
        return message
    if deferred:  # rows get their keys in the order queued: a citizen's replies stay in order
        _write(deferred)
        deferred.clear()
    message.save(force_insert=True)
    if before_send is not None:  # rows the send needs (a document's file) exist before it
        before_send(message)
    _send_after(message)
    return message


def _send_after(message: OutboundMessage) -> None:
    from loket.whatsapp.tasks import deliver

    pending = _inline.get()
    if pending is None:
        deliver.enqueue(message.pk)
    else:
        pending.append(message)


def _write(rows: list[OutboundMessage]) -> None:
    insert_rows(rows, keys=True)
    for row in rows:
        _send_after(row)


_deferred: contextvars.ContextVar[list[OutboundMessage] | None] = contextvars.ContextVar(
    "loket_outbox_deferred", default=None
)


@contextlib.contextmanager
def deferred_rows():
    """Rows queued inside the block are written together (one INSERT) when it ends.

    For a worker's batch that succeeds or fails as a whole, with no savepoint inside it that
    is rolled back on its own: a row queued under such a savepoint would still be written.
    Rows with a file to attach are written at once (with the ones queued before them)."""
    rows: list[OutboundMessage] = []
    token = _deferred.set(rows)
    try:
        yield
    finally:
        _deferred.reset(token)
    _write(rows)


_inline: contextvars.ContextVar[list[OutboundMessage] | None] = contextvars.ContextVar(
    "loket_inline_delivery", default=None
)


@contextlib.contextmanager
def inline_delivery():
    """Collects the messages queued inside the block; sends them when the block ends.

    Use it around a transaction in a worker: the sends happen after the commit, outside it.
    """
    pending: list[OutboundMessage] = []
    token = _inline.set(pending)
    try:
        yield pending
    finally:
        _inline.reset(token)
    if pending:
        deliver_rows(pending)


def queue_text(contact: Contact, text: str, source: str = "bot") -> OutboundMessage:
    text = _clip(text, TEXT_LIMIT)
    body = {"type": "text", "text": {"body": text, "preview_url": False}}
    return queue(contact, "text", body, text, source)


def queue_buttons(
    contact: Contact, text: str, buttons: list[tuple[str, str]], source: str = "bot"
) -> OutboundMessage:
    """Reply buttons: at most 3, titles at most 20 characters."""
    text = _clip(text, INTERACTIVE_BODY_LIMIT)
    body = {
        "type": "interactive",
        "interactive": {
            "type": "button",
            "body": {"text": text},
            "action": {
                "buttons": [
                    {
                        "type": "reply",
                        "reply": {"id": bid[:256], "title": _clip(title, BUTTON_TITLE_LIMIT)},
                    }
                    for bid, title in buttons[:MAX_BUTTONS]
                ]
            },
        },
    }
    return queue(contact, "interactive", body, text, source)


def queue_list(
    contact: Contact, text: str, button: str, rows: list[tuple[str, str, str]], source: str = "bot"
) -> OutboundMessage:
    """An interactive list: at most 10 rows, titles at most 24 characters."""
    text = _clip(text, INTERACTIVE_BODY_LIMIT)
    body = {
        "type": "interactive",
        "interactive": {
            "type": "list",
            "body": {"text": text},
            "action": {
                "button": _clip(button, BUTTON_TITLE_LIMIT),
                "sections": [
                    {
                        "title": _clip(button, ROW_TITLE_LIMIT),
                        "rows": [
                            {
                                "id": rid[:200],
                                "title": _clip(title, ROW_TITLE_LIMIT),
                                "description": _clip(description, 72),
                            }
                            for rid, title, description in rows[:MAX_LIST_ROWS]
                        ],
                    }
                ],
            },
        },
    }
    return queue(contact, "interactive", body, text, source)


def queue_template(
    contact: Contact,
    name: str,
    language: str,
    parameters: list[str],
    preview: str,
    source: str = "bot",
) -> OutboundMessage:
    """An approved template: the only thing allowed outside the 24-hour window."""
    components = []
    if parameters:
        components = [
            {"type": "body", "parameters": [{"type": "text", "text": str(p)} for p in parameters]}
        ]
    body = {
        "type": "template",
        "template": {"name": name, "language": {"code": language}, "components": components},
    }
    return queue(contact, "template", body, preview, source)


DOCUMENT_CAPTION_LIMIT = 1024


def queue_document(
    contact: Contact,
    storage_name: str,
    filename: str,
    content_type: str,
    caption: str,
    source: str = "bot",
) -> OutboundMessage:
    """A document message; the sending task uploads the (encrypted, stored) file once."""
    from loket.whatsapp.models import OutboundMedia

    caption = _clip(caption, DOCUMENT_CAPTION_LIMIT)
    body = {"type": "document", "document": {"filename": filename[:200], "caption": caption}}

    def attach(message: OutboundMessage) -> None:
        OutboundMedia.objects.create(
            message=message,
            storage_name=storage_name,
            content_type=content_type,
            filename=filename[:200],
        )

    with transaction.atomic():
        return queue(contact, "document", body, caption, source, before_send=attach)


def deliver(message_id: int) -> str:
    """Sends one outbox row (the delivery task), once: claims it if it is still queued and
    due, reads it with its contact and office, then as `_send`."""
    now = timezone.now()
    if not _claim([message_id], now):
        return "not-due"
    message = OutboundMessage.objects.select_related("contact", "office").get(pk=message_id)
    return _send([message], now)[0]


def _request(message: OutboundMessage) -> "dict | graph.GraphResult":
    """The body to POST; a stored file is uploaded first (once: the media id is kept for
    retries), and an upload that failed is the attempt's result."""
    body = message.request_json()
    document = body.get("document") or {}
    if message.kind == "document" and not ("id" in document or "link" in document):
        from loket.whatsapp import media

        return media.prepared_body(message, message.office.phone_number_id or "")
    return body


def deliver_rows(rows: list[OutboundMessage]) -> list[str]:
    """Sends rows this process queued and still holds (`inline_delivery`): claimed by one
    UPDATE ... RETURNING (rows already sent or not due are left alone), nothing read back."""
    now = timezone.now()
    claimed = set(_claim([row.pk for row in rows], now))
    messages = [row for row in rows if row.pk in claimed]
    for message in messages:
        message.status, message.claimed_at = OutboundMessage.Status.SENDING, now
        message.attempts += 1
    return _send(messages, now)


def _claim(ids: list[int], now) -> list[int]:
    """Marks the due rows among `ids` as being sent, in one statement; returns their ids."""
    if not ids:
        return []
    connection = connections[router.db_for_write(OutboundMessage)]
    quote, field = connection.ops.quote_name, OutboundMessage._meta.get_field
    names = ("id", "status", "claimed_at", "attempts", "next_attempt_at")
    column = {name: quote(field(name).column) for name in names}
    when = field("claimed_at").get_db_prep_save(now, connection)
    table = quote(OutboundMessage._meta.db_table)
    sql = (  # names from the model's meta, quoted; every value a parameter
        f"UPDATE {table} SET {column['status']} = %s, {column['claimed_at']} = %s, "  # noqa: S608
        f"{column['attempts']} = {column['attempts']} + 1 "
        f"WHERE {column['id']} IN ({', '.join(['%s'] * len(ids))}) "
        f"AND {column['status']} = %s AND {column['next_attempt_at']} <= %s "
        f"RETURNING {column['id']}"
    )
    params = [OutboundMessage.Status.SENDING, when, *ids, OutboundMessage.Status.QUEUED, when]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def _send(messages: list[OutboundMessage], now) -> list[str]:
    """Sends claimed rows: concurrent sends over the keep-alive pool, the attempts and outcomes
    written in one transaction. A citizen's rows go out one after the other, in the order they
    were queued (a reply in two parts stays in order). Everything that reads the database (a
    document's upload, a row's office) happens here, not in the sending threads."""
    by_contact: dict[int, list[OutboundMessage]] = {}
    requests = {}
    for message in sorted(messages, key=lambda m: m.pk):
        by_contact.setdefault(message.contact_id, []).append(message)
        requests[message.pk] = (message.office.phone_number_id or "", _request(message))

    def send_in_order(rows: list[OutboundMessage]) -> list[graph.GraphResult]:
        results = []
        for m in rows:
            phone_number_id, request = requests[m.pk]
            if not isinstance(request, graph.GraphResult):
                request = graph.send_message(phone_number_id, request)
            results.append(request)
        return results

    results = dict(zip(by_contact, _senders().map(send_in_order, by_contact.values()), strict=True))
    decided = [
        (m, *_decide(m, r, now))
        for contact_id, rows in by_contact.items()
        for m, r in zip(rows, results[contact_id], strict=True)
    ]
    with transaction.atomic():
        insert_rows([attempt for _, _, _, _, attempt in decided])
        accepted = []
        for message, outcome, fields, delay, _ in decided:
            if outcome != "accepted":
                _apply(message, outcome, fields, delay)
                continue
            for key, value in fields.items():
                setattr(message, key, value)
            accepted.append(message)
        if accepted:  # the usual case: one statement for all
            update_rows(accepted, ACCEPTED_FIELDS)
    for message, outcome, fields, _, _ in decided:
        _log(message, outcome, fields)
    return [outcome for _, outcome, _, _, _ in decided]


_pool: list[ThreadPoolExecutor] = []
_pool_lock = threading.Lock()


def _senders() -> ThreadPoolExecutor:
    """The process's sending threads (WHATSAPP_SEND_CONCURRENCY), started once, kept."""
    if not _pool:
        with _pool_lock:
            if not _pool:
                _pool.append(
                    ThreadPoolExecutor(
                        settings.WHATSAPP_SEND_CONCURRENCY, thread_name_prefix="loket-send"
                    )
                )
    return _pool[0]


def _apply(message: OutboundMessage, outcome: str, fields: dict, delay: float) -> None:
    from loket.whatsapp.tasks import deliver as deliver_task

    OutboundMessage.objects.filter(pk=message.pk).update(**fields)
    if outcome == "retry":
        enqueue_after(deliver_task, delay, message.pk)


def _log(message: OutboundMessage, outcome: str, fields: dict) -> None:
    if outcome == "failed":
        logger.warning(
            "message %s failed: %s %s", message.pk, fields["error_code"], fields["error_message"]
        )
    elif outcome == "accepted" and message.source == "bot" and metrics.enabled():
        metrics.observe_reply(message.contact.last_inbound_at, fields["accepted_at"])


def _decide(message: OutboundMessage, result: graph.GraphResult, started) -> tuple:
    """The outcome of one attempt: (outcome, the row's new fields, retry delay, the attempt)."""
    delay = 0.0
    if result.ok:
        outcome = "accepted"
        fields = dict(
            status=OutboundMessage.Status.ACCEPTED,
            wa_message_id=result.wa_message_id,
            accepted_at=timezone.now(),
            error_code="",
            error_message="",
        )
    elif result.retryable and message.attempts < settings.WHATSAPP_MAX_ATTEMPTS:
        outcome = "retry"
        delay = backoff_seconds(message.attempts)
        fields = dict(
            status=OutboundMessage.Status.QUEUED,
            next_attempt_at=timezone.now() + timedelta(seconds=delay),
            error_code=result.error_code,
            error_message=result.error_message,
        )
    else:
        outcome = "failed"
        fields = dict(
            status=OutboundMessage.Status.FAILED,
            failed_at=timezone.now(),
            error_code=result.error_code,
            error_message=result.error_message,
        )
    attempt = SendAttempt(
        message=message,
        started_at=started,
        duration_ms=result.duration_ms,
        http_status=result.http_status,
        error_code=result.error_code,
        error_message=result.error_message,
        outcome=outcome,
    )
    return outcome, fields, delay, attempt


def apply_statuses(wa_message_ids: list[str]) -> None:
    """Applies status webhooks to outbox rows; a status never moves a message backwards."""
    events = StatusEvent.objects.filter(wa_message_id__in=wa_message_ids, applied=False)
    for event in events.order_by("timestamp", "id"):
        message = OutboundMessage.objects.filter(wa_message_id=event.wa_message_id)
        if event.status == "failed":
            error = (event.errors or [{}])[0] if event.errors else {}
            message.exclude(status=OutboundMessage.Status.READ).update(
                status=OutboundMessage.Status.FAILED,
                failed_at=event.timestamp,
                error_code=str(error.get("code", "")),
                error_message=str(error.get("message") or error.get("title", ""))[:1000],
            )
        elif event.status in STATUS_RANK:
            lower = [s for s, rank in STATUS_RANK.items() if rank < STATUS_RANK[event.status]]
            message.filter(status__in=lower).update(
                status=event.status, **{f"{event.status}_at": event.timestamp}
            )
        category = ((event.payload or {}).get("pricing") or {}).get("category")
        if category:
            message.update(pricing_category=str(category)[:32])
        StatusEvent.objects.filter(pk=event.pk).update(applied=True)


def enqueue_due() -> int:
    """Periodic safety net: rows whose delivery task is overdue, and claims left by a crash."""
    from loket.whatsapp.tasks import deliver as deliver_task

    now = timezone.now()
    OutboundMessage.objects.filter(
        status=OutboundMessage.Status.SENDING,
        claimed_at__lt=now - timedelta(seconds=settings.WHATSAPP_SENDING_STALE_SECONDS),
    ).update(status=OutboundMessage.Status.QUEUED, next_attempt_at=now)
    overdue = OutboundMessage.objects.filter(
        status=OutboundMessage.Status.QUEUED, next_attempt_at__lt=now - timedelta(seconds=30)
    )
    ids = list(overdue.values_list("id", flat=True)[:500])
    for message_id in ids:
        deliver_task.enqueue(message_id)
    return len(ids)
