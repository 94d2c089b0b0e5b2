import io
import re
from datetime import datetime
from urllib.parse import quote

import qrcode
from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from loket.bot.models import ReopenSubscription
from loket.catalog.models import Office, Service
from loket.core.files import made_file_response
from loket.staff.access import WRITE_ROLES, staff_required
from loket.whatsapp.models import BusinessNumber

from . import importing, metasync, sending
from .models import Broadcast, MessageTemplate, Official, OptOut, Subscription
from .poster import poster_content, poster_pdf

GREETING = "Halo Disdukcapil, saya mau tanya layanan"


class BroadcastForm(forms.ModelForm):
    parameters_text = forms.CharField(
        label="Isian parameter (satu per baris: {{1}}, {{2}}, …)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    class Meta:
        model = Broadcast
        fields = ["title", "template", "audience", "service"]

    def __init__(self, office: Office, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = MessageTemplate.objects.filter(
            office=office, status=MessageTemplate.Status.APPROVED
        )
        self.fields["template"].required = True
        self.fields["service"].queryset = Service.objects.order_by("name")
        self.fields["service"].label = "Layanan (untuk daftar tunggu)"

    def clean(self):
        data = super().clean()
        if data.get("audience") == Broadcast.Audience.WAITING and not data.get("service"):
            self.add_error("service", "Pilih layanan yang ditunggu warga.")
        lines = (data.get("parameters_text") or "").splitlines()
        data["parameters"] = [line.strip() for line in lines if line.strip()]
        template = data.get("template")
        if template and len(data["parameters"]) != template.parameter_count:
            self.add_error(
                "parameters_text", f"Template ini butuh {template.parameter_count} isian."
            )
        return data


class TemplateForm(forms.Form):
    """A new template, sent to Meta for review (its status is Meta's answer)."""

    name = forms.CharField(
        label="Nama di Meta", max_length=512, help_text="Huruf kecil, angka, garis bawah."
    )
    language = forms.CharField(label="Bahasa", max_length=10, initial="id")
    category = forms.ChoiceField(
        label="Kategori", choices=MessageTemplate.Category.choices, initial="utility"
    )
    body = forms.CharField(
        label="Isi", widget=forms.Textarea(attrs={"rows": 4}), help_text="Parameter {{1}}, {{2}}…"
    )
    examples = forms.CharField(
        label="Contoh isian (satu per baris: {{1}}, {{2}}, …)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


@staff_required()
def index(request: HttpRequest) -> HttpResponse:
    office = request.office
    sending.offer_reopened(office, actor=request.user)
    broadcasts = Broadcast.objects.filter(office=office).select_related("template", "service")
    return render(
        request,
        "broadcasts/index.html",
        {
            "broadcasts": broadcasts[:50],
            "officials": Official.objects.filter(office=office).count(),
            "subscribers": Subscription.objects.filter(office=office).count(),
            "opt_outs": OptOut.objects.filter(contact__office=office).count(),
            "waiting": ReopenSubscription.objects.filter(office=office, notified_at=None).count(),
            "can_write": request.staff.has_role(*WRITE_ROLES),
        },
    )


@staff_required(*WRITE_ROLES)
def create(request: HttpRequest) -> HttpResponse:
    form = BroadcastForm(request.office, request.POST or None)
    if request.method == "POST" and form.is_valid():
        broadcast = form.save(commit=False)
        broadcast.office = request.office
        broadcast.parameters = form.cleaned_data["parameters"]
        broadcast.created_by = request.user
        broadcast.save()
        return redirect("broadcasts:detail", pk=broadcast.pk)
    return render(request, "broadcasts/form.html", {"form": form})


def _broadcast(request: HttpRequest, pk: int) -> Broadcast:
    return get_object_or_404(
        Broadcast.objects.select_related("template", "service"), pk=pk, office=request.office
    )


@staff_required()
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    broadcast = _broadcast(request, pk)
    context = {"b": broadcast, "report": sending.report(broadcast)}
    if broadcast.status in (Broadcast.Status.SCHEDULED, Broadcast.Status.SENDING):
        context["pace_note"] = sending.pace(broadcast)[1]
    if broadcast.status == Broadcast.Status.DRAFT:
        context["audience_count"] = sending.audience_contacts(broadcast).count()
    context["can_write"] = request.staff.has_role(*WRITE_ROLES)
    return render(request, "broadcasts/detail.html", context)


@require_POST
@staff_required(*WRITE_ROLES)
def schedule(request: HttpRequest, pk: int) -> HttpResponse:
    broadcast = _broadcast(request, pk)
    at = None
    if request.POST.get("at"):
        try:
            at = timezone.make_aware(
                datetime.fromisoformat(request.POST["at"]), timezone.get_current_timezone()
            )
        except ValueError:
            messages.error(request, "Format jadwal tidak dikenal.")
            return redirect("broadcasts:detail", pk=pk)
    elif not request.POST.get("now"):
        messages.error(
            request,
            "Isi jadwal kirim, atau centang “Kirim sekarang” bila siaran memang dikirim ke "
            "semua penerima saat ini juga.",
        )
        return redirect("broadcasts:detail", pk=pk)
    try:
        count = sending.schedule(broadcast, at=at, actor=request.user)
    except sending.BroadcastError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Siaran dijadwalkan untuk {count} penerima.")
    return redirect("broadcasts:detail", pk=pk)


@require_POST
@staff_required(*WRITE_ROLES)
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    sending.cancel(_broadcast(request, pk), actor=request.user)
    messages.success(request, "Siaran dihentikan.")
    return redirect("broadcasts:detail", pk=pk)


@staff_required()
def templates(request: HttpRequest) -> HttpResponse:
    can_write = request.staff.has_role(*WRITE_ROLES)
    form = TemplateForm(request.POST or None)
    if request.method == "POST" and can_write and form.is_valid():
        data = form.cleaned_data
        try:
            template = metasync.submit(
                request.office,
                data["name"].strip(),
                data["language"].strip(),
                data["category"],
                data["body"],
                data["examples"].splitlines(),
                actor=request.user,
            )
        except metasync.TemplateError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                f"Template “{template.name}” dikirim ke Meta: {template.get_status_display()}.",
            )
            return redirect("broadcasts:templates")
    number = BusinessNumber.objects.filter(office=request.office).first()
    return render(
        request,
        "broadcasts/templates.html",
        {
            "templates": MessageTemplate.objects.filter(office=request.office),
            "form": form,
            "can_write": can_write,
            "number": number,
            "daily_limit": sending.daily_limit(request.office),
        },
    )


@require_POST
@staff_required(*WRITE_ROLES)
def templates_sync(request: HttpRequest) -> HttpResponse:
    try:
        result = metasync.sync(request.office)
    except metasync.TemplateError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"Sinkron dengan Meta: {result.seen} template ({result.created} baru, "
            f"{result.gone} tidak ada lagi di Meta).",
        )
        for warning in result.warnings:
            messages.warning(request, warning)
    return redirect("broadcasts:templates")


@require_POST
@staff_required(*WRITE_ROLES)
def template_delete(request: HttpRequest, pk: int) -> HttpResponse:
    template = get_object_or_404(MessageTemplate, pk=pk, office=request.office)
    try:
        metasync.delete(template, actor=request.user)
    except metasync.TemplateError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Template “{template.name}” dihapus di Meta.")
    return redirect("broadcasts:templates")


@staff_required(*WRITE_ROLES)
def import_officials(request: HttpRequest) -> HttpResponse:
    result = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, "Pilih berkas XLSX.")
        else:
            result = importing.import_officials(request.office, upload.read(5 * 1024 * 1024))
            if not result.errors:
                messages.success(
                    request, f"{result.created} penerima baru, {result.updated} diperbarui."
                )
                return redirect("broadcasts:officials")
    return render(
        request,
        "broadcasts/officials.html",
        {
            "officials": Official.objects.filter(office=request.office).select_related("contact"),
            "result": result,
        },
    )


