"""Typed, tolerant parsing of WhatsApp Cloud API webhook bodies.

Every entry, change, message and status of a batch is read; shapes we do not know are
collected in `unknown` (logged and acknowledged by the view), never raised.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class InboundEvent:
    phone_number_id: str
    wa_message_id: str
    wa_id: str | None
    user_id: str | None
    profile_name: str
    type: str
    text: str
    reply_id: str
    timestamp: dt.datetime
    raw: dict


@dataclass(frozen=True)
class StatusUpdate:
    phone_number_id: str
    wa_message_id: str
    status: str
    timestamp: dt.datetime
    errors: list
    raw: dict


@dataclass
class Batch:
    messages: list[InboundEvent] = field(default_factory=list)
    statuses: list[StatusUpdate] = field(default_factory=list)
    unknown: list[Any] = field(default_factory=list)


def _timestamp(value: Any) -> dt.datetime:
    try:
        return dt.datetime.fromtimestamp(int(value), tz=dt.UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return dt.datetime.now(tz=dt.UTC)


def _text_of(message: dict) -> tuple[str, str]:
    """The readable text of a message and, for button and list replies, the chosen id."""
    kind = message.get("type")
    if kind == "text":
        return str((message.get("text") or {}).get("body", "")), ""
    if kind == "interactive":
        interactive = message.get("interactive") or {}
        reply = interactive.get("button_reply") or interactive.get("list_reply") or {}
        return str(reply.get("title", "")), str(reply.get("id", ""))
    if kind == "button":  # quick-reply button of a template
        button = message.get("button") or {}
        return str(button.get("text", "")), str(button.get("payload", ""))
    if kind in ("image", "document", "video", "audio", "sticker"):
        media = message.get(kind) or {}
        return str(media.get("caption", "")), ""
    return "", ""


def _contacts_by_key(value: dict) -> dict[str, dict]:
    contacts = {}
    for contact in value.get("contacts") or []:
        if not isinstance(contact, dict):
            continue
        for key in (contact.get("wa_id"), contact.get("user_id")):
            if key:
                contacts[str(key)] = contact
    return contacts


def _parse_message(message: dict, phone_number_id: str, contacts: dict) -> InboundEvent | None:
    wa_message_id = message.get("id")
    sender_phone = message.get("from")
    sender_user_id = message.get("from_user_id") or message.get("user_id")
    contact = (
        contacts.get(str(sender_user_id or ""))
        or contacts.get(str(sender_phone or ""))
        or (next(iter(contacts.values())) if len(contacts) == 1 else {})
    )
    wa_id = contact.get("wa_id") or sender_phone
    user_id = contact.get("user_id") or sender_user_id
    if not wa_message_id or not (wa_id or user_id):
        return None
    text, reply_id = _text_of(message)
    return InboundEvent(
        phone_number_id=phone_number_id,
        wa_message_id=str(wa_message_id),
        wa_id=str(wa_id) if wa_id else None,
        user_id=str(user_id) if user_id else None,
        profile_name=str((contact.get("profile") or {}).get("name", ""))[:200],
        type=str(message.get("type") or "unknown")[:32],
        text=text[:4096],
        reply_id=reply_id[:200],
        timestamp=_timestamp(message.get("timestamp")),
        raw=message,
    )


def _parse_status(status: dict, phone_number_id: str) -> StatusUpdate | None:
    if not status.get("id") or not status.get("status"):
        return None
    return StatusUpdate(
        phone_number_id=phone_number_id,
        wa_message_id=str(status["id"]),
        status=str(status["status"])[:16],
        timestamp=_timestamp(status.get("timestamp")),
        errors=status.get("errors") or [],
        raw=status,
    )


def parse(body: Any) -> Batch:
    batch = Batch()
    if not isinstance(body, dict) or not isinstance(body.get("entry"), list):
        batch.unknown.append(body)
        return batch
    for entry in body["entry"]:
        changes = entry.get("changes") if isinstance(entry, dict) else None
        for change in changes if isinstance(changes, list) else [entry]:
            value = change.get("value") if isinstance(change, dict) else None
            if not isinstance(value, dict):
                batch.unknown.append(change)
                continue
            phone_number_id = str((value.get("metadata") or {}).get("phone_number_id", ""))
            contacts = _contacts_by_key(value)
            for message in value.get("messages") or []:
                parsed = (
                    _parse_message(message, phone_number_id, contacts)
                    if isinstance(message, dict)
                    else None
                )
                (batch.messages.append(parsed) if parsed else batch.unknown.append(message))
            for status in value.get("statuses") or []:
                parsed = (
                    _parse_status(status, phone_number_id) if isinstance(status, dict) else None
                )
                (batch.statuses.append(parsed) if parsed else batch.unknown.append(status))
            if not value.get("messages") and not value.get("statuses"):
                batch.unknown.append({"field": change.get("field"), "value": value})
    return batch
