"""Sending: every outbound message is a row first, then a task sends it and records the outcome.

A worker crash or a Graph outage delays a reply; it never loses it. Retryable failures (429, 5xx,
network) come back with exponential backoff and jitter; permanent ones are recorded and kept.
"""

import contextlib
import contextvars
import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from loket.core import metrics
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
STATUS_RANK = {"accepted": 0, "sent": 1, "delivered": 2, "read": 3}


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def queue(
    contact: Contact, kind: str, body: dict, preview: str, source: str = "bot"
) -> OutboundMessage:
    """Writes the outbox row and enqueues its delivery in the caller's transaction.

    Inside `inline_delivery()` (a worker answering an inbound message) no task is enqueued: the
    worker sends right after its transaction commits, and the periodic sweeper resends anything
    a crash left queued. Either way the row exists before any attempt to send it.
    """
    from loket.whatsapp.tasks import deliver

    message = OutboundMessage.objects.create(
        office_id=contact.office_id,
        contact=contact,
        kind=kind,
        body=body,
        preview=preview[:2000],
        source=source,
    )
    pending = _inline.get()
    if pending is None:
        deliver.enqueue(message.pk)
    else:
        pending.append(message.pk)
    return message


_inline: contextvars.ContextVar[list[int] | None] = contextvars.ContextVar(
    "loket_inline_delivery", default=None
)


@contextlib.contextmanager
def inline_delivery():
    """Collects the messages queued inside the block; sends them when the block ends.

    Use it around a transaction in a worker: the sends happen after the commit, outside it.
    """
    pending: list[int] = []
    token = _inline.set(pending)
    try:
        yield pending
    finally:
        _inline.reset(token)
    for message_id in pending:
        deliver(message_id)


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


def deliver(message_id: int) -> str:
    """Sends one outbox row, once: claims it, calls the Graph API, records the attempt."""
    now = timezone.now()
    claimed = OutboundMessage.objects.filter(
        pk=message_id, status=OutboundMessage.Status.QUEUED, next_attempt_at__lte=now
    ).update(status=OutboundMessage.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    if not claimed:
        return "not-due"
    message = OutboundMessage.objects.select_related("contact", "office").get(pk=message_id)
    result = graph.send_message(message.office.phone_number_id or "", message.request_json())
    return _record(message, result, now)


def _record(message: OutboundMessage, result: graph.GraphResult, started) -> str:
    from loket.whatsapp.tasks import deliver as deliver_task

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
    with transaction.atomic():
        SendAttempt.objects.create(
            message=message,
            started_at=started,
            duration_ms=result.duration_ms,
            http_status=result.http_status,
            error_code=result.error_code,
            error_message=result.error_message,
            outcome=outcome,
        )
        OutboundMessage.objects.filter(pk=message.pk).update(**fields)
        if outcome == "retry":
            enqueue_after(deliver_task, delay, message.pk)
    if outcome == "failed":
        logger.warning(
            "message %s failed: %s %s", message.pk, result.error_code, result.error_message
        )
    elif outcome == "accepted" and message.source == "bot" and metrics.enabled():
        metrics.observe_reply(message.contact.last_inbound_at, fields["accepted_at"])
    return outcome


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
