"""Piket: staff in the office per day against the roster's rules, attendance, WFH reports."""

from collections import Counter

from django.db.models import Count

from loket.catalog.models import Office
from loket.reports.periods import Period
from loket.reports.tables import Section, Table, share
from loket.roster.models import Assignment, Attendance, RosterPeriod

MAX_ROWS = 31


def piket(office: Office, period: Period) -> tuple[Table, dict]:
    span = dict(date__gte=period.start, date__lte=period.end)
    planned = Counter()
    for row in (
        Assignment.objects.filter(period__office=office, **span)
        .values("date", "mode")
        .annotate(n=Count("id"))
        .order_by()
    ):
        planned[(row["date"], row["mode"])] += row["n"]
    limits = {}
    for roster in RosterPeriod.objects.filter(
        office=office, start__lte=period.end, end__gte=period.start
    ):
        for day in roster.dates():
            limits[day] = roster.max_in_office
    present = Counter(
        dict(
            Attendance.objects.filter(employee__office=office, check_in__isnull=False, **span)
            .values_list("date")
            .annotate(n=Count("id"))
            .order_by()
        )
    )
    reported = Counter(
        dict(
            Attendance.objects.filter(employee__office=office, **span)
            .exclude(wfh_report="")
            .values_list("date")
            .annotate(n=Count("id"))
            .order_by()
        )
    )
    rows, over = [], 0
    totals = Counter()
    for day in period.dates():
        office_n, wfh_n = (
            planned[(day, Assignment.Mode.OFFICE)],
            planned[(day, Assignment.Mode.WFH)],
        )
        if not office_n and not wfh_n:
            continue
        limit = limits.get(day)
        exceeded = limit is not None and office_n > limit
        over += exceeded
        totals.update(office=office_n, present=present[day], wfh=wfh_n, reported=reported[day])
        rows.append(
            [
                f"{day:%d/%m}",
                office_n,
                limit if limit is not None else "—",
                "melebihi" if exceeded else "sesuai",
                present[day],
                wfh_n,
                reported[day],
            ]
        )
    note = (
        f"{len(rows) - MAX_ROWS} hari sebelumnya tidak ditampilkan." if len(rows) > MAX_ROWS else ""
    )
    table = Table(
        "piket",
        "Piket per hari: di kantor terhadap aturan, kehadiran, laporan WFH",
        [
            "Tanggal",
            "Jadwal di kantor",
            "Maksimal (aturan)",
            "Aturan",
            "Hadir (absen masuk)",
            "Jadwal WFH",
            "Laporan WFH",
        ],
        rows[-MAX_ROWS:],
        chart="columns",
        series=(1, 4),
        note=note,
    )
    return table, {
        "over": over,
        "attendance": share(totals["present"], totals["office"]),
        "wfh_reports": share(totals["reported"], totals["wfh"]),
        "days": len(rows),
    }


def section(office: Office, period: Period, baseline: Period) -> Section:
    table, figures = piket(office, period)
    return Section(
        "piket",
        "Piket pegawai",
        headline=[
            ("Hari kerja berjadwal", figures["days"]),
            ("Hari melebihi batas di kantor", figures["over"]),
            ("Kehadiran di kantor (%)", figures["attendance"]),
            ("Laporan WFH masuk (%)", figures["wfh_reports"]),
        ],
        tables=[table],
    )
