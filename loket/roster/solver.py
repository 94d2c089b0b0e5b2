"""The piket solver: who is in the office on which working day, on Google OR-Tools CP-SAT.

Pure Python (no Django): `solve(Problem) -> Solution`. The model, in short:

- one boolean per (person, working day) they are not on leave: "in the office";
- hard: leave, published (fixed) days, and the piket pattern: at most one office day in any
  `office_every` consecutive *working* days (2 = alternate days: never two working days in a row,
  a weekend or holiday between two working days does not break the chain);
- relaxable with heavily penalised slack: minimum staff per skill per day, at least one supervisor
  per unit per day, the head-count cap. Any nonzero slack is the explanation of why the rules
  cannot all be met (which day, which skill or unit, how many short), never a silent failure;
- soft: each person's office days near a fair share of the available places (and Mondays/Fridays
  shared), preferences, the cycle group (A/B), and as few changes as possible vs the previous draft.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

OFFICE, WFH, LEAVE, OFF = "office", "wfh", "leave", "off"

W_OVER_CAP = 100_000  # distancing is health: breaking the cap costs more than any shortage
W_SHORT = 10_000  # per person missing for a skill or a unit's supervisor on a day
W_FAIR = 5  # per office day outside the person's fair share
W_CHANGE = 8  # per cell changed vs the previous draft
W_PREF = 3  # per preference not met
W_MONFRI = 2  # per Monday/Friday above the fair share
W_GROUP = 1  # per office day outside the person's cycle group


@dataclass(frozen=True)
class Person:
    id: str
    unit: str
    skills: frozenset[str]
    supervisor: bool = False
    group: int | None = None  # piket group (0 = A, 1 = B, ...) for the office's cycle


@dataclass
class Problem:
    staff: list[Person]
    days: list[dt.date]
    working: set[dt.date]
    min_per_skill: dict[str, int] = field(default_factory=dict)
    max_in_office: int | None = None
    office_every: int = 2
    supervisor_per_unit: bool = True
    leave: set[tuple[str, dt.date]] = field(default_factory=set)
    prefer: dict[tuple[str, dt.date], bool] = field(default_factory=dict)  # True: wants office
    fixed: dict[tuple[str, dt.date], bool] = field(default_factory=dict)  # published days
    previous: dict[tuple[str, dt.date], bool] = field(default_factory=dict)  # last draft

    def working_days(self) -> list[dt.date]:
        return [d for d in sorted(self.days) if d in self.working]


@dataclass(frozen=True)
class Shortage:
    date: dt.date
    kind: str  # "skill", "supervisor" or "cap"
    key: str  # the skill code, the unit, or "" for the cap
    short: int  # people missing (or over the cap)

    def as_dict(self) -> dict:
        return {
            "date": self.date.isoformat(),
            "kind": self.kind,
            "key": self.key,
            "short": self.short,
        }


@dataclass
class Solution:
    status: str  # CP-SAT status name: OPTIMAL, FEASIBLE, INFEASIBLE, UNKNOWN, MODEL_INVALID
    seconds: float
    objective: float | None
    bound: float | None
    assignments: dict[tuple[str, dt.date], str]
    shortages: list[Shortage]

    @property
    def feasible(self) -> bool:
        """Every rule is met (a roster exists and no slack was needed)."""
        return self.status in ("OPTIMAL", "FEASIBLE") and not self.shortages

    @property
    def gap(self) -> float | None:
        if self.objective is None or self.bound is None:
            return None
        return abs(self.objective - self.bound) / max(1.0, abs(self.objective))


class _Progress(cp_model.CpSolverSolutionCallback):
    def __init__(self, report) -> None:
        super().__init__()
        self.report = report
        self.count = 0

    def on_solution_callback(self) -> None:
        self.count += 1
        self.report(
            f"solusi {self.count}: objective={self.ObjectiveValue():.0f} "
            f"bound={self.BestObjectiveBound():.0f} t={self.WallTime():.2f}s"
        )


def max_office_days(available: list[bool], every: int) -> int:
    """The most office days one person can have on a chain of working days (greedy is optimal)."""
    count, last = 0, -every
    for i, ok in enumerate(available):
        if ok and i - last >= every:
            count, last = count + 1, i
    return count


def solve(
    problem: Problem,
    time_limit: float = 10.0,
    workers: int = 2,
    progress: Callable[[str], None] | None = None,
) -> Solution:
    """Solves within `time_limit` seconds; `progress(line)` hears of every better roster."""
    started = time.monotonic()
    wdays = problem.working_days()
    every = max(1, problem.office_every)
    staff = problem.staff
    model = cp_model.CpModel()
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    for si, p in enumerate(staff):
        for di, d in enumerate(wdays):
            if (p.id, d) in problem.leave:
                continue
            fixed = problem.fixed.get((p.id, d))
            if fixed is None:
                x[si, di] = model.new_bool_var(f"x{si}_{di}")
            else:
                x[si, di] = model.new_constant(int(fixed))

    objective: list = []
    # The piket pattern: at most one office day in any `every` consecutive working days.
    if every > 1:
        for si, p in enumerate(staff):
            for di in range(len(wdays) - every + 1):
                window = [x[si, dj] for dj in range(di, di + every) if (si, dj) in x]
                fixed_window = [(p.id, wdays[dj]) in problem.fixed for dj in range(di, di + every)]
                if len(window) > 1 and not all(fixed_window):
                    model.add(sum(window) <= 1)

    slacks: list[tuple[Shortage, cp_model.IntVar]] = []
    for di, d in enumerate(wdays):
        here = [si for si in range(len(staff)) if (si, di) in x]
        for skill, need in sorted(problem.min_per_skill.items()):
            if need <= 0:
                continue
            able = [x[si, di] for si in here if skill in staff[si].skills]
            short = model.new_int_var(0, need, f"short_{skill}_{di}")
            model.add(sum(able) + short >= need)
            objective.append(W_SHORT * short)
            slacks.append((Shortage(d, "skill", skill, 0), short))
        if problem.supervisor_per_unit:
            for unit in sorted({p.unit for p in staff}):
                sups = [x[si, di] for si in here if staff[si].unit == unit and staff[si].supervisor]
                short = model.new_bool_var(f"nosup_{unit}_{di}")
                model.add(sum(sups) + short >= 1)
                objective.append(W_SHORT * short)
                slacks.append((Shortage(d, "supervisor", unit, 0), short))
        if problem.max_in_office is not None:
            over = model.new_int_var(0, len(staff), f"over_{di}")
            model.add(sum(x[si, di] for si in here) - over <= problem.max_in_office)
            objective.append(W_OVER_CAP * over)
            slacks.append((Shortage(d, "cap", "", 0), over))

    shares = _fair_shares(problem, staff, wdays, x, every)
    objective += _fairness_terms(model, staff, wdays, x, every, shares)
    objective += _wish_terms(model, problem, staff, wdays, x, every)
    if not problem.previous:
        _greedy_hint(model, problem, staff, wdays, x, every, shares)
    model.minimize(sum(objective))

    solver = cp_model.CpSolver()
    solver.parameters.num_workers = workers
    solver.parameters.max_time_in_seconds = max(0.1, time_limit - (time.monotonic() - started))
    solver.parameters.relative_gap_limit = 0.0
    callback = _Progress(progress) if progress is not None else None
    code = solver.solve(model, callback)
    status = solver.status_name(code)
    seconds = time.monotonic() - started
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Solution(status, seconds, None, None, {}, [])

    assignments: dict[tuple[str, dt.date], str] = {}
    for si, p in enumerate(staff):
        di = 0
        for d in sorted(problem.days):
            if d not in problem.working:
                assignments[p.id, d] = OFF
                continue
            if (p.id, d) in problem.leave:
                assignments[p.id, d] = LEAVE
            else:
                assignments[p.id, d] = OFFICE if solver.value(x[si, di]) else WFH
            di += 1
    shortages = [
        Shortage(s.date, s.kind, s.key, int(solver.value(var)))
        for s, var in slacks
        if solver.value(var) > 0
    ]
    return Solution(
        status, seconds, solver.objective_value, solver.best_objective_bound, assignments, shortages
    )


def _fair_shares(problem, staff, wdays, x, every) -> tuple[float, list[int], float]:
    """(share of the possible office days each person gets, their possible days, places/day)."""
    n = len(staff)
    avail = [[(si, di) in x for di in range(len(wdays))] for si in range(n)]
    most = [max_office_days(avail[si], every) for si in range(n)]
    places = 0
    for di in range(len(wdays)):
        present = sum(avail[si][di] for si in range(n))
        cap = problem.max_in_office if problem.max_in_office is not None else present
        places += min(cap, present)
    share = min(1.0, places / max(1, sum(most)))
    return share, most, places / max(1, len(wdays))


def _fairness_terms(model, staff, wdays, x, every, shares) -> list:
    """Office days near each person's fair share of the places; Mondays/Fridays shared."""
    share, most, _ = shares
    n = len(staff)
    monfri = [di for di, d in enumerate(wdays) if d.weekday() in (0, 4)]
    terms = []
    for si in range(n):
        cells = [x[si, di] for di in range(len(wdays)) if (si, di) in x]
        if not cells:
            continue
        lo, hi = math.floor(share * most[si]), math.ceil(share * most[si])
        total = sum(cells)
        under = model.new_int_var(0, len(cells), f"under{si}")
        over = model.new_int_var(0, len(cells), f"over{si}")
        model.add(total + under >= lo)
        model.add(total - over <= hi)
        terms += [W_FAIR * under, W_FAIR * over]
        mf_cells = [x[si, di] for di in monfri if (si, di) in x]
        if mf_cells:
            mf_hi = math.ceil(share * math.ceil(len(mf_cells) / every))
            mf_over = model.new_int_var(0, len(mf_cells), f"mfover{si}")
            model.add(sum(mf_cells) - mf_over <= mf_hi)
            terms.append(W_MONFRI * mf_over)
    return terms


