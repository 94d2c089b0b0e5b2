"""The roster as people read it: a month grid (who is in, per unit and skill) and an XLSX."""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from dataclasses import dataclass, field

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from loket.roster import skills
from loket.roster.models import Assignment, RosterPeriod

SHORT = {"office": "K", "wfh": "R", "leave": "C", "off": "-"}
HARI = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
LEGEND = "K = di kantor, R = kerja dari rumah, C = cuti/sakit/dinas, - = libur"


@dataclass
class DayCell:
    date: dt.date
    working: bool = False
    state: str = ""
    by_unit: dict[str, list[str]] = field(default_factory=dict)
    by_skill: dict[str, int] = field(default_factory=dict)
    total: int = 0

    @property
    def skill_counts(self) -> list[tuple[str, int]]:
        """(skill name, people) in the directory's order: names, never codes like "cs"."""
        return [
            (label, self.by_skill[code]) for code, label in skills.CHOICES if code in self.by_skill
        ]


def day_cells(period: RosterPeriod) -> dict[dt.date, DayCell]:
    cells = {d: DayCell(d) for d in period.dates()}
    for day in period.roster_days.all():
        cells[day.date].working, cells[day.date].state = day.working, day.state
    units: dict[dt.date, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    office = Assignment.objects.filter(period=period, mode=Assignment.Mode.OFFICE)
    for a in office.select_related("employee").order_by("employee__unit", "employee__name"):
        cell = cells[a.date]
        units[a.date][a.employee.unit].append(a.employee.name)
        cell.total += 1
        for code in a.employee.skills:
            cell.by_skill[code] = cell.by_skill.get(code, 0) + 1
    for d, by_unit in units.items():
        cells[d].by_unit = dict(by_unit)
    return cells


def weeks(period: RosterPeriod) -> list[list[DayCell | None]]:
    """Monday-first weeks covering the period; days outside it are None."""
    cells = day_cells(period)
    first = period.start - dt.timedelta(days=period.start.weekday())
    out, day = [], first
    while day <= period.end:
        out.append([cells.get(day + dt.timedelta(days=i)) for i in range(7)])
        day += dt.timedelta(days=7)
    return out


def matrix(period: RosterPeriod) -> tuple[list[dt.date], list[tuple]]:
    """(dates, [(employee, [mode letter per date])]) for print and export."""
    dates = period.dates()
    rows: dict[int, dict] = {}
    people = {}
    for a in Assignment.objects.filter(period=period).select_related("employee"):
        people[a.employee_id] = a.employee
        rows.setdefault(a.employee_id, {})[a.date] = SHORT[a.mode]
    ordered = sorted(people.values(), key=lambda e: (e.unit, e.name))
    return dates, [(e, [rows[e.pk].get(d, "") for d in dates]) for e in ordered]


def export_xlsx(period: RosterPeriod) -> bytes:
    dates, rows = matrix(period)
    wb = Workbook()
    ws = wb.active
    ws.title = "jadwal"
    ws.append(["Nama", "NIP", "Bidang", *[f"{d:%d/%m}" for d in dates]])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    fill = PatternFill("solid", fgColor="C6E7D8")
    for employee, letters in rows:
        ws.append([employee.name, employee.nip, employee.unit, *letters])
        for cell in ws[ws.max_row][3:]:
            if cell.value == "K":
                cell.fill = fill
    ws.append([])
    ws.append([LEGEND])
    summary = wb.create_sheet("rekap")
    summary.append(["Tanggal", "Hari", "Di kantor", *[skills.LABELS[c] for c in skills.ALL]])
    cells = day_cells(period)
    for d in dates:
        c = cells[d]
        summary.append([d, HARI[d.weekday()], c.total, *[c.by_skill.get(s, 0) for s in skills.ALL]])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
