"""Staff pages of the reports: the dashboard, its exports, the daily rekap, SIAK data, province."""

import datetime as dt

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from loket.core.audit import log_action
from loket.core.files import made_file_response
from loket.reports import dashboard, exports, periods, rekap
from loket.staff.access import staff_required
from loket.staff.models import Role

READERS = (Role.KEPALA,)  # and admin, always
SIAK_READERS = (Role.OPERATOR, Role.VERIFIKATOR, Role.KEPALA)


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    return made_file_response(content, filename, content_type, download=True)


def _day(request: HttpRequest) -> tuple[dt.date, str]:
    today = periods.today_for(request.office)
    raw = request.GET.get("tanggal", "")
    if not raw:
        return today, ""
    try:
        return dt.date.fromisoformat(raw), ""
    except ValueError:
        return today, "Tanggal tidak valid: hari ini dipakai."


@staff_required(*READERS)
def dashboard_page(request: HttpRequest) -> HttpResponse:
    choice = periods.choose(request.office, request.GET)
    sections = dashboard.build(request.office, choice.period, choice.baseline)
    return render(
        request,
        "reports/dashboard.html",
        {
            "choice": choice,
            "sections": sections,
            "kinds": periods.KINDS,
            "today": periods.today_for(request.office),
        },
    )


@staff_required(*READERS)
def export_table(request: HttpRequest, key: str) -> HttpResponse:
    choice = periods.choose(request.office, request.GET)
    sections = dashboard.build(request.office, choice.period, choice.baseline)
    tables = dashboard.all_tables(sections)
    if key != "semua":
        tables = [t for t in tables if t.key == key]
        if not tables:
            raise Http404("Tabel tidak dikenal.")
    heading = [
        request.office.name,
        f"Periode: {choice.period.label}",
        f"Pembanding: {choice.baseline.label} ({choice.baseline_note})",
        f"Dibuat: {timezone.localtime():%d-%m-%Y %H:%M} oleh {request.staff.name}",
    ]
    name = f"laporan-{key}-{choice.period.start}-{choice.period.end}.xlsx"
    return _download(exports.tables_xlsx(tables, heading), exports.XLSX, name)


@staff_required(*READERS)
def rekap_pdf(request: HttpRequest) -> HttpResponse:
    day, _ = _day(request)
    pdf = rekap.build_pdf(request.office, day, prepared_by=request.staff.name)
    return _download(pdf, "application/pdf", f"rekap-harian-{day}.pdf")


@staff_required(*SIAK_READERS)
def siak_page(request: HttpRequest) -> HttpResponse:
    day, error = _day(request)
    count = len(exports.verified_on(request.office, day))
    return render(
        request,
        "reports/siak.html",
        {"day": day, "error": error, "count": count, "columns": exports.SIAK_COLUMNS},
    )


@staff_required(*SIAK_READERS)
def siak_export(request: HttpRequest, fmt: str) -> HttpResponse:
    day, _ = _day(request)
    rows = exports.siak_rows(request.office, day)
    # full NIK and KK leave the system here: every download is in the audit trail
    log_action(
        "reports.siak_export",
        request.office,
        request=request,
        day=str(day),
        format=fmt,
        applications=[r[1] for r in rows],
    )
    name = f"siak-{day}.{fmt}"
    if fmt == "csv":
        return _download(exports.siak_csv(rows), "text/csv; charset=utf-8", name)
    title = f"{request.office.name}: permohonan terverifikasi {day:%d-%m-%Y}"
    return _download(exports.siak_xlsx(rows, title), exports.XLSX, name)


@staff_required(Role.PROVINSI)
def province_page(request: HttpRequest) -> HttpResponse:
    offices = dashboard.province_offices(request.office)
    choice = periods.choose(request.office, request.GET)

    def choose(office):
        return periods.choose(office, request.GET)

    header, headline_rows, service_rows = dashboard.side_by_side(offices, choose)
    return render(
        request,
        "reports/province.html",
        {
            "choice": choice,
            "kinds": periods.KINDS,
            "offices": header,
            "headline_rows": headline_rows,
            "service_rows": service_rows,
        },
    )
