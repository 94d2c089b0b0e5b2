"""Today's queue at a glance, for a citizen who asks on WhatsApp ("antrian nomor berapa?").

Read-only: the numbers the waiting-room screen shows (who is called, how many wait, how full the
room is), plus the asking citizen's own ticket of today and next booking.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from loket.appointments.capacity import open_windows, room
from loket.appointments.models import Booking, Ticket
from loket.appointments.queue import inside_count
from loket.catalog.models import Office


@dataclass(frozen=True)
class QueueToday:
    day: dt.date
    open_today: bool
    waiting: int
    inside: int
    seats: int
    latest: Ticket | None = None
    own_tickets: list[Ticket] = field(default_factory=list)
    own_bookings: list[Booking] = field(default_factory=list)


def queue_today(office: Office, contact=None) -> QueueToday:
    today = timezone.localdate()
    tickets = Ticket.objects.filter(office=office, day=today)
    latest = (
        tickets.filter(status=Ticket.Status.CALLED).select_related("service").order_by("-called_at")
    ).first()
    own_tickets, own_bookings = [], []
    if contact is not None:
        own_tickets = list(
            tickets.filter(booking__contact=contact, status__in=Ticket.INSIDE).select_related(
                "service"
            )
        )
        own_bookings = list(
            Booking.objects.filter(
                office=office, contact=contact, status=Booking.Status.BOOKED, day__gte=today
            )
            .select_related("service", "slot")
            .order_by("slot__starts_at")[:3]
        )
    return QueueToday(
        day=today,
        open_today=bool(open_windows(office, today)),
        waiting=tickets.filter(status=Ticket.Status.WAITING).count(),
        inside=inside_count(office, today),
        seats=room(office).people_at_once,
        latest=latest,
        own_tickets=own_tickets,
        own_bookings=own_bookings,
    )
