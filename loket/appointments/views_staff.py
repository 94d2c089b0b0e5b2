"""Counter staff: check-in, walk-ins, calling tickets; the head of office's numbers of the day."""

import datetime as dt

from django.contrib import messages
from django.db.models import Count, Q, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from loket.appointments import capacity, queue
from loket.appointments.booking import BookingError
from loket.appointments.models import Booking, CounterConfig, Slot, Ticket
from loket.catalog.models import Service
from loket.core.audit import log_action
from loket.staff.access import WRITE_ROLES, staff_required
from loket.staff.models import Role


def _services(office):
    return Service.objects.filter(
        pk__in=CounterConfig.objects.filter(office=office).values("service")
    )


def _priority(request: HttpRequest) -> str:
    priority = request.POST.get("priority", "")
    return priority if priority in Ticket.Priority.values else ""


@staff_required()
def queue_page(request: HttpRequest) -> HttpResponse:
    office, today = request.office, timezone.localdate()
    counter = request.GET.get("loket") or request.session.get("appt_counter", "1")
    tickets = (
        Ticket.objects.filter(office=office, day=today, status__in=Ticket.INSIDE)
        .select_related("service", "booking")
        .order_by("rank", "number")
    )
    bookings = (
        Booking.objects.filter(office=office, day=today)
        .select_related("service", "slot")
        .order_by("slot__starts_at", "created_at")
    )
    log_action("booking.list_viewed", office, request=request, day=str(today))
    return render(
        request,
        "appointments/staff/queue.html",
        {
            "tickets": tickets,
            "bookings": bookings,
            "services": capacity.counter_services(office),
            "counter": counter,
            "inside": queue.inside_count(office),
            "limit": queue.room(office).people_at_once,
            "priorities": Ticket.Priority.choices[1:],
            "can_write": request.staff.has_role(*WRITE_ROLES),
        },
    )


@require_POST
@staff_required(*WRITE_ROLES)
def check_in(request: HttpRequest) -> HttpResponse:
    booking = queue.find_booking(request.office, request.POST.get("code", ""))
    if booking is None:
        messages.error(request, "Kode janji tidak ditemukan.")
        return redirect("appointments:staff-queue")
    try:
        ticket = booking.check_in(_priority(request), actor=request.user, request=request)
    except BookingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Nomor antrean {ticket.label} untuk {booking.name}.")
    return redirect("appointments:staff-queue")


@require_POST
@staff_required(*WRITE_ROLES)
def walk_in(request: HttpRequest) -> HttpResponse:
    service = _services(request.office).filter(code=request.POST.get("service", "")).first()
    if service is None:
        messages.error(request, "Pilih layanan.")
        return redirect("appointments:staff-queue")
    try:
        ticket = queue.walk_in(
            request.office, service, priority=_priority(request), request=request
        )
    except queue.NoRoomToday:
        return redirect("appointments:full", request.office.slug, service.code)
    except BookingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Nomor antrean {ticket.label} ({service.short_name}).")
    return redirect("appointments:staff-queue")


@require_POST
@staff_required(*WRITE_ROLES)
def call_next(request: HttpRequest) -> HttpResponse:
    counter = (request.POST.get("counter") or "1").strip()[:10]
    request.session["appt_counter"] = counter
    codes = request.POST.getlist("service")
    services = _services(request.office).filter(code__in=codes) if codes else None
    ticket = queue.call_next(request.office, counter, services, actor=request.user)
    if ticket is None:
        messages.info(request, "Tidak ada antrean menunggu.")
    else:
        messages.success(request, f"{ticket.label} dipanggil ke loket {counter}.")
    return redirect(f"{reverse('appointments:staff-queue')}?loket={counter}")


@require_POST
@staff_required(*WRITE_ROLES)
def ticket_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    ticket = get_object_or_404(Ticket, pk=pk, office=request.office)
    if action == "serve":
        done = ticket.serve(actor=request.user)
    elif action == "no-show":
        done = ticket.no_show(actor=request.user)
    else:
        done = ticket.call(request.POST.get("counter", "1"), actor=request.user)  # recall
    if not done:
        messages.error(request, f"{ticket.label} sudah {ticket.get_status_display()}.")
    return redirect("appointments:staff-queue")


@staff_required(Role.KEPALA)
def summary(request: HttpRequest) -> HttpResponse:
    office, today = request.office, timezone.localdate()
    slots = (
        Slot.objects.filter(office=office, day=today)
        .values("service__name")
        .annotate(capacity=Sum("capacity"), booked=Sum("booked"))
        .order_by("service__name")
    )
    bookings = Booking.objects.filter(office=office, day=today).aggregate(
        total=Count("pk"),
        **{s.value: Count("pk", filter=Q(status=s.value)) for s in Booking.Status},
    )
    tickets = Ticket.objects.filter(office=office, day=today).aggregate(
        total=Count("pk"),
        walk_in=Count("pk", filter=Q(booking__isnull=True)),
        priority=Count("pk", filter=~Q(priority="")),
        **{s.value: Count("pk", filter=Q(status=s.value)) for s in Ticket.Status},
    )
    return render(
        request,
        "appointments/staff/summary.html",
        {
            "today": today,
            "slots": slots,
            "bookings": bookings,
            "tickets": tickets,
            "inside": queue.inside_count(office),
            "limit": queue.room(office).people_at_once,
        },
    )


def _day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return timezone.localdate()


@staff_required(Role.ADMIN)
def slots_page(request: HttpRequest) -> HttpResponse:
    day = _day(request.GET.get("hari", ""))
    slots = list(
        Slot.objects.filter(office=request.office, day=day)
        .select_related("service")
        .order_by("service__position", "starts_at")
    )
    return render(
        request,
        "appointments/staff/slots.html",
        {"day": day, "slots": slots, "booked_total": sum(s.booked for s in slots)},
    )


@require_POST
@staff_required(Role.ADMIN)
def cut_slot(request: HttpRequest, pk: int) -> HttpResponse:
    slot = get_object_or_404(Slot, pk=pk, office=request.office)
    reason = request.POST.get("reason", "").strip() or "Kapasitas loket dikurangi"
    try:
        new_capacity = max(int(request.POST.get("capacity", "")), 0)
    except ValueError:
        messages.error(request, "Kapasitas harus angka.")
    else:
        cancelled = capacity.cut_capacity(slot, new_capacity, reason, actor=request.user)
        messages.success(request, f"Kapasitas diubah; {len(cancelled)} janji dibatalkan.")
    return redirect(f"{reverse('appointments:staff-slots')}?hari={slot.day:%Y-%m-%d}")


@require_POST
@staff_required(Role.ADMIN)
def close_day(request: HttpRequest) -> HttpResponse:
    try:
        day = dt.date.fromisoformat(request.POST.get("day", ""))
    except ValueError:
        messages.error(request, "Tanggal tidak dikenal: tidak ada yang ditutup.")
        return redirect("appointments:staff-slots")
    back = f"{reverse('appointments:staff-slots')}?hari={day:%Y-%m-%d}"
    if not request.POST.get("confirm"):
        messages.error(
            request, "Centang “Saya yakin” untuk menutup hari itu dan membatalkan semua janji."
        )
        return redirect(back)
    reason = request.POST.get("reason", "").strip() or "Kantor tutup"
    cancelled = capacity.close_day(request.office, day, reason, actor=request.user)
    messages.success(request, f"{day:%d-%m-%Y} ditutup; {len(cancelled)} janji dibatalkan.")
    return redirect(back)
