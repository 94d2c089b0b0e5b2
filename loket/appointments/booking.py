"""Booking a slot: policy check, the capacity guard under concurrency, cancel and reschedule.

The guard: inside one transaction the slot row is locked (select_for_update), the booking is
inserted (a partial unique index forbids a second active booking per NIK, service and day) and
the slot's `booked` counter is raised with F() only while it is below capacity; a CHECK
constraint (booked <= capacity) is the database's last word. On SQLite the writers are
serialised by BEGIN IMMEDIATE, which gives the same result more slowly.
"""

import datetime as dt
import re

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from loket.appointments import notify
from loket.appointments.models import Booking, CounterConfig, Slot
from loket.catalog.models import Mode, Office, Service
from loket.catalog.policy import ServiceStatus, service_status
from loket.core.audit import log_action
from loket.core.crypto import lookup_hash, lookup_hashes

NIK_RE = re.compile(r"^\d{16}$")


class BookingError(Exception):
    """A booking that cannot be made; `message` is for the citizen (in their language)."""

    code = "invalid"
    message = gettext_lazy("Permintaan tidak dapat diproses.")

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.message)
        self.message = message or self.message


class SlotFull(BookingError):
    code = "full"
    message = gettext_lazy("Maaf, sesi ini sudah penuh. Silakan pilih sesi lain.")


class AlreadyBooked(BookingError):
    code = "duplicate"
    message = gettext_lazy("NIK ini sudah punya janji untuk layanan ini pada hari yang sama.")


class NotBookable(BookingError):
    code = "not_bookable"


class TooManyBookings(BookingError):
    code = "limit"
    message = gettext_lazy(
        "Nomor WhatsApp ini sudah punya terlalu banyak janji. Batalkan janji yang tidak jadi, "
        "atau datang ke loket untuk dibantu petugas."
    )


def clean_nik(value: str) -> str:
    nik = re.sub(r"[\s.-]", "", value or "")
    if not NIK_RE.match(nik) or nik == "0" * 16:
        raise BookingError(gettext("NIK harus 16 angka sesuai KTP-el atau KK."))
    return nik


def booking_refusal(status: ServiceStatus) -> str | None:
    """Why a service cannot be booked at the counter under the policy in force, or None."""
    if status.mode == Mode.SUSPENDED:
        return (
            gettext("Layanan ini sedang dihentikan sementara.") + " " + (status.alternative or "")
        )
    if status.mode == Mode.ONLINE_ONLY:
        return gettext("Layanan ini hanya dilayani secara online: ajukan dari link pribadi Anda.")
    return None


def is_bookable(office: Office, service: Service, at: dt.datetime | None = None) -> bool:
    configured = CounterConfig.objects.filter(office=office, service=service).exists()
    return configured and booking_refusal(service_status(office, service, at)) is None


def open_slots(office: Office, service: Service, days: int = 7) -> list[Slot]:
    now = timezone.now()
    return list(
        Slot.objects.filter(
            office=office, service=service, starts_at__gt=now, booked__lt=F("capacity")
        )
        .filter(day__lte=timezone.localdate() + dt.timedelta(days=days))
        .order_by("starts_at")
    )


def book(
    slot_id: int,
    *,
    nik: str,
    name: str,
    purpose: str = "",
    contact=None,
    service: Service | None = None,
    request=None,
) -> Booking:
    """Takes one place in the slot, or raises a BookingError; notifies the citizen."""
    nik = clean_nik(nik)
    name = (name or "").strip()[:200]
    if not name:
        raise BookingError(gettext("Nama wajib diisi."))
    slot = Slot.objects.select_related("office", "service").filter(pk=slot_id).first()
    if slot is None or (service is not None and slot.service_id != service.pk):
        raise BookingError(gettext("Sesi tidak ditemukan."))
    if contact is not None and slot.office_id != contact.office_id:
        raise BookingError(gettext("Sesi tidak ditemukan."))  # a link books only at its own office
    _check_rules(slot, purpose)
    if slot.booked >= slot.capacity:
        raise SlotFull()  # fast path, no lock: a full slot refuses at once
    with transaction.atomic():
        slot.booked = (
            Slot.objects.select_for_update().values_list("booked", flat=True).get(pk=slot.pk)
        )
        if slot.booked >= slot.capacity:
            raise SlotFull()
        _check_contact_limits(contact)
        booking = _insert(slot, nik=nik, name=name, purpose=purpose, contact=contact)
        if not Slot.objects.filter(pk=slot.pk, booked__lt=F("capacity")).update(
            booked=F("booked") + 1
        ):
            raise SlotFull()
        log_action("booking.created", booking, request=request, slot=slot.pk, code=booking.code)
        slot.booked += 1
        notify.booking_confirmed(booking)
    return booking


