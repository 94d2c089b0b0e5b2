"""The solver on generated offices: every roster passes the independent checker."""

import datetime as dt

import pytest

from loket.roster import checker, instance, skills
from loket.roster.solver import LEAVE, OFF, OFFICE, solve


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_it_produces_rosters_that_keep_every_rule(seed):
    problem = instance.generate(40, 31, seed)
    solution = solve(problem, time_limit=10)

    assert solution.status == "OPTIMAL"
    assert solution.shortages == []
    doc = instance.to_document(problem, solution)
    assert checker.check(doc) == []
    assert len(doc["assignments"]) == 40 * 31


def test_it_counts_a_weekend_between_two_working_days_as_consecutive():
    problem = instance.generate(40, 31, 4)
    solution = solve(problem, time_limit=10)
    fridays = [d for d in problem.working_days() if d.weekday() == 4]
    for friday in fridays:
        monday = friday + dt.timedelta(days=3)
        if monday not in problem.working:
            continue
        for p in problem.staff:
            both = (solution.assignments[p.id, friday], solution.assignments[p.id, monday])
            assert both != (OFFICE, OFFICE)


def test_it_keeps_holidays_and_leave():
    problem = instance.generate(40, 31, 5)
    solution = solve(problem, time_limit=10)
    nyepi = dt.date(2020, 3, 25)
    assert nyepi not in problem.working
    assert {solution.assignments[p.id, nyepi] for p in problem.staff} == {OFF}
    for key in problem.leave:
        assert solution.assignments[key] == LEAVE


def test_it_explains_which_day_which_skill_and_how_many_are_short():
    problem = instance.generate(40, 31, 1, infeasible=True)
    bad_day = problem.working_days()[len(problem.working_days()) // 2]
    need = problem.min_per_skill[skills.PEREKAMAN]

    solution = solve(problem, time_limit=5)

    assert not solution.feasible
    assert [(s.date, s.kind, s.key, s.short) for s in solution.shortages] == [
        (bad_day, "skill", skills.PEREKAMAN, need)
    ]
    broken = checker.check(instance.to_document(problem, solution))
    assert broken == [f"{bad_day}: 0 with skill {skills.PEREKAMAN}, need {need}"]


def test_it_never_moves_fixed_days_and_changes_little_on_resolve():
    problem = instance.generate(40, 31, 2)
    first = solve(problem, time_limit=10)
    week = set(problem.working_days()[:5])
    problem.fixed = {
        (p.id, d): first.assignments[p.id, d] == OFFICE for p in problem.staff for d in week
    }
    problem.previous = {
        (p.id, d): first.assignments[p.id, d] == OFFICE
        for p in problem.staff
        for d in problem.working_days()
        if d not in week
    }
    someone = next(p for p in problem.staff if not p.supervisor)
    later = problem.working_days()[10]
    problem.leave.add((someone.id, later))

    second = solve(problem, time_limit=10)

    for p in problem.staff:
        for d in week:
            assert second.assignments[p.id, d] == first.assignments[p.id, d]
    changed = [k for k in first.assignments if first.assignments[k] != second.assignments[k]]
    assert (someone.id, later) in changed
    assert len(changed) <= 6
    assert checker.check(instance.to_document(problem, second)) == []


def test_the_checker_is_not_blind():
    problem = instance.generate(40, 31, 3)
    doc = instance.to_document(problem, solve(problem, time_limit=10))
    person = doc["staff"][0]["id"]
    working = [d["date"] for d in doc["days"] if d["working"]]
    for a in doc["assignments"]:
        if a["staff_id"] == person and a["date"] in working[:2]:
            a["mode"] = "office"
    doc["assignments"].append(dict(doc["assignments"][0]))

    broken = checker.check(doc)

    assert any("piket needs 2" in b for b in broken)
    assert any("2 assignments" in b for b in broken)
