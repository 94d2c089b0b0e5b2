"""Solving, publishing and re-solving a period stored in the database."""

import datetime as dt

import pytest

from loket.roster import checker, skills
from loket.roster.duty import on_duty_count
from loket.roster.models import Absence, Assignment, RosterDay
from loket.roster.planning import RosterError, document, lock_past_days, publish, solve_period
from loket.whatsapp.models import Contact, OutboundMessage

NYEPI = dt.date(2020, 3, 25)


def modes(period):
    return {(a.employee_id, a.date): a.mode for a in Assignment.objects.filter(period=period)}


def test_it_solves_a_period_that_keeps_every_rule(period):
    solution = solve_period(period)

    assert solution.feasible
    assert checker.check(document(period)) == []
    days = RosterDay.objects.filter(period=period)
    assert days.count() == 14
    assert not days.get(date=NYEPI).working
    assert {a.mode for a in Assignment.objects.filter(period=period, date=NYEPI)} == {"off"}


def test_it_explains_a_period_that_cannot_be_staffed(period, employees):
    period.min_per_skill[skills.PEREKAMAN] = 3
    period.save()
    monday = dt.date(2020, 3, 16)
    for name in ["Andi", "Bayu"]:
        Absence.objects.create(employee=employees[name], kind="cuti", start=monday, end=monday)

    solution = solve_period(period)

    assert not solution.feasible
    perekaman = [s for s in solution.shortages if s.key == skills.PEREKAMAN]
    assert (monday, 1) in [(s.date, s.short) for s in perekaman]
    with pytest.raises(RosterError, match="Senin 16-03-2020: kurang"):
        publish(period)


def test_publishing_sends_each_staff_member_their_days(period, employees):
    solve_period(period)

    sent = publish(period)

    assert sent == len(employees)
    andi = Contact.objects.get(office=period.office, wa_id=employees["Andi"].whatsapp)
    message = OutboundMessage.objects.get(contact=andi)
    assert message.kind == "template"
    assert message.body["template"]["name"] == "jadwal_piket"
    andi_days = [
        a.date for a in Assignment.objects.filter(employee=employees["Andi"], mode="office")
    ]
    assert f"{andi_days[0]:%d/%m}" in message.preview
    assert set(RosterDay.objects.filter(period=period).values_list("state", flat=True)) == {
        "published"
    }


def test_published_days_never_move_on_resolve(period, employees):
    solve_period(period)
    publish(period, through=dt.date(2020, 3, 20))
    before = modes(period)
    Absence.objects.create(
        employee=employees["Dian"], kind="sakit", start=dt.date(2020, 3, 23), end=NYEPI
    )

    solve_period(period)

    after = modes(period)
    published = [k for k in before if k[1] <= dt.date(2020, 3, 20)]
    assert all(after[k] == before[k] for k in published)
    assert after[employees["Dian"].pk, dt.date(2020, 3, 23)] == "leave"
    assert checker.check(document(period)) == []


def test_on_duty_count_reads_only_published_days(period, employees, office):
    monday = dt.date(2020, 3, 16)
    solve_period(period)
    assert on_duty_count(office, monday, skills.PEREKAMAN) is None

    publish(period)

    in_office = [
        a.employee for a in Assignment.objects.filter(period=period, date=monday, mode="office")
    ]
    expected = sum(skills.PEREKAMAN in e.skills for e in in_office)
    assert on_duty_count(office, monday, skills.PEREKAMAN) == expected >= 1
    assert on_duty_count(office, NYEPI, skills.PEREKAMAN) == 0
    assert on_duty_count(office, dt.date(2020, 4, 1), skills.PEREKAMAN) is None


def test_past_published_days_are_locked(period):
    solve_period(period)
    publish(period)

    assert lock_past_days(today=dt.date(2020, 3, 18)) == 2
    assert lock_past_days(today=dt.date(2020, 3, 18)) == 0
    states = dict(RosterDay.objects.filter(period=period).values_list("date", "state"))
    assert states[dt.date(2020, 3, 17)] == "locked"
    assert states[dt.date(2020, 3, 18)] == "published"


def test_publishing_waits_for_a_resolve_after_new_leave(period, employees):
    solve_period(period)
    day = Assignment.objects.filter(employee=employees["Dian"], mode="office").first().date
    Absence.objects.create(employee=employees["Dian"], kind="sakit", start=day, end=day)

    with pytest.raises(RosterError, match="susun ulang dulu"):
        publish(period)
    solve_period(period)
    assert publish(period) == len(employees)
