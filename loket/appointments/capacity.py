"""How many people a service can take per slot, the slots themselves, and cutting them.

Capacity of a slot = counters open × (slot minutes ÷ minutes per person), bounded by the
waiting room: the distanced seats are shared by every service served that day, so each service
gets an equal share of them per slot. Counters open come from the roster when it is installed
and has a roster for the day, else from the manual number in CounterConfig.

Only services the policy in force that day serves at the counter (open or limited to listed
purposes) get places: a suspended or online-only service gets none, and the places it had are
cut (its bookings cancelled and the citizens told) when the policy changes.
"""

import datetime as dt
import logging
from functools import lru_cache

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from loket.appointments.models import Booking, CounterConfig, Slot, WaitingRoom
from loket.catalog.models import Office, Service
from loket.catalog.policy import ServiceStatus, service_status

logger = logging.getLogger(__name__)
NOON = dt.time(12)


@lru_cache(maxsize=16)
def _national_holidays(year: int):
    import holidays  # a large package: imported when slots are first planned, not at startup

    return holidays.Indonesia(years=year)


def is_holiday(day: dt.date) -> bool:
    return day in _national_holidays(day.year)


def counters_open(config: CounterConfig, day: dt.date) -> int:
    """Staff on duty for the config's skill that day (roster), else the manual number."""
    if apps.is_installed("loket.roster"):
        try:
            from loket.roster.duty import on_duty_count
        except ImportError:
            logger.warning("loket.roster is installed but has no duty.on_duty_count")
        else:
            count = on_duty_count(config.office, day, config.skill)
            if count is not None:
                return count
    return config.counters


def room(office: Office) -> WaitingRoom:
    return WaitingRoom.objects.get_or_create(office=office)[0]


def open_windows(office: Office, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
    """The day's serving hours as aware datetimes, the break cut out; [] when closed."""
    if is_holiday(day):
        return []
    hours = office.hours_on(day)
    if hours is None:
        return []

    def at(time: dt.time) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, time))

    if hours.break_start and hours.break_end and hours.opens < hours.break_start:
        return [(at(hours.opens), at(hours.break_start)), (at(hours.break_end), at(hours.closes))]
    return [(at(hours.opens), at(hours.closes))]


def slot_times(office: Office, day: dt.date, minutes: int) -> list[tuple[dt.datetime, dt.datetime]]:
    length = dt.timedelta(minutes=minutes)
    times = []
    for start, end in open_windows(office, day):
        while start + length <= end:
            times.append((start, start + length))
            start += length
    return times


def status_on(office: Office, service: Service, day: dt.date) -> ServiceStatus:
    """The service's status under the policy in force at midday of `day`."""
    return service_status(office, service, timezone.make_aware(dt.datetime.combine(day, NOON)))


