"""Typed, strict-per-item parsing of WhatsApp Cloud API webhook bodies.

Every entry, change, message and status of a batch is read on its own. An item whose shape is
wrong (an id too long for any real WhatsApp id, a wa_id that is not a phone number, a NUL or a
lone surrogate in a string, nesting deeper than Meta ever sends, `"messages": 5`...) becomes a
`Rejected` with its reason: stored and logged by the caller, never raised, never able to fail the
valid items next to it. Shapes we do not handle but that are well formed go to `unknown`.
"""

import datetime as dt
import json
import re
import sys
import threading
from dataclasses import dataclass, field
from typing import Any

MAX_DEPTH = 24  # Meta's deepest message (an interactive reply inside a change) is ~10 levels
MAX_ID = 200  # wamid.… ids are ~60 characters; InboundMessage.wa_message_id holds 200
MAX_USER_ID = 160
WA_ID = re.compile(r"\d{5,20}")  # E.164 digits without the plus
PHONE_NUMBER_ID = re.compile(r"\d{1,40}")


class Invalid(ValueError):
    """An item's shape is wrong; the message is the reason stored with it."""


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


@dataclass(frozen=True)
class Rejected:
    kind: str  # body, change, message, status
    reason: str
    item: Any


@dataclass
class Batch:
    messages: list[InboundEvent] = field(default_factory=list)
    statuses: list[StatusUpdate] = field(default_factory=list)
    unknown: list[Any] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)

    def extend(self, other: "Batch") -> None:
        """Adds another delivery's items (the spool stores many deliveries at once)."""
        self.messages += other.messages
        self.statuses += other.statuses
        self.unknown += other.unknown
        self.rejected += other.rejected


DEEP_JSON_LIMIT = 25_000  # levels json can read with a raised recursion limit (C stack safe)
_deep_lock = threading.Lock()


def loads(body: bytes) -> Any:
    """json.loads that also reads bodies nested deeper than Python's recursion limit.

    Meta never nests beyond ~10 levels; a deeper body is read (under a lock, with a raised
    limit) so that its valid items can still be stored and the deep one rejected on its own.
    Raises ValueError (or RecursionError past DEEP_JSON_LIMIT) for what cannot be read.
    """
    try:
        return json.loads(body)
    except RecursionError:
        pass
    with _deep_lock:
        old = sys.getrecursionlimit()
        sys.setrecursionlimit(max(old, DEEP_JSON_LIMIT))
        try:
            return json.loads(body)
        finally:
            sys.setrecursionlimit(old)


def dump(item: Any, limit: int = 65536) -> str:
    """An item as ASCII JSON for keeping (deeper levels than MAX_DEPTH cut), at most `limit`."""
    return json.dumps(_shallow(item, 0), ensure_ascii=True)[:limit]


def _shallow(item: Any, depth: int) -> Any:
    if depth >= MAX_DEPTH:
        return "…(deeper levels cut)"
    if isinstance(item, dict):
        return {str(k): _shallow(v, depth + 1) for k, v in list(item.items())[:1000]}
    if isinstance(item, list):
        return [_shallow(v, depth + 1) for v in item[:1000]]
    if isinstance(item, str | int | float | bool) or item is None:
        return item
    return repr(item)[:1000]


def check_tree(value: Any, depth: int = 0) -> None:
    """Every string storable as UTF-8 text on PostgreSQL, nesting bounded (iterative walk)."""
    stack = [(value, depth)]
    while stack:
        node, level = stack.pop()
        if level > MAX_DEPTH:
            raise Invalid(f"nested deeper than {MAX_DEPTH} levels")
        if isinstance(node, str):
            _check_string(node)
        elif isinstance(node, dict):
            for key, item in node.items():
                _check_string(key)
                stack.append((item, level + 1))
        elif isinstance(node, list):
            stack.extend((item, level + 1) for item in node)


def _check_string(text: str) -> None:
    if "\x00" in text:
        raise Invalid("NUL character in a string")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise Invalid("lone surrogate in a string (not valid Unicode)") from None


def _str(value: Any, name: str, limit: int, pattern: re.Pattern | None = None) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise Invalid(f"{name} is not a string")
    text = str(value)
    if not text or len(text) > limit:
        raise Invalid(f"{name} is empty or longer than {limit} characters")
    if pattern and not pattern.fullmatch(text):
        raise Invalid(f"{name} has an invalid format")
    return text


def _dict(value: Any, name: str) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise Invalid(f"{name} is not an object")
    return value


def _list(value: Any, name: str) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise Invalid(f"{name} is not a list")
    return value


