"""Daily attendance: check-in/out on office days, a short report on home (WFH) days."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from loket.core.audit import log_action
from loket.roster.models import Assignment, Attendance, Employee, RosterDay
from loket.roster.planning import RosterError

Mode = Assignment.Mode
REPORT_LIMIT = 2000


def mode_on(employee: Employee, day: dt.date) -> str | None:
    """The employee's published mode on `day` (None when no published roster covers it)."""
    a = (
        Assignment.objects.filter(
            employee=employee,
            date=day,
            period__roster_days__date=day,
            period__roster_days__state__in=[RosterDay.State.PUBLISHED, RosterDay.State.LOCKED],
        )
        .only("mode")
        .first()
    )
    return a.mode if a else None


def check_in(employee: Employee, at: dt.datetime | None = None) -> Attendance:
    at = at or timezone.now()
    day = timezone.localdate(at)
    if mode_on(employee, day) != Mode.OFFICE:
        raise RosterError("Hari ini bukan jadwal Anda di kantor.")
    row, _ = Attendance.objects.get_or_create(employee=employee, date=day)
    if row.check_in is None:
        row.check_in = at
        row.save(update_fields=["check_in"])
        log_action("roster.check_in", row)
    return row


def check_out(employee: Employee, at: dt.datetime | None = None) -> Attendance:
    at = at or timezone.now()
    row = Attendance.objects.filter(employee=employee, date=timezone.localdate(at)).first()
    if row is None or row.check_in is None:
        raise RosterError("Anda belum absen datang hari ini.")
    row.check_out = at
    row.save(update_fields=["check_out"])
    log_action("roster.check_out", row)
    return row


def report_wfh(employee: Employee, text: str, at: dt.datetime | None = None) -> Attendance:
    at = at or timezone.now()
    day = timezone.localdate(at)
    text = (text or "").strip()
    if mode_on(employee, day) != Mode.WFH:
        raise RosterError("Hari ini bukan jadwal Anda bekerja dari rumah.")
    if not text:
        raise RosterError("Tuliskan laporan singkat pekerjaan hari ini.")
    if len(text) > REPORT_LIMIT:
        raise RosterError(f"Laporan paling panjang {REPORT_LIMIT} karakter.")
    row, _ = Attendance.objects.get_or_create(employee=employee, date=day)
    row.wfh_report, row.reported_at = text, at
    row.save(update_fields=["wfh_report", "reported_at"])
    log_action("roster.wfh_report", row)
    return row


@dataclass
class Missing:
    employee: Employee
    mode: str
    what: str


def missing(employees: list[Employee], day: dt.date) -> list[Missing]:
    """Who has not checked in (office day) or not reported (home day) on `day`."""
    ids = [e.pk for e in employees]
    modes = dict(
        Assignment.objects.filter(
            employee_id__in=ids,
            date=day,
            period__roster_days__date=day,
            period__roster_days__state__in=[RosterDay.State.PUBLISHED, RosterDay.State.LOCKED],
        ).values_list("employee_id", "mode")
    )
    rows = {a.employee_id: a for a in Attendance.objects.filter(employee_id__in=ids, date=day)}
    out = []
    for e in employees:
        mode, row = modes.get(e.pk), rows.get(e.pk)
        if mode == Mode.OFFICE and (row is None or row.check_in is None):
            out.append(Missing(e, mode, "belum absen datang"))
        elif mode == Mode.WFH and (row is None or not row.wfh_report):
            out.append(Missing(e, mode, "belum mengirim laporan WFH"))
    return out
