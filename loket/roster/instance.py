"""Realistic generated offices for `loket roster bench`, and the roster document (JSON) format.

The document is what the independent checker (loket/roster/checker.py) reads:

    staff:        [{id, unit, skills: [code], supervisor: bool}]
    days:         [{date: "YYYY-MM-DD", working: bool}]         every calendar day of the period
    rules:        {min_per_skill: {code: n}, max_in_office: n, alternate_days: true,
                   office_every: 2, supervisor_per_unit: true}
    leave:        [{staff_id, date}]                            leave/sick/duty travel (hard)
    assignments:  [{staff_id, date, mode}]  mode office | wfh | leave | off, one per staff x day
    shortages:    [{date, kind, key, short}]                    empty when every rule is met
"""

from __future__ import annotations

import datetime as dt
import random

import holidays

from loket.roster import skills
from loket.roster.solver import Person, Problem, Solution

UNITS = [
    "Pendaftaran Penduduk",
    "Pencatatan Sipil",
    "PIAK",
    "Pemanfaatan Data",
    "Sekretariat",
]
SKILL_WEIGHTS = {
    skills.PEREKAMAN: 5,
    skills.PENCETAKAN: 3,
    skills.PENDAFTARAN: 5,
    skills.PENCATATAN_SIPIL: 4,
    skills.CUSTOMER_SERVICE: 4,
    skills.VERIFIKASI: 4,
    skills.LEGALISIR: 2,
    skills.PENGAMBILAN: 2,
}
START = dt.date(2020, 3, 1)  # the month of the mayor's circular


def working_calendar(days: list[dt.date], closures: set[dt.date] = frozenset()) -> set[dt.date]:
    """Monday to Friday, minus Indonesian national holidays and the office's closures."""
    national = holidays.country_holidays("ID", years=sorted({d.year for d in days}))
    return {d for d in days if d.weekday() < 5 and d not in national and d not in closures}


def generate(n_staff: int, n_days: int, seed: int, infeasible: bool = False) -> Problem:
    rng = random.Random(seed)
    days = [START + dt.timedelta(days=i) for i in range(n_days)]
    working = working_calendar(days)
    n_units = max(2, min(len(UNITS), n_staff // 30 + 1))
    names = UNITS[:n_units]
    staff: list[Person] = []
    codes, weights = list(SKILL_WEIGHTS), list(SKILL_WEIGHTS.values())
    for i in range(n_staff):
        unit = names[i % n_units]
        k = rng.choice([1, 1, 2, 2, 2, 3])
        chosen = set()
        while len(chosen) < k:
            chosen.add(rng.choices(codes, weights)[0])
        supervisor = i < 4 * n_units  # four supervisors per unit (two cover each other's days)
        staff.append(Person(f"P{i + 1:03d}", unit, frozenset(chosen), supervisor))

    wlist = sorted(working)
    leave: set[tuple[str, dt.date]] = set()
    supervisor_on_leave: set[str] = set()
    for p in rng.sample(staff, k=max(1, n_staff // 8)):
        if p.supervisor and p.unit in supervisor_on_leave:
            continue
        if p.supervisor:
            supervisor_on_leave.add(p.unit)
        start = rng.randrange(len(days))
        for d in days[start : start + rng.randint(1, 5)]:
            if d in working:
                leave.add((p.id, d))

    counts = {c: sum(c in p.skills for p in staff) for c in codes}
    min_per_skill = {c: max(1, counts[c] // 5) for c in codes if counts[c] >= 4}
    prefer: dict[tuple[str, dt.date], bool] = {}
    for p in rng.sample(staff, k=max(1, n_staff // 20)) if wlist else []:
        d = rng.choice(wlist)
        if (p.id, d) not in leave:
            prefer[p.id, d] = rng.random() < 0.5

    if infeasible and wlist:
        # A bad day: every KTP-el recording officer is away on one working day.
        day = wlist[len(wlist) // 2]
        min_per_skill.setdefault(skills.PEREKAMAN, 1)
        for p in staff:
            if skills.PEREKAMAN in p.skills:
                leave.add((p.id, day))
    return Problem(
        staff=staff,
        days=days,
        working=working,
        min_per_skill=min_per_skill,
        max_in_office=max(4 * n_units, (n_staff * 35) // 100),
        office_every=2,
        supervisor_per_unit=True,
        leave=leave,
        prefer=prefer,
    )


def to_document(problem: Problem, solution: Solution) -> dict:
    return {
        "staff": [
            {"id": p.id, "unit": p.unit, "skills": sorted(p.skills), "supervisor": p.supervisor}
            for p in problem.staff
        ],
        "days": [{"date": d.isoformat(), "working": d in problem.working} for d in problem.days],
        "rules": {
            "min_per_skill": dict(sorted(problem.min_per_skill.items())),
            "max_in_office": problem.max_in_office,
            "alternate_days": problem.office_every == 2,
            "office_every": problem.office_every,
            "supervisor_per_unit": problem.supervisor_per_unit,
            "consecutive": "consecutive in the list of working days (implies calendar days)",
        },
        "leave": [{"staff_id": s, "date": d.isoformat()} for s, d in sorted(problem.leave)],
        "preferences": [
            {"staff_id": s, "date": d.isoformat(), "office": wish}
            for (s, d), wish in sorted(problem.prefer.items())
        ],
        "assignments": [
            {"staff_id": s, "date": d.isoformat(), "mode": mode}
            for (s, d), mode in sorted(solution.assignments.items())
        ],
        "shortages": [s.as_dict() for s in solution.shortages],
    }