def planned_capacities(office: Office, day: dt.date) -> dict[tuple[int, dt.datetime], int]:
    """(service id, start) -> capacity for every configured service served at the counter."""
    waiting_room = room(office)
    configs = [
        config
        for config in CounterConfig.objects.filter(office=office).select_related("service")
        if status_on(office, config.service, day).in_person
    ]
    times = slot_times(office, day, waiting_room.slot_minutes)
    if not configs or not times:
        return {}
    room_share = waiting_room.people_at_once // len(configs)
    plan = {}
    for config in configs:
        per_slot = counters_open(config, day) * waiting_room.slot_minutes
        per_slot = min(per_slot // config.minutes_per_person, room_share)
        left = config.daily_cap if config.daily_cap is not None else per_slot * len(times)
        for start, _end in times:
            plan[(config.service_id, start)] = min(per_slot, left)
            left -= plan[(config.service_id, start)]
    return plan


def ensure_slots(office: Office, day: dt.date) -> int:
    """Creates the missing slots of `day` and raises capacities the plan now allows (idempotent).

    Capacity is never lowered here: cutting cancels bookings, which only `cut_capacity` does.
    """
    minutes = room(office).slot_minutes
    created = 0
    existing = {(s.service_id, s.starts_at): s for s in Slot.objects.filter(office=office, day=day)}
    for (service_id, start), capacity in planned_capacities(office, day).items():
        slot = existing.get((service_id, start))
        if slot is None:
            _, made = Slot.objects.get_or_create(
                office=office,
                service_id=service_id,
                starts_at=start,
                defaults={
                    "day": day,
                    "ends_at": start + dt.timedelta(minutes=minutes),
                    "capacity": capacity,
                },
            )
            created += made
        elif slot.capacity < capacity:
            Slot.objects.filter(pk=slot.pk, capacity__lt=capacity).update(capacity=capacity)
    return created


def cut_capacity(slot: Slot, capacity: int, reason: str, actor=None) -> list[Booking]:
    """Lowers a slot's capacity; bookings that no longer fit are cancelled, latest-booked first."""
    from loket.appointments.booking import cancel_locked

    cancelled = []
    with transaction.atomic():
        slot = Slot.objects.select_for_update().get(pk=slot.pk)
        over = slot.booked - capacity
        if over > 0:
            victims = (
                slot.bookings.filter(status=Booking.Status.BOOKED)
                .select_related("contact", "service", "office", "slot")
                .order_by("-created_at", "-pk")[:over]
            )
            for booking in victims:
                cancel_locked(booking, slot, reason, actor=actor, notify=True)
                cancelled.append(booking)
        slot.refresh_from_db()
        slot.capacity = max(capacity, slot.booked)  # checked-in people cannot be un-admitted
        slot.save(update_fields=["capacity"])
    return cancelled


def bookings_on(office: Office, day: dt.date) -> int:
    """How many bookings of `day` are still to come: those closing the day would cancel."""
    return Booking.objects.filter(
        office=office, slot__day=day, status=Booking.Status.BOOKED
    ).count()


def close_day(office: Office, day: dt.date, reason: str, actor=None) -> list[Booking]:
    """Closes every slot of `day` (a closure, an emergency): cancels and notifies everyone."""
    cancelled = []
    for slot in Slot.objects.filter(office=office, day=day).order_by("starts_at"):
        cancelled += cut_capacity(slot, 0, reason, actor=actor)
    return cancelled


def close_stopped_services(office: Office, day: dt.date) -> list[Booking]:
    """Cuts to 0 the places of services the policy no longer serves at the counter on `day`."""
    cancelled = []
    services = Service.objects.filter(
        pk__in=Slot.objects.filter(office=office, day=day, capacity__gt=0).values("service")
    )
    for service in services:
        status = status_on(office, service, day)
        if status.in_person:
            continue
        how = "dihentikan sementara" if status.is_suspended else "hanya dilayani online"
        policy = f" ({status.policy.name})" if status.policy else ""
        reason = f"{service.short_name or service.name} {how}{policy}"
        for slot in Slot.objects.filter(office=office, day=day, service=service, capacity__gt=0):
            cancelled += cut_capacity(slot, 0, reason)
    return cancelled


def sync_days_ahead(office: Office, today: dt.date | None = None) -> None:
    """Periodic: slots for the coming days exist; days that became closed are closed; services
    the policy stopped lose their places."""
    today = today or timezone.localdate()
    for offset in range(room(office).days_ahead + 1):
        day = today + dt.timedelta(days=offset)
        if not open_windows(office, day):
            if Slot.objects.filter(office=office, day=day, capacity__gt=0).exists():
                closure = office.closures.filter(date=day).first()
                close_day(office, day, closure.reason if closure else "Kantor tutup")
            continue
        close_stopped_services(office, day)
        ensure_slots(office, day)


def counter_services(office: Office, day: dt.date | None = None) -> list[Service]:
    """Services with a counter that the policy in force serves at the counter (walk-ins)."""
    day = day or timezone.localdate()
    configured = Service.objects.filter(
        pk__in=CounterConfig.objects.filter(office=office).values("service")
    )
    return [service for service in configured if status_on(office, service, day).in_person]


def sync_all_offices() -> None:
    for office in Office.objects.filter(counter_configs__isnull=False).distinct():
        sync_days_ahead(office)
