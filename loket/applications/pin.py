"""The finished document's second factor: a 6-digit PIN sent in its own WhatsApp message.

The PIN is stored hashed (Django's password hasher). Wrong PINs are counted on the document:
after MAX_FAILURES in a row it is locked for LOCK_MINUTES; after MAX_TOTAL_FAILURES it stays
locked until staff send a new PIN from the application page. A forwarded or leaked link alone
opens nothing.
"""

import datetime as dt
import secrets
from dataclasses import dataclass

from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from loket.applications.models import Document

PIN_DIGITS = 6
MAX_FAILURES = 5
LOCK_MINUTES = 15
MAX_TOTAL_FAILURES = 15


@dataclass(frozen=True)
class PinCheck:
    ok: bool
    locked_until: dt.datetime | None = None  # set when locked for a while
    blocked: bool = False  # too many failures: only a new PIN from staff opens it
    attempts_left: int = MAX_FAILURES

    @property
    def message(self) -> str:
        if self.ok:
            return ""
        if self.blocked:
            return _(
                "Terlalu banyak PIN salah. Dokumen dikunci: hubungi kantor Disdukcapil "
                "untuk meminta PIN baru."
            )
        if self.locked_until is not None:
            local = timezone.localtime(self.locked_until)
            return _("Terlalu banyak PIN salah. Coba lagi setelah pukul %(time)s.") % {
                "time": f"{local:%H.%M}"
            }
        return _("PIN salah. Sisa percobaan: %(left)d.") % {"left": self.attempts_left}


def new_pin() -> str:
    return "".join(secrets.choice("0123456789") for _ in range(PIN_DIGITS))


def issue_pin(document: Document) -> str:
    """A fresh PIN for the document (the old one stops working); returns it to be sent."""
    pin = new_pin()
    document.pin_hash = make_password(pin)
    document.pin_failures = 0
    document.pin_failures_total = 0
    document.pin_locked_until = None
    Document.objects.filter(pk=document.pk).update(
        pin_hash=document.pin_hash, pin_failures=0, pin_failures_total=0, pin_locked_until=None
    )
    return pin


def needs_pin(document: Document) -> bool:
    return bool(document.pin_hash)


def check_pin(document: Document, typed: str, now: dt.datetime | None = None) -> PinCheck:
    """Checks a typed PIN, counting failures under a row lock (two tabs cannot race it)."""
    now = now or timezone.now()
    typed = "".join(ch for ch in str(typed or "") if ch.isdigit())[:PIN_DIGITS]
    with transaction.atomic():
        row = Document.objects.select_for_update().get(pk=document.pk)
        if row.pin_failures_total >= MAX_TOTAL_FAILURES:
            return PinCheck(ok=False, blocked=True, attempts_left=0)
        if row.pin_locked_until is not None and row.pin_locked_until > now:
            return PinCheck(ok=False, locked_until=row.pin_locked_until, attempts_left=0)
        if len(typed) == PIN_DIGITS and check_password(typed, row.pin_hash):
            Document.objects.filter(pk=row.pk).update(pin_failures=0, pin_locked_until=None)
            return PinCheck(ok=True)
        failures = row.pin_failures + 1
        total = row.pin_failures_total + 1
        locked_until = None
        if failures >= MAX_FAILURES:
            locked_until, failures = now + dt.timedelta(minutes=LOCK_MINUTES), 0
        Document.objects.filter(pk=row.pk).update(
            pin_failures=failures, pin_failures_total=total, pin_locked_until=locked_until
        )
    if total >= MAX_TOTAL_FAILURES:
        return PinCheck(ok=False, blocked=True, attempts_left=0)
    if locked_until is not None:
        return PinCheck(ok=False, locked_until=locked_until, attempts_left=0)
    return PinCheck(ok=False, attempts_left=MAX_FAILURES - failures)