@staff_required()
def import_template(request: HttpRequest) -> HttpResponse:
    response = made_file_response(
        importing.template_xlsx(request.office),
        "templat-penerima-siaran.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        download=True,
    )
    return response


def chat_link(office: Office) -> str:
    """https://wa.me/<digits>?text=<greeting>: opens a chat with the office's number."""
    number = office.whatsapp_display_number or settings.SIMULATOR_DISPLAY_NUMBER
    digits = re.sub(r"\D", "", number)
    return f"https://wa.me/{digits}?text={quote(GREETING)}"


@staff_required()
def poster(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "broadcasts/poster.html",
        {
            "office": request.office,
            "link": chat_link(request.office),
            "greeting": GREETING,
            "content": poster_content(request.office),
        },
    )


@staff_required()
def poster_file(request: HttpRequest) -> HttpResponse:
    pdf = poster_pdf(request.office, chat_link(request.office), GREETING)
    response = made_file_response(pdf, "poster-whatsapp.pdf", "application/pdf")
    return response


@staff_required()
def poster_qr(request: HttpRequest) -> HttpResponse:
    image = qrcode.make(chat_link(request.office), box_size=12, border=2)
    out = io.BytesIO()
    image.save(out, format="PNG")
    response = HttpResponse(out.getvalue(), content_type="image/png")
    response["Cache-Control"] = "private, max-age=300"
    return response
