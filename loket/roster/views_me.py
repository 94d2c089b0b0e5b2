"""Staff pages for each employee: my schedule, attendance, swaps; and the supervisor's views."""

import datetime as dt

from django.contrib import messages
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from loket.roster import attendance as attendance_service
from loket.roster import swaps as swap_service
from loket.roster.forms import ReportForm, SwapForm
from loket.roster.models import (
    Assignment,
    Attendance,
    Employee,
    RosterDay,
    RosterPeriod,
    SwapRequest,
)
from loket.roster.planning import RosterError
from loket.staff.access import staff_required
from loket.staff.models import Role

SHOWN = [RosterDay.State.PUBLISHED, RosterDay.State.LOCKED]


def _me(request: HttpRequest) -> Employee | None:
    return Employee.objects.filter(staff_member=request.staff, office=request.office).first()


@staff_required()
def mine(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    if me is None:
        return render(request, "roster/mine.html", {"me": None})
    form = SwapForm(me, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        period = RosterPeriod.objects.filter(
            office=request.office, start__lte=data["give_date"], end__gte=data["give_date"]
        ).first()
        try:
            if period is None:
                raise RosterError("Tidak ada jadwal piket pada tanggal itu.")
            swap_service.request_swap(
                period, me, data["partner"], data["give_date"], data["take_date"],
                data["reason"], actor=request.user,
            )  # fmt: skip
        except RosterError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Permintaan tukar jadwal dikirim ke supervisor.")
            return redirect("roster:mine")
    today = timezone.localdate()
    published = RosterDay.objects.filter(
        period=OuterRef("period"), date=OuterRef("date"), state__in=SHOWN
    )
    days = (
        Assignment.objects.filter(employee=me, date__gte=today - dt.timedelta(days=7))
        .filter(Exists(published))
        .order_by("date")[:62]
    )
    context = {
        "me": me,
        "days": days,
        "today": today,
        "today_mode": attendance_service.mode_on(me, today),
        "record": Attendance.objects.filter(employee=me, date=today).first(),
        "report_form": ReportForm(),
        "swap_form": form,
        "my_swaps": SwapRequest.objects.filter(requester=me).select_related("partner")[:10],
    }
    return render(request, "roster/mine.html", context, status=400 if form.errors else 200)


@require_POST
@staff_required()
def attend(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    if me is None:
        messages.error(request, "Akun Anda belum terhubung dengan data pegawai.")
        return redirect("roster:mine")
    action = request.POST.get("action")
    try:
        if action == "in":
            attendance_service.check_in(me)
            messages.success(request, "Absen datang tercatat.")
        elif action == "out":
            attendance_service.check_out(me)
            messages.success(request, "Absen pulang tercatat.")
        elif action == "report":
            attendance_service.report_wfh(me, request.POST.get("text", ""))
            messages.success(request, "Laporan kerja dari rumah tersimpan.")
        else:
            messages.error(request, "Tindakan tidak dikenal.")
    except RosterError as exc:
        messages.error(request, str(exc))
    return redirect("roster:mine")


def _is_admin(request: HttpRequest) -> bool:
    return request.staff.has_role(Role.ADMIN)


@staff_required()
def swaps(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    pending = SwapRequest.objects.filter(
        period__office=request.office, status=SwapRequest.Status.PENDING
    ).select_related("requester", "partner")
    decidable = [s for s in pending if swap_service.can_decide(s, me, _is_admin(request))]
    recent = (
        SwapRequest.objects.filter(period__office=request.office)
        .exclude(status=SwapRequest.Status.PENDING)
        .select_related("requester", "partner")[:20]
    )
    return render(request, "roster/swaps.html", {"pending": decidable, "recent": recent})


@require_POST
@staff_required()
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    swap = get_object_or_404(SwapRequest, pk=pk, period__office=request.office)
    me = _me(request)
    if not swap_service.can_decide(swap, me, _is_admin(request)):
        return HttpResponse("Hanya supervisor bidang ini yang memutuskan.", status=403)
    try:
        if request.POST.get("decision") == "approve":
            broken = swap_service.approve(swap, by=me, actor=request.user)
            if broken:
                messages.error(request, "Ditolak otomatis, melanggar aturan: " + "; ".join(broken))
            else:
                messages.success(request, "Tukar jadwal disetujui.")
        else:
            swap_service.reject(swap, by=me, note=request.POST.get("note", ""), actor=request.user)
            messages.success(request, "Permintaan ditolak.")
    except RosterError as exc:
        messages.error(request, str(exc))
    return redirect("roster:swaps")


@staff_required()
def attendance(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    everyone = request.staff.has_role(Role.ADMIN, Role.KEPALA)
    if not everyone and not (me and me.is_supervisor):
        return HttpResponse("Halaman ini untuk supervisor.", status=403)
    try:
        day = dt.date.fromisoformat(request.GET.get("tanggal", ""))
    except ValueError:
        day = timezone.localdate()
    people = Employee.objects.filter(office=request.office, active=True)
    if not everyone:
        people = people.filter(unit=me.unit)
    missing = attendance_service.missing(list(people), day)
    return render(request, "roster/attendance.html", {"day": day, "missing": missing})
