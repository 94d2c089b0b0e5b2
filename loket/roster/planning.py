"""Roster workflows: build the solver's problem from the database, solve, publish, lock.

Days move draft -> published -> locked. Re-solving rewrites draft days only (published and
locked days are fixed in the model, and the previous draft is the starting point: few changes).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from loket.core.audit import log_action
from loket.roster import checker
from loket.roster.directory import contact_for
from loket.roster.instance import working_calendar
from loket.roster.models import Absence, Assignment, Employee, Preference, RosterDay, RosterPeriod
from loket.roster.skills import LABELS
from loket.roster.solver import Person, Problem, Solution, explain, solve
from loket.whatsapp.outbox import queue_template

Mode = Assignment.Mode
State = RosterDay.State
TEMPLATE_NAME = "jadwal_piket"


class RosterError(Exception):
    """A roster action that the rules do not allow; the message is for people (Indonesian)."""


def employees_of(period: RosterPeriod) -> list[Employee]:
    return list(Employee.objects.filter(office=period.office, active=True).order_by("pk"))


def working_days(period: RosterPeriod) -> set[dt.date]:
    closures = set(
        period.office.closures.filter(date__range=(period.start, period.end)).values_list(
            "date", flat=True
        )
    )
    return working_calendar(period.dates(), closures)


def build_problem(period: RosterPeriod) -> Problem:
    employees = employees_of(period)
    ids = {e.pk for e in employees}
    dates = period.dates()
    leave = set()
    for a in Absence.objects.filter(
        employee_id__in=ids, start__lte=period.end, end__gte=period.start
    ):
        for d in dates:
            if a.start <= d <= a.end:
                leave.add((str(a.employee_id), d))
    prefer = {
        (str(p.employee_id), p.date): p.wants_office
        for p in Preference.objects.filter(
            employee_id__in=ids, date__range=(period.start, period.end)
        )
    }
    states = dict(period.roster_days.values_list("date", "state"))
    fixed_dates = {d for d, s in states.items() if s != State.DRAFT}
    fixed, previous = {}, {}
    for a in period.assignments.all():
        key = (str(a.employee_id), a.date)
        (fixed if a.date in fixed_dates else previous)[key] = a.mode == Mode.OFFICE
    for e in employees:  # newcomers stay home on days already published
        for d in fixed_dates:
            fixed.setdefault((str(e.pk), d), False)
    return Problem(
        staff=[
            Person(
                str(e.pk),
                e.unit,
                frozenset(e.skills),
                e.is_supervisor,
                ord(e.piket_group.upper()) - ord("A") if e.piket_group else None,
            )
            for e in employees
        ],
        days=dates,
        working=working_days(period),
        min_per_skill={k: int(v) for k, v in period.min_per_skill.items() if int(v) > 0},
        max_in_office=period.max_in_office,
        office_every=period.office_every,
        supervisor_per_unit=period.supervisor_per_unit,
        leave=leave,
        prefer=prefer,
        fixed=fixed,
        previous=previous,
    )


def solve_period(period: RosterPeriod, actor=None, time_limit: float = 10.0) -> Solution:
    """Solves the period and writes its draft days; published and locked days do not move
    (except that new leave on such a day is recorded as leave)."""
    problem = build_problem(period)
    solution = solve(problem, time_limit=time_limit)
    if not solution.assignments:
        raise RosterError(f"Penjadwal tidak menemukan jadwal ({solution.status}).")
    with transaction.atomic():
        locked = RosterPeriod.objects.select_for_update().get(pk=period.pk)
        states = _ensure_days(locked, problem.working)
        drafts = {d for d, s in states.items() if s == State.DRAFT}
        existing = {(a.employee_id, a.date): a for a in locked.assignments.all()}
        Assignment.objects.filter(period=locked, date__in=drafts).delete()
        rows, updates = [], []
        for (sid, d), mode in solution.assignments.items():
            key = (int(sid), d)
            if d in drafts or key not in existing:
                rows.append(Assignment(period=locked, employee_id=int(sid), date=d, mode=mode))
            elif existing[key].mode != mode:
                existing[key].mode = mode
                updates.append(existing[key])
        Assignment.objects.bulk_create(rows)
        Assignment.objects.bulk_update(updates, ["mode"])
        period.solved_at = timezone.now()
        period.solver_status = solution.status
        period.objective, period.bound = solution.objective, solution.bound
        period.seconds = solution.seconds
        period.shortages = [s.as_dict() for s in solution.shortages]
        period.save()
        log_action(
            "roster.solved",
            period,
            actor=actor,
            status=solution.status,
            shortages=explain(solution.shortages, LABELS),
        )
    return solution


def _ensure_days(period: RosterPeriod, working: set[dt.date]) -> dict[dt.date, str]:
    states = dict(period.roster_days.values_list("date", "state"))
    RosterDay.objects.bulk_create(
        [
            RosterDay(period=period, date=d, working=d in working)
            for d in period.dates()
            if d not in states
        ]
    )
    drafts = RosterDay.objects.filter(period=period, state=State.DRAFT)
    drafts.filter(date__in=working).update(working=True)
    drafts.exclude(date__in=working).update(working=False)
    return dict(period.roster_days.values_list("date", "state"))


def document(period: RosterPeriod) -> dict:
    """The period as a roster document (the format of loket/roster/instance.py) for the checker."""
    problem = build_problem(period)
    modes = {(str(a.employee_id), a.date): a.mode for a in period.assignments.all()}
    return {
        "staff": [
            {"id": p.id, "unit": p.unit, "skills": sorted(p.skills), "supervisor": p.supervisor}
            for p in problem.staff
        ],
        "days": [{"date": d.isoformat(), "working": d in problem.working} for d in problem.days],
        "rules": {
            "min_per_skill": problem.min_per_skill,
            "max_in_office": problem.max_in_office,
            "alternate_days": problem.office_every == 2,
            "office_every": problem.office_every,
            "supervisor_per_unit": problem.supervisor_per_unit,
        },
        "leave": [{"staff_id": s, "date": d.isoformat()} for s, d in sorted(problem.leave)],
        "assignments": [
            {"staff_id": s, "date": d.isoformat(), "mode": m} for (s, d), m in sorted(modes.items())
        ],
    }


def publish(period: RosterPeriod, actor=None, through: dt.date | None = None) -> int:
    """Publishes the draft days (up to `through`) and sends each staff member their office days
    on WhatsApp. Refuses while the roster breaks a rule. Returns the number of messages queued."""
    if not period.solved_at:
        raise RosterError("Susun jadwal dulu sebelum mengumumkan.")
    if period.shortages:
        raise RosterError(
            "Jadwal belum memenuhi semua aturan; longgarkan aturan lalu susun ulang. "
            + "; ".join(explain_from_period(period))
        )
    if checker.check(document(period)):
        raise RosterError("Data berubah sejak jadwal disusun (mis. cuti baru); susun ulang dulu.")
    with transaction.atomic():
        days = period.roster_days.filter(state=State.DRAFT)
        if through is not None:
            days = days.filter(date__lte=through)
        dates = list(days.values_list("date", flat=True))
        if not dates:
            raise RosterError("Tidak ada hari draf untuk diumumkan.")
        days.update(state=State.PUBLISHED, published_at=timezone.now())
        sent = _notify(period, dates)
        log_action("roster.published", period, actor=actor, days=len(dates), messages=sent)
    return sent


def result_words(period: RosterPeriod) -> str:
    """The solver's last result in plain words (never a bare "OPTIMAL" next to unmet rules)."""
    if not period.solved_at:
        return "Jadwal belum disusun."
    if period.solver_status not in ("OPTIMAL", "FEASIBLE"):
        return "Tidak ditemukan jadwal dalam batas waktu: longgarkan aturan lalu susun ulang."
    if period.shortages:
        count = len(period.shortages)
        return f"Jadwal tersusun, tetapi {count} aturan tidak terpenuhi (lihat daftar di bawah)."
    if period.solver_status == "OPTIMAL":
        return "Jadwal tersusun: semua aturan terpenuhi, pembagian paling merata."
    return "Jadwal tersusun: semua aturan terpenuhi."


