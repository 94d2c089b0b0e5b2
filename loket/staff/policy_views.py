"""/staf/kebijakan/: the head of office changes the service policy, hours and closures.

Kepala and admin only. The rules live in loket.catalog.policy_editor; the preview is the bot's
own answer text (loket.bot.replies.service_text) for the draft.
"""

from django.apps import apps
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.views.decorators.http import require_POST

from loket.catalog import policy_editor as editor
from loket.catalog.models import Mode, PolicyChange, ServicePolicy
from loket.catalog.policy import all_statuses, policy_in_force, status_under
from loket.core.links import absolute
from loket.staff.access import staff_required
from loket.staff.models import Role
from loket.staff.policy_forms import ClosureForm, DraftForm, HoursForm

EDITORS = (Role.KEPALA, Role.ADMIN)


def _policy(request: HttpRequest, pk: int) -> ServicePolicy:
    return get_object_or_404(ServicePolicy, pk=pk, office=request.office)


@staff_required(*EDITORS)
def index(request: HttpRequest) -> HttpResponse:
    office = request.office
    now = timezone.now()
    return render(
        request,
        "staff/policy/index.html",
        {
            "in_force": policy_in_force(office),
            "statuses": all_statuses(office),
            "drafts": ServicePolicy.objects.filter(office=office, is_draft=True),
            "upcoming": ServicePolicy.objects.filter(
                office=office, is_draft=False, starts_at__gt=now
            ),
            "hours": list(office.hours.all()),
            "closures": office.closures.filter(date__gte=timezone.localdate())[:30],
            "closure_form": ClosureForm(),
            "history": PolicyChange.objects.filter(office=office).select_related("actor")[:50],
        },
    )


@require_POST
@staff_required(*EDITORS)
def new_draft(request: HttpRequest) -> HttpResponse:
    draft = editor.start_draft(request.office, request.user, request=request)
    return redirect("staff:policy-draft", pk=draft.pk)


def preview(policy: ServicePolicy) -> list[dict]:
    """What the bot would answer about each service with a rule in `policy`, in catalog order."""
    if not apps.is_installed("loket.bot"):
        return []
    from loket.bot.replies import service_text

    rules = policy.rules.select_related("service").order_by("service__position", "service__code")
    statuses = [status_under(policy, rule.service) for rule in rules]
    shown = []
    with translation.override("id"):
        for status in statuses:
            service = status.service
            booking = absolute("/janji/(tautan-pribadi)/") if status.in_person else None
            link = absolute("/l/(tautan-pribadi)/")
            shown.append(
                {
                    "service": service,
                    "mode": status.mode,
                    "mode_label": status.mode_label,
                    "text": service_text(
                        policy.office,
                        service,
                        status,
                        link=link,
                        booking_link=booking if service.needs_presence else None,
                    ),
                }
            )
    return shown


@staff_required(*EDITORS)
def draft(request: HttpRequest, pk: int) -> HttpResponse:
    policy = _policy(request, pk)
    if not policy.is_draft:
        return render(request, "staff/policy/published.html", {"policy": policy})
    form = DraftForm(request.POST or None, policy=policy)
    if request.method == "POST" and form.is_valid():
        try:
            changed = editor.save_draft(policy, form.to_input(), request.user, request=request)
        except editor.PolicyError as error:
            form.add_error(None, error.message)
        else:
            if changed:
                messages.success(request, "Draf disimpan. Periksa pratinjau, lalu terbitkan.")
            else:
                messages.info(request, "Tidak ada perubahan.")
            return redirect(f"{request.path}#pratinjau")
    return render(
        request,
        "staff/policy/draft.html",
        {
            "policy": policy,
            "form": form,
            "modes": Mode,
            "preview": preview(policy),
            "history": policy.changes.select_related("actor")[:20],
        },
    )


@require_POST
@staff_required(*EDITORS)
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    policy = _policy(request, pk)
    try:
        editor.publish(policy, request.user, request=request)
    except editor.PolicyError as error:
        messages.error(request, error.message)
        return redirect("staff:policy-draft", pk=pk)
    messages.success(request, f"“{policy.name}” diterbitkan: bot dan halaman warga memakainya.")
    return redirect("staff:policy")


@require_POST
@staff_required(*EDITORS)
def discard(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        editor.discard(_policy(request, pk), request.user, request=request)
    except editor.PolicyError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Draf dibuang.")
    return redirect("staff:policy")


@require_POST
@staff_required(*EDITORS)
def end(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.POST.get("confirm"):
        messages.error(request, "Centang “Saya yakin” untuk mengakhiri kebijakan sekarang.")
        return redirect("staff:policy")
    try:
        editor.end_now(_policy(request, pk), request.user, request=request)
    except editor.PolicyError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Kebijakan diakhiri: semua layanan kembali normal.")
    return redirect("staff:policy")


@staff_required(*EDITORS)
def hours(request: HttpRequest) -> HttpResponse:
    form = HoursForm(request.POST or None, office=request.office)
    if request.method == "POST" and form.is_valid():
        try:
            changed = editor.set_hours(
                request.office, form.to_days(), request.user, request=request
            )
        except editor.PolicyError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, "Jam layanan disimpan." if changed else "Tidak ada perubahan."
            )
            return redirect("staff:policy")
    return render(request, "staff/policy/hours.html", {"form": form})


def _bookings_on(office, day) -> int:
    """Bookings a closure of `day` would cancel (none when the appointments app is absent)."""
    if not apps.is_installed("loket.appointments"):
        return 0
    from loket.appointments.capacity import bookings_on

    return bookings_on(office, day)


def _cancel_bookings(office, day, reason: str, actor) -> int:
    """Cancels the day's bookings and tells each citizen on WhatsApp (the "Tutup hari" rule)."""
    if not apps.is_installed("loket.appointments"):
        return 0
    from loket.appointments.capacity import close_day

    return len(close_day(office, day, reason, actor=actor))


@require_POST
@staff_required(*EDITORS)
def add_closure(request: HttpRequest) -> HttpResponse:
    """Adds a closure; when the day has bookings, first asks to confirm cancelling them.

    The closure and the cancellations are one transaction: a second post of the same form finds
    the day already closed and cancels nothing twice; the citizens are notified once each.
    """
    form = ClosureForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Isi tanggal dan alasan kantor tutup.")
        return redirect("staff:policy")
    office, day, reason = request.office, form.day(), form.cleaned_data["reason"]
    try:
        editor.check_closure(office, day, reason)
    except editor.PolicyError as error:
        messages.error(request, error.message)
        return redirect("staff:policy")
    booked = _bookings_on(office, day)
    if booked and request.POST.get("confirm") != "1":
        context = {"day": day, "reason": reason, "booked": booked}
        return render(request, "staff/policy/closure_confirm.html", context)
    try:
        with transaction.atomic():
            editor.add_closure(office, day, reason, request.user, request=request)
            cancelled = _cancel_bookings(office, day, reason, request.user)
    except editor.PolicyError as error:
        messages.error(request, error.message)
        return redirect("staff:policy")
    text = f"Kantor tutup {day:%d-%m-%Y}."
    if cancelled:
        text += f" {cancelled} janji temu dibatalkan; warga diberi tahu lewat WhatsApp."
    messages.success(request, text)
    return redirect("staff:policy")


@require_POST
@staff_required(*EDITORS)
def remove_closure(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        editor.remove_closure(request.office, pk, request.user, request=request)
    except editor.PolicyError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Hari tutup dihapus.")
    return redirect("staff:policy")
