"""Citizens' pages: book from the personal link, manage a booking; the waiting-room screens."""

import json
from itertools import groupby

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from loket.appointments import booking as domain
from loket.appointments import qr, queue
from loket.appointments.links import manage_token
from loket.appointments.models import Booking, Ticket
from loket.appointments.slip import slip_pdf
from loket.catalog.models import Office, Service
from loket.catalog.policy import service_status
from loket.core.files import made_file_response
from loket.core.links import LinkError, read_token
from loket.core.views import link_error
from loket.whatsapp.models import Contact


def _booking_context(token: str) -> tuple[Contact, Service]:
    claims = read_token(token)
    if claims.extra.get("purpose") != "booking":
        raise LinkError("invalid")
    contact = Contact.objects.select_related("office").filter(pk=claims.contact_id).first()
    service = Service.objects.filter(code=claims.service_code).first()
    if contact is None or service is None:
        raise LinkError("invalid")
    return contact, service


def book_page(request: HttpRequest, token: str) -> HttpResponse:
    try:
        contact, service = _booking_context(token)
    except LinkError as error:
        return link_error(request, error.reason)
    return render(request, "appointments/book.html", _page_context(token, contact, service))


def _page_context(token: str, contact, service, **extra) -> dict:
    status = service_status(contact.office, service)
    slots = domain.open_slots(contact.office, service)
    return {
        "token": token,
        "contact": contact,
        "office": contact.office,
        "service": service,
        "status": status,
        "refusal": domain.booking_refusal(status),
        "days": [(day, list(group)) for day, group in groupby(slots, key=lambda s: s.day)],
        **extra,
    }


@require_POST
def book_submit(request: HttpRequest, token: str) -> HttpResponse:
    wants_json = request.content_type == "application/json"
    try:
        contact, service = _booking_context(token)
    except LinkError as error:
        if wants_json:
            return JsonResponse({"error": error.reason}, status=404)
        return link_error(request, error.reason)
    data = _payload(request) if wants_json else request.POST
    if data is None:
        return JsonResponse({"error": "invalid", "message": "JSON tidak valid."}, status=400)
    try:
        slot_id = int(data.get("slot") or 0)
        booking = domain.book(
            slot_id,
            nik=str(data.get("nik", "")),
            name=str(data.get("name", "")),
            purpose=str(data.get("purpose", "")),
            contact=contact,
            service=service,
            request=request,
        )
    except (ValueError, TypeError):
        error = domain.BookingError(gettext("Pilih sesi yang tersedia."))
    except domain.BookingError as exc:
        error = exc
    else:
        if wants_json:
            return JsonResponse({"code": booking.code, "slot": booking.slot_id}, status=201)
        return redirect("appointments:manage", manage_token(booking))
    if wants_json:
        status = 409 if isinstance(error, domain.SlotFull | domain.AlreadyBooked) else 400
        status = 429 if isinstance(error, domain.TooManyBookings) else status
        return JsonResponse({"error": error.code, "message": error.message}, status=status)
    context = _page_context(token, contact, service, error=error.message, form=request.POST)
    return render(request, "appointments/book.html", context, status=400)


def _payload(request: HttpRequest) -> dict | None:
    try:
        data = json.loads(request.body or b"{}")
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def _managed_booking(token: str) -> Booking:
    claims = read_token(token)
    if claims.extra.get("purpose") != "manage":
        raise LinkError("invalid")
    booking = (
        Booking.objects.select_related("office", "service", "slot", "contact")
        .filter(pk=claims.extra.get("b"))
        .first()
    )
    if booking is None:
        raise LinkError("invalid")
    return booking


def manage(request: HttpRequest, token: str) -> HttpResponse:
    try:
        booking = _managed_booking(token)
    except LinkError as error:
        return link_error(request, error.reason)
    error = None
    if request.method == "POST":
        try:
            if request.POST.get("action") == "cancel":
                domain.cancel(booking, request=request)
            elif request.POST.get("action") == "reschedule":
                new = domain.reschedule(booking, int(request.POST.get("slot") or 0), request)
                return redirect("appointments:manage", manage_token(new))
            return redirect("appointments:manage", token)
        except (ValueError, domain.BookingError) as exc:
            error = getattr(exc, "message", gettext("Pilih sesi yang tersedia."))
    slots = domain.open_slots(booking.office, booking.service) if booking.is_active else []
    return render(
        request,
        "appointments/manage.html",
        {
            "booking": booking,
            "token": token,
            "office": booking.office,
            "slots": [s for s in slots if s.pk != booking.slot_id],
            "error": error,
        },
    )


def booking_slip(request: HttpRequest, token: str) -> HttpResponse:
    try:
        booking = _managed_booking(token)
    except LinkError as error:
        return link_error(request, error.reason)
    response = made_file_response(slip_pdf(booking), f"janji-{booking.code}.pdf", "application/pdf")
    return response


def booking_qr(request: HttpRequest, token: str) -> HttpResponse:
    try:
        booking = _managed_booking(token)
    except LinkError as error:
        return link_error(request, error.reason)
    return qr.png_response(booking.code)


# --- The waiting room: a TV screen, the occupancy page, the "full" page at the door ---------


def display(request: HttpRequest, slug: str) -> HttpResponse:
    office = get_object_or_404(Office, slug=slug)
    return render(request, "appointments/display.html", {"office": office, **_calls(office)})


def display_feed(request: HttpRequest, slug: str) -> HttpResponse:
    office = get_object_or_404(Office, slug=slug)
    return render(request, "appointments/display_feed.html", {"office": office, **_calls(office)})


def _calls(office: Office) -> dict:
    today = timezone.localdate()
    called = list(
        Ticket.objects.filter(office=office, day=today, status=Ticket.Status.CALLED)
        .select_related("service")
        .order_by("-called_at")
    )
    per_counter: dict[str, Ticket] = {}
    for ticket in called:
        per_counter.setdefault(ticket.counter, ticket)
    return {
        "latest": called[0] if called else None,
        "counters": sorted(per_counter.items()),
        "waiting": Ticket.objects.filter(
            office=office, day=today, status=Ticket.Status.WAITING
        ).count(),
    }


def occupancy(request: HttpRequest, slug: str) -> HttpResponse:
    office = get_object_or_404(Office, slug=slug)
    partial = request.headers.get("HX-Request") == "true"
    template = "appointments/occupancy_feed.html" if partial else "appointments/occupancy.html"
    inside = queue.inside_count(office)
    limit = queue.room(office).people_at_once
    return render(
        request,
        template,
        {"office": office, "inside": inside, "limit": limit, "free": limit - inside},
    )


def full(request: HttpRequest, slug: str, service_code: str) -> HttpResponse:
    office = get_object_or_404(Office, slug=slug)
    service = get_object_or_404(Service, code=service_code)
    return render(
        request,
        "appointments/full.html",
        {
            "office": office,
            "service": service,
            "wa_link": queue.whatsapp_link(office),
            "next_slot": queue.next_free_slot(office, service),
        },
    )


def whatsapp_qr(request: HttpRequest, slug: str) -> HttpResponse:
    office = get_object_or_404(Office, slug=slug)
    return qr.png_response(queue.whatsapp_link(office))
