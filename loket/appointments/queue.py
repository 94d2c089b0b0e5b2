"""The counter's queue: check-in, walk-ins while there is room, calling the next ticket.

Tickets are numbered per office and day under a lock on the day's QueueDay row; the same lock
makes "people inside < seats usable with distancing" hold when two doors issue at once.
"""

import datetime as dt
from urllib.parse import quote

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from loket.appointments.booking import BookingError, booking_refusal, open_slots
from loket.appointments.capacity import room
from loket.appointments.models import Booking, QueueDay, Slot, Ticket, TurnedAway
from loket.catalog.models import Office, Service
from loket.catalog.policy import service_status
from loket.core.audit import log_action

CALLED_GRACE = dt.timedelta(minutes=15)
BOOKING_GRACE = dt.timedelta(minutes=30)


class RoomFull(BookingError):
    code = "room_full"
    message = "Ruang tunggu sedang penuh (jaga jarak). Mohon tunggu di luar sebentar."


class NoRoomToday(BookingError):
    code = "no_room_today"
    message = "Kuota hari ini sudah habis."


def inside_count(office: Office, day: dt.date | None = None) -> int:
    day = day or timezone.localdate()
    return Ticket.objects.filter(office=office, day=day, status__in=Ticket.INSIDE).count()


def _lock_day(office: Office, day: dt.date) -> QueueDay:
    QueueDay.objects.get_or_create(office=office, day=day)
    return QueueDay.objects.select_for_update().get(office=office, day=day)


def _new_ticket(queue_day: QueueDay, **fields) -> Ticket:
    if inside_count(queue_day.office, queue_day.day) >= room(queue_day.office).people_at_once:
        raise RoomFull()
    QueueDay.objects.filter(pk=queue_day.pk).update(last_number=F("last_number") + 1)
    queue_day.refresh_from_db(fields=["last_number"])
    rank = 0 if fields.get("priority") else (1 if fields.get("booking") else 2)
    return Ticket.objects.create(
        office=queue_day.office,
        day=queue_day.day,
        number=queue_day.last_number,
        rank=rank,
        **fields,
    )


def check_in(booking: Booking, *, priority: str = "", actor=None, request=None) -> Ticket:
    """A booked citizen arrives: their booking becomes a ticket in today's queue."""
    today = timezone.localdate()
    with transaction.atomic():
        queue_day = _lock_day(booking.office, today)
        booking.refresh_from_db()
        if booking.status != Booking.Status.BOOKED:
            raise BookingError(f"Janji {booking.code} sudah {booking.get_status_display()}.")
        if booking.day != today:
            raise BookingError(f"Janji {booking.code} untuk tanggal {booking.day:%d-%m-%Y}.")
        claimed = Booking.objects.filter(pk=booking.pk, status=Booking.Status.BOOKED).update(
            status=Booking.Status.CHECKED_IN, checked_in_at=timezone.now()
        )
        if not claimed:  # cancelled at this very moment
            raise BookingError(f"Janji {booking.code} tidak aktif lagi.")
        ticket = _new_ticket(
            queue_day,
            service=booking.service,
            slot=booking.slot,
            booking=booking,
            priority=priority,
        )
        booking.status = Booking.Status.CHECKED_IN
        log_action("booking.checked_in", booking, actor=actor, request=request, ticket=ticket.label)
    return ticket


def find_booking(office: Office, code: str) -> Booking | None:
    """The booking for a typed or scanned code (the QR holds the code itself)."""
    code = (code or "").strip().upper().replace(" ", "")[:12]
    if not code:
        return None
    return (
        Booking.objects.select_related("service", "slot").filter(office=office, code=code).first()
    )


def walk_in(
    office: Office, service: Service, *, priority: str = "", actor=None, request=None
) -> Ticket:
    """A citizen without booking gets a ticket only while today still has a free place.

    A refusal is recorded (TurnedAway) before it is raised: the head of office counts them.
    """
    try:
        return _walk_in(office, service, priority=priority, actor=actor, request=request)
    except BookingError as refusal:
        TurnedAway.objects.create(
            office=office, service=service, day=timezone.localdate(), reason=str(refusal)[:200]
        )
        raise


def _walk_in(office: Office, service: Service, *, priority: str, actor, request) -> Ticket:
    refusal = booking_refusal(service_status(office, service))
    if refusal:
        raise BookingError(refusal)
    now = timezone.now()
    today = timezone.localdate()
    with transaction.atomic():
        queue_day = _lock_day(office, today)
        candidates = Slot.objects.filter(
            office=office, service=service, day=today, ends_at__gt=now, booked__lt=F("capacity")
        ).order_by("starts_at")
        for slot in candidates:
            taken = Slot.objects.filter(pk=slot.pk, booked__lt=F("capacity")).update(
                booked=F("booked") + 1
            )
            if taken:
                ticket = _new_ticket(queue_day, service=service, slot=slot, priority=priority)
                log_action("ticket.walk_in", ticket, actor=actor, request=request)
                return ticket
    raise NoRoomToday()


def call_next(office: Office, counter: str, services=None, actor=None) -> Ticket | None:
    """The next waiting ticket (priority group, then booked, then walk-in) called to `counter`."""
    waiting = Ticket.objects.filter(
        office=office, day=timezone.localdate(), status=Ticket.Status.WAITING
    )
    if services:
        waiting = waiting.filter(service__in=services)
    for _ in range(20):  # another counter may claim the same ticket: take the next one
        ticket = waiting.select_related("service").order_by("rank", "number").first()
        if ticket is None:
            return None
        if ticket.call(counter, actor=actor):
            return ticket
    return None


def whatsapp_link(office: Office) -> str:
    number = "".join(ch for ch in office.whatsapp_display_number if ch.isdigit())
    greeting = quote("Halo, saya mau tanya layanan Disdukcapil")
    return f"https://wa.me/{number}?text={greeting}"


def next_free_slot(office: Office, service: Service) -> Slot | None:
    slots = open_slots(office, service, days=14)
    return slots[0] if slots else None


def expire_no_shows(now: dt.datetime | None = None) -> int:
    """Periodic: called tickets nobody answered, and bookings whose slot is long over."""
    now = now or timezone.now()
    expired = 0
    stale = Ticket.objects.filter(status=Ticket.Status.CALLED, called_at__lt=now - CALLED_GRACE)
    for ticket in stale:
        expired += ticket.no_show()
    old_waiting = Ticket.objects.filter(status=Ticket.Status.WAITING, day__lt=timezone.localdate())
    for ticket in old_waiting:
        if Ticket.objects.filter(pk=ticket.pk, status=Ticket.Status.WAITING).update(
            status=Ticket.Status.NO_SHOW, finished_at=now
        ):
            log_action("ticket.no_show", ticket, label=ticket.label, reason="end of day")
            expired += 1
    missed = Booking.objects.filter(
        status=Booking.Status.BOOKED, slot__ends_at__lt=now - BOOKING_GRACE
    )
    for booking in missed:
        if Booking.objects.filter(pk=booking.pk, status=Booking.Status.BOOKED).update(
            status=Booking.Status.NO_SHOW
        ):
            log_action("booking.no_show", booking)
            expired += 1
    return expired