def _wish_terms(model, problem, staff, wdays, x, every) -> list:
    """Preferences, the cycle group, and few changes vs the previous draft (with hints)."""
    terms = []
    for si, p in enumerate(staff):
        for di, d in enumerate(wdays):
            var = x.get((si, di))
            if var is None or (p.id, d) in problem.fixed:
                continue
            wish = problem.prefer.get((p.id, d))
            if wish is not None:
                terms.append(W_PREF * (1 - var) if wish else W_PREF * var)
            if p.group is not None and every > 1 and di % every != p.group % every:
                terms.append(W_GROUP * var)
            before = problem.previous.get((p.id, d))
            if before is not None:
                model.add_hint(var, int(before))
                terms.append(W_CHANGE * (1 - var) if before else W_CHANGE * var)
    return terms


def _greedy_hint(model, problem, staff, wdays, x, every, shares) -> None:
    """A quick day-by-day roster as the solver's starting point: supervisors and skills first,
    then the people furthest below their fair share, up to the day's share of the places."""
    share, most, per_day = shares
    n = len(staff)
    count, last = [0] * n, [-every] * n
    target = [math.ceil(share * most[si]) for si in range(n)]
    units = sorted({p.unit for p in staff})
    for di, d in enumerate(wdays):
        free = [
            si
            for si in range(n)
            if (si, di) in x and (staff[si].id, d) not in problem.fixed and di - last[si] >= every
        ]
        chosen = {si for si in range(n) if problem.fixed.get((staff[si].id, d))}
        free.sort(key=lambda si: (count[si] - target[si], si))

        def take(pred, need, order, chosen=chosen) -> None:
            have = sum(1 for si in chosen if pred(si))
            for si in order:
                if have >= need:
                    return
                if si not in chosen and pred(si):
                    chosen.add(si)
                    have += 1

        if problem.supervisor_per_unit:
            for unit in units:
                take(lambda si, u=unit: staff[si].supervisor and staff[si].unit == u, 1, free)
        # Supervisors last for the rest: they are kept fresh for the unit's next days.
        others_first = sorted(free, key=lambda si: staff[si].supervisor)
        for skill, need in problem.min_per_skill.items():
            take(lambda si, k=skill: k in staff[si].skills, need, others_first)
        cap = problem.max_in_office if problem.max_in_office is not None else n
        room = min(cap, math.ceil(per_day)) - len(chosen)
        for si in others_first:
            if room <= 0:
                break
            if si not in chosen and count[si] < target[si]:
                chosen.add(si)
                room -= 1
        for si in free:
            model.add_hint(x[si, di], int(si in chosen))
        for si in chosen:
            count[si] += 1
            last[si] = di


def explain(shortages: list[Shortage], labels: dict[str, str] | None = None) -> list[str]:
    """Indonesian sentences, one per shortage: which day, which skill or unit, how many."""
    labels = labels or {}
    lines = []
    for s in shortages:
        day = f"{_HARI[s.date.weekday()]} {s.date:%d-%m-%Y}"
        if s.kind == "skill":
            lines.append(f"{day}: kurang {s.short} petugas {labels.get(s.key, s.key)}")
        elif s.kind == "supervisor":
            lines.append(f"{day}: tidak ada penanggung jawab (supervisor) bidang {s.key}")
        else:
            lines.append(f"{day}: {s.short} orang melebihi batas jumlah di kantor")
    return lines


_HARI = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