def explain_from_period(period: RosterPeriod) -> list[str]:
    from loket.roster.solver import Shortage

    return explain(
        [
            Shortage(dt.date.fromisoformat(s["date"]), s["kind"], s["key"], s["short"])
            for s in period.shortages
        ],
        LABELS,
    )


def _notify(period: RosterPeriod, dates: list[dt.date]) -> int:
    office_days: dict[int, list[dt.date]] = {}
    for a in period.assignments.filter(date__in=dates, mode=Mode.OFFICE).order_by("date"):
        office_days.setdefault(a.employee_id, []).append(a.date)
    sent = 0
    for employee in employees_of(period):
        contact = contact_for(employee)
        if contact is None:
            continue
        days = office_days.get(employee.pk, [])
        listing = ", ".join(f"{d:%d/%m}" for d in days) or "tidak ada (kerja dari rumah)"
        params = [employee.name, period.name, listing]
        preview = render_to_string(
            "roster/messages/jadwal_piket.txt",
            {"employee": employee, "period": period, "listing": listing},
            using="text",
        )
        queue_template(contact, TEMPLATE_NAME, "id", params, preview, source="roster")
        sent += 1
    return sent


def lock_past_days(today: dt.date | None = None) -> int:
    """Periodic job: published days that have passed are locked (idempotent)."""
    today = today or timezone.localdate()
    return RosterDay.objects.filter(state=State.PUBLISHED, date__lt=today).update(
        state=State.LOCKED
    )
