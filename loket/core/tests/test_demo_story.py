"""The demo tells the March-2020 story: pickups have places, suspended services none, and a
published piket covers every day of the emergency policy."""

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone

pytestmark = pytest.mark.django_db

MONDAY_0830_WITA = dt.datetime(2026, 12, 7, 0, 30, tzinfo=dt.UTC)


def test_todays_places_follow_the_policy_and_the_piket_covers_it(capsys):
    from loket.appointments.capacity import counter_services
    from loket.appointments.models import Slot
    from loket.catalog.models import Office
    from loket.catalog.policy import policy_in_force
    from loket.roster.duty import on_duty_count
    from loket.roster.models import RosterDay

    with time_machine.travel(MONDAY_0830_WITA, tick=False):
        call_command("seed_demo")
        office = Office.objects.get(slug="balikpapan")
        today = timezone.localdate()
        policy = policy_in_force(office)
        walk_in_codes = {s.code for s in counter_services(office)}

    def places(code: str) -> int:
        slots = Slot.objects.filter(office=office, day=today, service__code=code)
        return slots.aggregate(n=Sum("capacity"))["n"] or 0

    assert places("ambil-dokumen") > 0
    assert places("ktp-rekam") == 0 and places("ikd") == 0
    assert walk_in_codes == {"ambil-dokumen", "legalisir"}
    assert on_duty_count(office, today, "pengambilan") >= 2

    first = timezone.localdate(policy.starts_at)
    last = timezone.localdate(policy.ends_at) - dt.timedelta(days=1)
    published = set(
        RosterDay.objects.filter(
            period__office=office, state=RosterDay.State.PUBLISHED, date__range=(first, last)
        ).values_list("date", flat=True)
    )
    every_day = {first + dt.timedelta(days=n) for n in range((last - first).days + 1)}
    assert every_day <= published
