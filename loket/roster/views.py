"""Staff pages of the piket: the office's month calendar, periods, print, XLSX, the directory."""

import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from loket.core.audit import log_action
from loket.core.files import made_file_response
from loket.roster import directory, grid, planning, skills
from loket.roster.forms import AbsenceForm, ImportForm, PeriodForm
from loket.roster.models import Employee, RosterPeriod
from loket.staff.access import staff_required
from loket.staff.models import Role

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _period(request: HttpRequest, pk: int) -> RosterPeriod:
    return get_object_or_404(RosterPeriod, pk=pk, office=request.office)


def _calendar_url(period: RosterPeriod) -> str:
    return f"{reverse('roster:calendar')}?periode={period.pk}"


@staff_required()
def calendar(request: HttpRequest) -> HttpResponse:
    periods = RosterPeriod.objects.filter(office=request.office)
    chosen = request.GET.get("periode", "")
    today = timezone.localdate()
    period = (
        periods.filter(pk=int(chosen)).first()
        if chosen.isdigit()
        else periods.filter(start__lte=today, end__gte=today).first() or periods.first()
    )
    can_manage = request.staff.has_role(Role.ADMIN)
    context = {
        "periods": periods,
        "period": period,
        "weeks": grid.weeks(period) if period else [],
        "explanation": planning.explain_from_period(period) if period else [],
        "result": planning.result_words(period) if period else "",
        "skill_labels": skills.LABELS,
        "can_manage": can_manage,
        "form": PeriodForm(office=request.office) if can_manage else None,
        "absence_form": AbsenceForm(office=request.office) if can_manage else None,
        "weekdays": grid.HARI,
    }
    return render(request, "roster/calendar.html", context)


@require_POST
@staff_required(Role.ADMIN)
def create_period(request: HttpRequest) -> HttpResponse:
    form = PeriodForm(request.POST, office=request.office)
    if not form.is_valid():
        periods = RosterPeriod.objects.filter(office=request.office)
        return render(
            request,
            "roster/calendar.html",
            {"periods": periods, "form": form, "can_manage": True, "weekdays": grid.HARI},
            status=400,
        )
    form.instance.office = request.office
    period = form.save()
    messages.success(request, f"Periode {period.name} dibuat. Susun jadwalnya.")
    return redirect(_calendar_url(period))


@require_POST
@staff_required(Role.ADMIN)
def solve(request: HttpRequest, pk: int) -> HttpResponse:
    period = _period(request, pk)
    try:
        solution = planning.solve_period(period, actor=request.user)
    except planning.RosterError as exc:
        messages.error(request, str(exc))
        return redirect(_calendar_url(period))
    if solution.feasible:
        messages.success(
            request, f"Jadwal tersusun ({solution.seconds:.1f} detik), semua aturan terpenuhi."
        )
    else:
        messages.warning(
            request,
            "Aturan tidak bisa dipenuhi semuanya: "
            + "; ".join(planning.explain_from_period(period))
            + ". Longgarkan aturan lalu susun ulang.",
        )
    return redirect(_calendar_url(period))


@require_POST
@staff_required(Role.ADMIN)
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    period = _period(request, pk)
    through = _date(request.POST.get("through", ""))
    try:
        sent = planning.publish(period, actor=request.user, through=through)
    except planning.RosterError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Jadwal diumumkan; {sent} pesan WhatsApp dikirim ke pegawai.")
    return redirect(_calendar_url(period))


@require_POST
@staff_required(Role.ADMIN)
def add_absence(request: HttpRequest) -> HttpResponse:
    form = AbsenceForm(request.POST, office=request.office)
    if form.is_valid():
        absence = form.save()
        log_action("roster.absence_added", absence, request=request)
        messages.success(
            request,
            f"{absence.get_kind_display()} {absence.employee.name} dicatat. "
            "Susun ulang jadwal agar berlaku (hari yang sudah diumumkan tidak bergeser).",
        )
    else:
        messages.error(
            request,
            "Cuti tidak dicatat: "
            + "; ".join(str(e) for errors in form.errors.values() for e in errors),
        )
    back = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()})
    return redirect(back if back and safe else "roster:calendar")


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


@staff_required()
def print_view(request: HttpRequest, pk: int) -> HttpResponse:
    period = _period(request, pk)
    dates, rows = grid.matrix(period)
    context = {"period": period, "dates": dates, "rows": rows, "legend": grid.LEGEND}
    return render(request, "roster/print.html", context)


@staff_required()
def export(request: HttpRequest, pk: int) -> HttpResponse:
    period = _period(request, pk)
    name = f"piket-{period.start:%Y-%m-%d}.xlsx"
    response = made_file_response(grid.export_xlsx(period), name, XLSX, download=True)
    return response


@staff_required()
def employees(request: HttpRequest) -> HttpResponse:
    people = Employee.objects.filter(office=request.office, active=True)
    form, errors = ImportForm(), []
    if request.method == "POST":
        if not request.staff.has_role(Role.ADMIN):
            return HttpResponse("Hanya admin yang boleh mengimpor pegawai.", status=403)
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            result = directory.import_xlsx(request.office, form.cleaned_data["file"].read())
            errors = result.errors
            if not errors:
                messages.success(
                    request, f"{result.created} pegawai baru, {result.updated} diperbarui."
                )
                return redirect("roster:employees")
    context = {
        "people": people,
        "form": form,
        "errors": errors,
        "can_manage": request.staff.has_role(Role.ADMIN),
    }
    return render(request, "roster/employees.html", context, status=400 if errors else 200)


@staff_required()
def import_template(request: HttpRequest) -> HttpResponse:
    response = made_file_response(
        directory.template_xlsx(), "templat-pegawai.xlsx", XLSX, download=True
    )
    return response
