"""Periodic jobs (settings.LOKET_PERIODIC_JOBS): each claims rows, so two workers act once."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from loket.appointments import notify
from loket.appointments.capacity import sync_all_offices
from loket.appointments.models import Booking
from loket.appointments.queue import expire_no_shows


def send_reminders(now: dt.datetime | None = None) -> int:
    """The day-before reminder, sent once: `reminder_sent_at` is claimed with a conditional
    UPDATE in the same transaction that queues the message."""
    now = now or timezone.now()
    tomorrow = timezone.localdate(now) + dt.timedelta(days=1)
    due = Booking.objects.filter(
        status=Booking.Status.BOOKED, day=tomorrow, reminder_sent_at__isnull=True
    ).values_list("pk", flat=True)
    sent = 0
    for pk in list(due):
        with transaction.atomic():
            claimed = Booking.objects.filter(
                pk=pk, status=Booking.Status.BOOKED, reminder_sent_at__isnull=True
            ).update(reminder_sent_at=now)
            if not claimed:
                continue
            booking = Booking.objects.select_related("contact", "service", "office", "slot").get(
                pk=pk
            )
            notify.booking_reminder(booking)
            sent += 1
    return sent


def expire() -> int:
    return expire_no_shows()


def sync_slots() -> None:
    sync_all_offices()