def _timestamp(value: Any) -> dt.datetime:
    try:
        return dt.datetime.fromtimestamp(int(value), tz=dt.UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return dt.datetime.now(tz=dt.UTC)


def _text_of(message: dict, kind: str) -> tuple[str, str]:
    """The readable text of a message and, for button and list replies, the chosen id."""
    if kind == "text":
        return str(_dict(message.get("text"), "text").get("body", "")), ""
    if kind == "interactive":
        interactive = _dict(message.get("interactive"), "interactive")
        reply = interactive.get("button_reply") or interactive.get("list_reply") or {}
        reply = _dict(reply, "interactive reply")
        return str(reply.get("title", "")), str(reply.get("id", ""))
    if kind == "button":  # quick-reply button of a template
        button = _dict(message.get("button"), "button")
        return str(button.get("text", "")), str(button.get("payload", ""))
    if kind in ("image", "document", "video", "audio", "sticker"):
        media = _dict(message.get(kind), kind)
        return str(media.get("caption", "")), ""
    return "", ""


def _contacts_by_key(value: dict) -> dict[str, dict]:
    contacts = {}
    for contact in _list(value.get("contacts"), "contacts"):
        if not isinstance(contact, dict):
            continue
        for key in (contact.get("wa_id"), contact.get("user_id")):
            if isinstance(key, str | int) and key:
                contacts[str(key)] = contact
    return contacts


def parse_message(message: Any, phone_number_id: str, contacts: dict) -> InboundEvent:
    if not isinstance(message, dict):
        raise Invalid("message is not an object")
    check_tree(message)
    wa_message_id = _str(message.get("id"), "message id", MAX_ID)
    sender_phone = message.get("from")
    sender_user_id = message.get("from_user_id") or message.get("user_id")
    contact = (
        contacts.get(str(sender_user_id or ""))
        or contacts.get(str(sender_phone or ""))
        or (next(iter(contacts.values())) if len(contacts) == 1 else {})
    )
    check_tree(contact)
    wa_id = contact.get("wa_id") or sender_phone
    user_id = contact.get("user_id") or sender_user_id
    if not (wa_id or user_id):
        raise Invalid("no sender (wa_id or user_id)")
    wa_id = _str(wa_id, "wa_id", 20, WA_ID) if wa_id else None
    user_id = _str(user_id, "user_id", MAX_USER_ID) if user_id else None
    kind = str(message.get("type") or "unknown")[:32]
    text, reply_id = _text_of(message, kind)
    return InboundEvent(
        phone_number_id=phone_number_id,
        wa_message_id=wa_message_id,
        wa_id=wa_id,
        user_id=user_id,
        profile_name=str(_dict(contact.get("profile"), "profile").get("name", ""))[:200],
        type=kind,
        text=text[:4096],
        reply_id=reply_id[:200],
        timestamp=_timestamp(message.get("timestamp")),
        raw=message,
    )


def parse_status(status: Any, phone_number_id: str) -> StatusUpdate:
    if not isinstance(status, dict):
        raise Invalid("status is not an object")
    check_tree(status)
    return StatusUpdate(
        phone_number_id=phone_number_id,
        wa_message_id=_str(status.get("id"), "status id", MAX_ID),
        status=_str(status.get("status"), "status", 16),
        timestamp=_timestamp(status.get("timestamp")),
        errors=_list(status.get("errors"), "errors"),
        raw=status,
    )


def _parse_change(change: Any, batch: Batch) -> None:
    if not isinstance(change, dict):
        raise Invalid("change is not an object")
    value = change.get("value")
    if not isinstance(value, dict):
        batch.unknown.append(change)
        return
    metadata = _dict(value.get("metadata"), "metadata")
    phone_number_id = str(metadata.get("phone_number_id", ""))
    if phone_number_id:
        _str(phone_number_id, "phone_number_id", 40, PHONE_NUMBER_ID)
    contacts = _contacts_by_key(value)
    messages = _list(value.get("messages"), "messages")
    statuses = _list(value.get("statuses"), "statuses")
    for message in messages:
        try:
            batch.messages.append(parse_message(message, phone_number_id, contacts))
        except Invalid as error:
            batch.rejected.append(Rejected("message", str(error), message))
    for status in statuses:
        try:
            batch.statuses.append(parse_status(status, phone_number_id))
        except Invalid as error:
            batch.rejected.append(Rejected("status", str(error), status))
    if not messages and not statuses:
        batch.unknown.append({"field": change.get("field"), "value": value})


def parse(body: Any) -> Batch:
    batch = Batch()
    if not isinstance(body, dict) or not isinstance(body.get("entry"), list):
        batch.rejected.append(Rejected("body", "not a webhook body (no entry list)", body))
        return batch
    for entry in body["entry"]:
        changes = entry.get("changes") if isinstance(entry, dict) else None
        for change in changes if isinstance(changes, list) else [entry]:
            unknown = len(batch.unknown)
            try:
                _parse_change(change, batch)
            except Invalid as error:
                batch.rejected.append(Rejected("change", str(error), change))
            if len(batch.unknown) > unknown and isinstance(entry, dict):
                # account-level changes (templates, number quality) are keyed on the entry:
                # the WhatsApp Business Account id and the time of the event
                for item in batch.unknown[unknown:]:
                    if isinstance(item, dict):
                        item["entry_id"] = entry.get("id")
                        item["entry_time"] = entry.get("time")
    return batch
