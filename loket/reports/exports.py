"""Exports: any report table to XLSX (openpyxl), and the verified applications of a day in the
order SIAK's data-entry screens ask for them (XLSX and CSV), for the operators who type them in.
"""

import csv
import datetime as dt
import io
import re

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from loket.applications.models import Application, ApplicationEvent, State
from loket.catalog.models import Office
from loket.core.identity import village
from loket.reports.periods import Period, office_tz
from loket.reports.tables import Table

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")  # openpyxl refuses these


def _cell(value):
    if isinstance(value, str):
        return ILLEGAL.sub("", value)
    return value


def _append(sheet, row: list) -> None:
    """Appends a row; a typed text starting with "=" stays text, never a formula."""
    sheet.append([_cell(v) for v in row])
    for cell in sheet[sheet.max_row]:
        if cell.data_type == "f":
            cell.data_type = "s"


def _sheet_title(title: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]\*\?/\\:]", " ", title)[:28].strip() or "data"
    name, n = base, 2
    while name.lower() in used:
        name, n = f"{base[:25]} {n}", n + 1
    used.add(name.lower())
    return name


def tables_xlsx(tables: list[Table], heading: list[str]) -> bytes:
    """One sheet per table; the first rows say which office, period and baseline."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    for table in tables:
        sheet = workbook.create_sheet(_sheet_title(table.title, used))
        for line in heading:
            sheet.append([line])
        sheet.append([table.title])
        sheet.append([])
        sheet.append(table.columns)
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
        for row in table.rows:
            _append(sheet, row)
        if table.note:
            sheet.append([table.note])
        sheet.column_dimensions["A"].width = 40
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- SIAK ----------------------------------------------------------------------------------
# The order of SIAK's data-entry forms (biodata first, as on formulir F-1.01/F-2.01, then the
# service's own details), so an operator types from left to right without searching.
SIAK_COLUMNS = [
    "No",
    "Nomor tiket",
    "Jenis layanan",
    "NIK",
    "Nomor KK",
    "Nama lengkap",
    "Tempat lahir",
    "Tanggal lahir",
    "Alamat",
    "Kode kelurahan/desa",
    "Kelurahan/desa",
    "Kecamatan",
    "Rincian layanan",
    "Tanggal kirim",
    "Tanggal verifikasi",
    "Verifikator",
]


def verified_on(office: Office, day: dt.date):
    """Applications verified on `day` (local), in the order they were verified."""
    start, end = Period(day, day).bounds(office_tz(office))
    events = ApplicationEvent.objects.filter(
        application__office=office, state=State.VERIFIED, at__gte=start, at__lt=end
    ).select_related("application__service", "actor")
    first: dict[int, ApplicationEvent] = {}
    for event in events.order_by("at", "id"):
        first.setdefault(event.application_id, event)
    return list(first.values())


def _details(application: Application) -> str:
    from loket.applications.specs import spec_for

    labels = {f"x_{e.name}": e.label for e in spec_for(application.service).extras}
    parts = [
        f"{labels[key]}: {value}"
        for key, value in application.data.items()
        if key in labels and value not in ("", None)
    ]
    return "; ".join(parts)


def siak_rows(office: Office, day: dt.date) -> list[list]:
    rows = []
    for number, event in enumerate(verified_on(office, day), start=1):
        a: Application = event.application
        data = a.data or {}
        place = village(office.region_code, data.get("kelurahan", "")) or (None, None)
        kecamatan, kelurahan = place
        submitted = timezone.localtime(a.submitted_at) if a.submitted_at else None
        rows.append(
            [
                number,
                a.ticket or "",
                a.service.name,
                a.nik,
                a.kk,
                a.name or data.get("name", ""),
                data.get("birth_place", ""),
                data.get("birth_date", ""),
                data.get("address", ""),
                data.get("kelurahan", ""),
                kelurahan.name if kelurahan else "",
                kecamatan.name if kecamatan else "",
                _details(a),
                f"{submitted:%Y-%m-%d %H:%M}" if submitted else "",
                f"{timezone.localtime(event.at):%Y-%m-%d %H:%M}",
                (event.actor.get_full_name() or event.actor.username) if event.actor else "",
            ]
        )
    return rows


def siak_xlsx(rows: list[list], title: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "SIAK"
    sheet.append([title])
    sheet.append(SIAK_COLUMNS)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows:
        # NIK and KK as text: a spreadsheet must not turn 16 digits into 6.47105E+15
        _append(sheet, row)
        for column in (4, 5):
            sheet.cell(row=sheet.max_row, column=column).number_format = "@"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def siak_csv(rows: list[list]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")  # Indonesian Excel reads ; by default
    writer.writerow(SIAK_COLUMNS)
    for row in rows:
        writer.writerow([_formula_safe(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # BOM: Excel opens it as UTF-8


def _formula_safe(value):
    """A cell a citizen typed must not run as a spreadsheet formula (CSV injection)."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