def _check_rules(slot: Slot, purpose: str) -> None:
    if slot.starts_at <= timezone.now():
        raise BookingError(gettext("Sesi ini sudah lewat. Silakan pilih sesi lain."))
    status = service_status(slot.office, slot.service, slot.starts_at)
    refusal = booking_refusal(status)
    if refusal:
        raise NotBookable(refusal)
    if status.mode == Mode.LIMITED and purpose not in status.purposes:
        raise NotBookable(
            gettext("Saat ini loket hanya melayani keperluan: %(purposes)s.")
            % {"purposes": ", ".join(status.purposes)}
        )


def _check_contact_limits(contact) -> None:
    """One WhatsApp number holds a few active bookings and makes a few a day, not unlimited
    ones with invented NIKs. The contact row is locked: two tabs cannot both slip under."""
    if contact is None:
        return
    type(contact).objects.select_for_update().filter(pk=contact.pk).first()
    mine = Booking.objects.filter(contact=contact)
    if mine.filter(status__in=Booking.ACTIVE).count() >= settings.LOKET_BOOKING_MAX_ACTIVE:
        raise TooManyBookings()
    since = timezone.now() - dt.timedelta(days=1)
    if mine.filter(created_at__gte=since).count() >= settings.LOKET_BOOKING_MAX_PER_DAY:
        raise TooManyBookings()


def _insert(slot: Slot, *, nik: str, name: str, purpose: str, contact) -> Booking:
    nik_hash = lookup_hash(nik)
    # After a key rotation older bookings carry the old key's hash, which the unique index
    # cannot compare with the new one: look for them under every key before inserting.
    if Booking.objects.filter(
        nik_hash__in=lookup_hashes(nik),
        service=slot.service,
        day=slot.day,
        status__in=Booking.ACTIVE,
    ).exists():
        raise AlreadyBooked()
    try:
        with transaction.atomic():
            return Booking.objects.create(
                office=slot.office,
                service=slot.service,
                slot=slot,
                day=slot.day,
                contact=contact,
                nik=nik,
                nik_hash=nik_hash,
                name=name,
                purpose=purpose[:200],
            )
    except IntegrityError:
        active = Booking.objects.filter(
            nik_hash=nik_hash, service=slot.service, day=slot.day, status__in=Booking.ACTIVE
        )
        if active.exists():
            raise AlreadyBooked() from None
        raise


def cancel_locked(
    booking: Booking, slot: Slot, reason: str, *, actor=None, notify: bool = True
) -> bool:
    """Cancels `booking` whose slot row the caller has locked; frees its place."""
    changed = Booking.objects.filter(pk=booking.pk, status=Booking.Status.BOOKED).update(
        status=Booking.Status.CANCELLED, cancelled_at=timezone.now(), cancel_reason=reason[:200]
    )
    if not changed:
        return False
    Slot.objects.filter(pk=slot.pk).update(booked=F("booked") - 1)
    booking.status = Booking.Status.CANCELLED
    booking.cancel_reason = reason[:200]
    log_action("booking.cancelled", booking, actor=actor, reason=reason)
    if notify:
        from loket.appointments import notify as notices

        notices.booking_cancelled(booking, by_office=actor is not None or reason != "")
    return True


def cancel(booking: Booking, *, by_citizen: bool = True, reason: str = "", request=None) -> bool:
    with transaction.atomic():
        slot = Slot.objects.select_for_update().get(pk=booking.slot_id)
        return cancel_locked(
            booking,
            slot,
            reason or ("Dibatalkan oleh warga" if by_citizen else "Dibatalkan petugas"),
            actor=getattr(request, "user", None) if not by_citizen else None,
            notify=not by_citizen,
        )


def reschedule(booking: Booking, new_slot_id: int, request=None) -> Booking:
    """Moves a booking to another slot: the new place is taken before the old one is freed."""
    with transaction.atomic():
        old = Slot.objects.select_for_update().get(pk=booking.slot_id)
        if not Booking.objects.filter(pk=booking.pk, status=Booking.Status.BOOKED).exists():
            raise BookingError(gettext("Janji ini tidak bisa diubah lagi."))
        cancel_locked(booking, old, "Dijadwalkan ulang", notify=False)
        return book(
            new_slot_id,
            nik=booking.nik,
            name=booking.name,
            purpose=booking.purpose,
            contact=booking.contact,
            service=booking.service,
            request=request,
        )
