"""The daily rekap as a PDF in the form an office files: letterhead, numbered tables, signature.

Made with reportlab (text, not an image: it can be searched, copied and read by a screen
reader); the figures are the dashboard's, for one day.
"""

import datetime as dt
import io
from collections import Counter
from xml.sax.saxutils import escape

from django.db.models import Count
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from loket.applications.models import Application, ApplicationEvent, State
from loket.catalog.models import Office
from loket.reports import dashboard, demand
from loket.reports.periods import Period, default_baseline, office_tz

DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


def long_date(day: dt.date) -> str:
    return f"{DAYS[day.weekday()]}, {day.day} {MONTHS[day.month - 1]} {day.year}"


def _fmt(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    return str(value)


def service_rows(office: Office, day: dt.date) -> list[list]:
    period = Period(day, day)
    counts = demand.by_service(office, period)
    start, end = period.bounds(office_tz(office))
    finished = Counter(
        dict(
            Application.objects.filter(
                office=office,
                finished_at__gte=start,
                finished_at__lt=end,
                state__in=(State.FINISHED, State.READY_FOR_PICKUP),
            )
            .values_list("service__name")
            .annotate(n=Count("id"))
            .order_by()
        )
    )
    rejected = Counter(
        dict(
            ApplicationEvent.objects.filter(
                application__office=office, state=State.REJECTED, at__gte=start, at__lt=end
            )
            .values_list("application__service__name")
            .annotate(n=Count("id"))
            .order_by()
        )
    )
    table = demand.service_table(office, counts, {c: Counter() for c in counts})
    names = [row[0] for row in table.rows]
    names += sorted((set(finished) | set(rejected)) - set(names))
    rows = []
    by_name = {row[0]: row for row in table.rows}
    for number, name in enumerate(names, start=1):
        row = by_name.get(name, [name, 0, 0, 0, 0])
        rows.append([number, name, *row[1:5], finished[name], rejected[name]])
    return rows


def build_pdf(office: Office, day: dt.date, prepared_by: str = "") -> bytes:
    period = Period(day, day)
    baseline, _ = default_baseline(office, period)
    sections = dashboard.build(office, period, baseline)
    styles = getSampleStyleSheet()
    small = styles["BodyText"]
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=1.5 * cm,
        bottomMargin=1.5 * cm,
        title=f"Rekap harian {office.name} {day:%Y-%m-%d}",
        author=office.name,
    )
    center = styles["Title"].clone("kop", fontSize=12, leading=15, spaceAfter=0)
    story = [
        Paragraph(escape(f"PEMERINTAH {office.city_name.upper()}"), center),
        Paragraph("DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL", center),
        Paragraph(
            escape(office.address or ""), styles["Normal"].clone("addr", alignment=1, fontSize=9)
        ),
        _rule(),
        Spacer(1, 8),
        Paragraph("REKAPITULASI PELAYANAN HARIAN", styles["Heading2"].clone("t", alignment=1)),
        Paragraph(f"Hari/tanggal: {long_date(day)}", styles["Normal"].clone("d", alignment=1)),
        Spacer(1, 10),
        Paragraph("I. Permohonan per jenis layanan", styles["Heading4"]),
        _table(
            [
                [
                    "No",
                    "Jenis layanan",
                    "Daring (WA)",
                    "Janji temu",
                    "Datang langsung",
                    "Jumlah",
                    "Selesai",
                    "Ditolak",
                ],
                *service_rows(office, day),
            ],
            widths=[1, 5.2, 1.8, 1.7, 1.9, 1.5, 1.5, 1.4],
        ),
    ]
    for number, section in enumerate(sections[1:], start=2):
        story += [
            Spacer(1, 8),
            Paragraph(f"{_roman(number)}. {section.title}", styles["Heading4"]),
            _table(
                [
                    ["Uraian", "Jumlah"],
                    *([label, _fmt(value)] for label, value in section.headline),
                ],
                widths=[12, 4],
            ),
        ]
    story += [
        Spacer(1, 24),
        _signature(office, day, prepared_by, small),
    ]
    doc.build(story)
    return out.getvalue()


def _roman(n: int) -> str:
    return ("I", "II", "III", "IV", "V", "VI", "VII", "VIII")[n - 1]


def _rule() -> Table:
    rule = Table([[""]], colWidths=[17 * cm], rowHeights=[4])
    rule.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 1.5, colors.black)]))
    return rule


def _table(rows: list[list], widths: list[float]) -> Table:
    styles = getSampleStyleSheet()
    cell = styles["BodyText"].clone("cell", fontSize=8, leading=10)
    data = [
        [Paragraph(escape(v), cell) if isinstance(v, str) else _fmt(v) for v in row] for row in rows
    ]
    table = Table(data, colWidths=[w * cm for w in widths], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6ece8")),
                ("FONTSIZE", (0, 0), (-1, -1), 8),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return table


def _signature(office: Office, day: dt.date, prepared_by: str, style) -> Table:
    city = office.city_name.replace("Kota ", "").replace("Kabupaten ", "")
    left = [
        Paragraph("Dibuat oleh,", style),
        Spacer(1, 40),
        Paragraph(escape(prepared_by) or "(.......................)", style),
    ]
    right = [
        Paragraph(escape(f"{city}, {day.day} {MONTHS[day.month - 1]} {day.year}"), style),
        Paragraph("Kepala Dinas Kependudukan dan Pencatatan Sipil", style),
        Spacer(1, 40),
        Paragraph("(.......................................)", style),
        Paragraph("NIP. ", style),
    ]
    return Table([[left, right]], colWidths=[8 * cm, 9 * cm])
