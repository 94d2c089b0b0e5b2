"""An independent checker of roster documents (see loket/roster/instance.py for the format).

Plain Python over the JSON document: it shares no code with the solver's model, so a bug in the
model cannot hide itself. `check(doc)` returns the broken rules as sentences (empty: all good).
Shortages the solver declared (`doc["shortages"]`) are not excused: a roster that needed slack
breaks the rules and the checker says so.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

MODES = {"office", "wfh", "leave", "off"}


def check(doc: dict) -> list[str]:
    problems: list[str] = []
    staff = {s["id"]: s for s in doc["staff"]}
    days = [d["date"] for d in doc["days"]]
    working = [d["date"] for d in doc["days"] if d["working"]]
    working_set = set(working)
    leave = {(item["staff_id"], item["date"]) for item in doc.get("leave", [])}
    rules = doc["rules"]

    mode: dict[tuple[str, str], str] = {}
    seen = Counter((a["staff_id"], a["date"]) for a in doc["assignments"])
    for key, n in seen.items():
        if n > 1:
            problems.append(f"{key[0]} {key[1]}: {n} assignments")
    for a in doc["assignments"]:
        key = (a["staff_id"], a["date"])
        if a["staff_id"] not in staff or a["date"] not in days:
            problems.append(f"{key[0]} {key[1]}: unknown staff or day")
        if a["mode"] not in MODES:
            problems.append(f"{key[0]} {key[1]}: unknown mode {a['mode']!r}")
        mode[key] = a["mode"]

    for sid in staff:
        for day in days:
            m = mode.get((sid, day))
            if m is None:
                problems.append(f"{sid} {day}: no assignment")
            elif day not in working_set and m != "off":
                problems.append(f"{sid} {day}: {m} on a non-working day")
            elif day in working_set and (sid, day) in leave and m != "leave":
                problems.append(f"{sid} {day}: {m} while on leave")
            elif day in working_set and (sid, day) not in leave and m not in ("office", "wfh"):
                problems.append(f"{sid} {day}: {m} on a working day without leave")

    every = rules.get("office_every", 2 if rules.get("alternate_days") else 1)
    if every > 1:
        for sid in staff:
            office_idx = [i for i, day in enumerate(working) if mode.get((sid, day)) == "office"]
            for a, b in zip(office_idx, office_idx[1:], strict=False):
                if b - a < every:
                    problems.append(
                        f"{sid}: in the office on {working[a]} and {working[b]} "
                        f"({b - a} working day(s) apart, piket needs {every})"
                    )
        for sid in staff:
            for day in days:
                nxt = (dt.date.fromisoformat(day) + dt.timedelta(days=1)).isoformat()
                if mode.get((sid, day)) == "office" and mode.get((sid, nxt)) == "office":
                    problems.append(f"{sid}: in the office on consecutive days {day}, {nxt}")

    in_office: dict[str, list[str]] = defaultdict(list)
    for (sid, day), m in mode.items():
        if m == "office":
            in_office[day].append(sid)
    units = sorted({s["unit"] for s in staff.values()})
    for day in working:
        present = in_office[day]
        cap = rules.get("max_in_office")
        if cap is not None and len(present) > cap:
            problems.append(f"{day}: {len(present)} in the office, cap {cap}")
        for skill, need in rules.get("min_per_skill", {}).items():
            have = sum(skill in staff[sid]["skills"] for sid in present)
            if have < need:
                problems.append(f"{day}: {have} with skill {skill}, need {need}")
        if rules.get("supervisor_per_unit"):
            for unit in units:
                if not any(
                    staff[sid]["supervisor"] and staff[sid]["unit"] == unit for sid in present
                ):
                    problems.append(f"{day}: no supervisor of unit {unit} in the office")
    return problems
