"""`loket seed-history`: a past with a story, written once."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command

from loket.applications.models import Application
from loket.appointments.models import Ticket, TurnedAway
from loket.bot.models import Turn
from loket.catalog.models import ServicePolicy
from loket.reports import history
from loket.reports.periods import Period, choose, office_tz


def test_it_writes_a_history_with_the_emergency_dip_and_refuses_a_second_run(office, capsys):
    call_command("seed_history", days=40, scale=0.2)
    out = capsys.readouterr().out
    assert "40/40 hari" in out and "Selesai" in out
    wave = ServicePolicy.objects.get(name=history.WAVE_NAME)
    began = wave.starts_at.astimezone(office_tz(office)).date()
    before = Period(began - dt.timedelta(days=7), began - dt.timedelta(days=1))
    during = Period(began + dt.timedelta(days=3), began + dt.timedelta(days=9))

    walk_before = Ticket.objects.filter(day__range=(before.start, before.end), booking=None).count()
    walk_during = Ticket.objects.filter(day__range=(during.start, during.end), booking=None).count()
    online_before = Application.objects.filter(
        submitted_at__date__range=(before.start, before.end)
    ).count()
    online_during = Application.objects.filter(
        submitted_at__date__range=(during.start, during.end)
    ).count()
    assert walk_during < walk_before / 2  # the counter nearly closes
    assert online_during > online_before * 3  # and people go online
    assert TurnedAway.objects.exists() and Turn.objects.exists()
    # weekends have no counter
    assert not Ticket.objects.filter(day__week_day__in=(1, 7)).exists()
    with pytest.raises(CommandError, match="sudah ada"):
        call_command("seed_history", days=5)


def test_the_dashboard_compares_with_the_days_before_the_wave(office):
    history.seed_history(office, 30, scale=0.1)
    wave = ServicePolicy.objects.get(name=history.WAVE_NAME)
    start = wave.starts_at.astimezone(office_tz(office)).date()
    choice = choose(
        office,
        {"periode": "custom", "dari": str(start), "sampai": str(start + dt.timedelta(days=2))},
    )
    assert choice.baseline == Period(start - dt.timedelta(days=3), start - dt.timedelta(days=1))


def test_bad_days_are_refused(office):
    with pytest.raises(CommandError):
        call_command("seed_history", days=0)
