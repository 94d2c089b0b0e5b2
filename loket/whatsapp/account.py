"""Account-level webhook changes: templates and the number's quality, from the same endpoint.

Meta sends them as changes of a `whatsapp_business_account` entry whose id is the WhatsApp
Business Account (WABA) and whose `time` is the event's time. Each `field` has a handler named
in settings.WHATSAPP_ACCOUNT_CHANGE_HANDLERS (the number's quality here; templates in
loket.broadcasts.metasync, so this layer imports nothing above it). Handlers are idempotent and
compare the event's time with the time of what they last applied: a late, older event changes
nothing, and a redelivery changes nothing twice.
"""

import datetime as dt
import logging
import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from loket.catalog.models import Office
from loket.whatsapp import payload
from loket.whatsapp.models import TIERS, BusinessNumber

logger = logging.getLogger(__name__)
QUALITY_EVENTS = {"FLAGGED": "RED", "UNFLAGGED": "GREEN"}


@dataclass(frozen=True)
class AccountChange:
    field: str
    business_account_id: str
    time: dt.datetime
    value: dict


def _time(value: Any) -> dt.datetime:
    try:
        return dt.datetime.fromtimestamp(int(value), tz=dt.UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return timezone.now()


def apply(items: list) -> list:
    """Applies the items that have a handler; returns the others (acknowledged, not handled).

    An item of a handled field whose shape is wrong is stored as rejected (never raised).
    """
    from loket.whatsapp.inbound import reject

    handlers = settings.WHATSAPP_ACCOUNT_CHANGE_HANDLERS
    unhandled, rejected = [], []
    for item in items:
        path = handlers.get(item.get("field")) if isinstance(item, dict) else None
        if not path:
            unhandled.append(item)
            continue
        value = item.get("value")
        if not isinstance(value, dict):
            rejected.append(payload.Rejected("change", "value is not an object", item))
            continue
        change = AccountChange(
            field=str(item["field"]),
            business_account_id=str(item.get("entry_id") or "")[:40],
            time=_time(item.get("entry_time")),
            value=value,
        )
        try:
            with transaction.atomic():
                import_string(path)(change)
        except payload.Invalid as error:
            rejected.append(payload.Rejected("change", str(error)[:200], item))
        except (OperationalError, InterfaceError):
            raise  # database down: the webhook answers 503 and Meta redelivers
        except DatabaseError as error:  # refused by the database: kept, the rest still applied
            rejected.append(payload.Rejected("change", f"database refused it: {error}"[:200], item))
    if rejected:
        reject(rejected)
    return unhandled


def digits(number: str) -> str:
    return re.sub(r"\D", "", number or "")


def offices_for(business_account_id: str, display_number: str = "") -> list[Office]:
    """The offices on this WABA (their own id, else the server's), narrowed by the number.

    An installation with one office and no account id configured takes every event as its own.
    """
    offices = list(Office.objects.select_related("business_number"))

    def account_of(office: Office) -> str:
        number = getattr(office, "business_number", None)
        return (number.business_account_id if number else "") or (
            settings.WHATSAPP_BUSINESS_ACCOUNT_ID
        )

    matches = [o for o in offices if business_account_id and account_of(o) == business_account_id]
    if not matches and len(offices) == 1 and not account_of(offices[0]):
        matches = offices  # one office that never set its account id: it is this one
    wanted = digits(display_number)
    if wanted:
        narrowed = [o for o in matches or offices if digits(o.whatsapp_display_number) == wanted]
        matches = narrowed or matches
    return matches


def number_of(office: Office) -> BusinessNumber:
    number, _ = BusinessNumber.objects.get_or_create(office=office)
    return number


def record_number(
    office: Office, at: dt.datetime, quality: str = "", limit: str = "", event: str = ""
) -> bool:
    """Stores what Meta says of the number, each half only if newer than what is stored."""
    quality = quality.upper() if quality.upper() in BusinessNumber.Quality.values else ""
    limit = limit.upper() if limit.upper() in TIERS else ""
    number = number_of(office)
    rows = BusinessNumber.objects.filter(pk=number.pk)
    changed = False
    if quality:
        newer = rows.filter(quality_at__isnull=True) | rows.filter(quality_at__lte=at)
        changed |= bool(newer.update(quality_rating=quality, quality_at=at, last_event=event[:40]))
    if limit:
        newer = rows.filter(limit_at__isnull=True) | rows.filter(limit_at__lte=at)
        changed |= bool(newer.update(messaging_limit=limit, limit_at=at, last_event=event[:40]))
    return changed


def number_quality_update(change: AccountChange) -> None:
    """`phone_number_quality_update`: the messaging limit tier and, on FLAGGED/UNFLAGGED (or an
    explicit rating), the quality. The newer `max_daily_conversations_per_business` wins over
    the older `current_limit` when both are present."""
    value = change.value
    event = str(value.get("event") or "")[:40].upper()
    limit = str(
        value.get("max_daily_conversations_per_business") or value.get("current_limit") or ""
    )
    quality = str(value.get("quality_rating") or QUALITY_EVENTS.get(event, ""))
    if not limit and not quality and event not in ("ONBOARDING", "THROUGHPUT_UPGRADE"):
        raise payload.Invalid("phone_number_quality_update without a limit or a quality")
    display = str(value.get("display_phone_number") or "")
    offices = offices_for(change.business_account_id, display)
    if not offices:
        logger.warning(
            "number quality update for unknown account %s / number %s ignored",
            change.business_account_id,
            display,
        )
    for office in offices:
        record_number(office, change.time, quality=quality, limit=limit, event=event)


def refresh_number(office: Office) -> BusinessNumber:
    """Reads the number's rating and limit from the Graph API (GraphError on failure)."""
    from loket.whatsapp import management

    data = management.number_status(office.phone_number_id or settings.WHATSAPP_PHONE_NUMBER_ID)
    record_number(
        office,
        timezone.now(),
        quality=str(data.get("quality_rating") or ""),
        limit=str(data.get("messaging_limit_tier") or ""),
        event="GRAPH_READ",
    )
    return number_of(office)
