from datetime import timedelta

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from loket.bot.models import Conversation
from loket.broadcasts.models import MessageTemplate
from loket.catalog.models import Service
from loket.core.audit import log_read
from loket.core.files import stored_file_response
from loket.staff.access import WRITE_ROLES, staff_required

from . import media, services
from .models import CitizenMedia, Claim, SavedReply, StaffDocument


def _conversation(request: HttpRequest, pk: int) -> Conversation:
    """A conversation of the staff member's office, or 404; the read is audited here, once
    for every page and partial that shows a citizen's messages (the polled timeline too)."""
    conversation = get_object_or_404(
        Conversation.objects.select_related("contact"), pk=pk, contact__office=request.office
    )
    log_read("inbox.viewed", conversation, request=request, contact=conversation.contact_id)
    return conversation


@staff_required()
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "inbox/index.html", {"waiting": services.waiting(request.office)})


@staff_required()
def waiting_partial(request: HttpRequest) -> HttpResponse:
    return render(request, "inbox/_list.html", {"waiting": services.waiting(request.office)})


def _context(request: HttpRequest, conversation: Conversation) -> dict:
    contact = conversation.contact
    return {
        "conversation": conversation,
        "contact": contact,
        "claim": services.open_claim(conversation),
        "window": services.window(contact),
        "timeline": services.timeline(contact),
        "applications": services.applications_of(contact),
        "media": CitizenMedia.objects.filter(contact=contact).order_by("-created_at")[:10],
    }


@staff_required()
def conversation(request: HttpRequest, pk: int) -> HttpResponse:
    conv = _conversation(request, pk)
    context = _context(request, conv)
    context.update(
        saved_replies=SavedReply.objects.filter(office=request.office),
        services=Service.objects.order_by("name"),
        templates=MessageTemplate.objects.filter(
            office=request.office, status=MessageTemplate.Status.APPROVED
        ),
        can_write=request.staff.has_role(*WRITE_ROLES),
        attach_targets=services.attach_targets(conv.contact, request.office),
        attachable_media=[m for m in context["media"] if m.state == CitizenMedia.State.STORED],
    )
    return render(request, "inbox/conversation.html", context)


@staff_required()
def timeline_partial(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "inbox/_timeline.html", _context(request, _conversation(request, pk)))


def _act(request: HttpRequest, pk: int, action) -> HttpResponse:
    conv = _conversation(request, pk)
    try:
        note = action(conv)
    except services.InboxError as exc:
        messages.error(request, str(exc))
    else:
        if note:
            messages.success(request, note)
    if conv.state != Conversation.State.HANDED_TO_STAFF or request.POST.get("next") == "index":
        return redirect("inbox:index")
    return redirect("inbox:conversation", pk=conv.pk)


@require_POST
@staff_required(*WRITE_ROLES)
def claim(request: HttpRequest, pk: int) -> HttpResponse:
    def act(conv):
        services.claim(conv, request.user, request=request)
        return "Percakapan Anda ambil."

    return _act(request, pk, act)


@require_POST
@staff_required(*WRITE_ROLES)
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    def act(conv):
        text = request.POST.get("text", "")
        saved = request.POST.get("saved")
        if not text.strip() and saved:
            found = SavedReply.objects.filter(pk=saved, office=request.office).first()
            text = found.text if found else ""
        services.reply_text(conv, request.user, text, request=request)
        return "Pesan sedang dikirim ke warga."

    return _act(request, pk, act)


@require_POST
@staff_required(*WRITE_ROLES)
def send_link(request: HttpRequest, pk: int) -> HttpResponse:
    def act(conv):
        service = Service.objects.filter(code=request.POST.get("service", "")).first()
        if service is None:
            raise services.InboxError("Pilih layanan.")
        services.reply_link(conv, request.user, service, request=request)
        return f"Tautan {service.short_name or service.name} dikirim."

    return _act(request, pk, act)


@require_POST
@staff_required(*WRITE_ROLES)
def send_document(request: HttpRequest, pk: int) -> HttpResponse:
    def act(conv):
        upload = request.FILES.get("file")
        if upload is None:
            raise services.InboxError("Pilih berkas PDF.")
        services._held(conv, request.user)
        if not conv.contact.window_open():
            raise services.InboxError("Jendela 24 jam sudah tertutup: dokumen tidak bisa dikirim.")
        try:
            document = media.store_staff_pdf(conv.contact, upload, request.user)
        except ValueError as exc:
            raise services.InboxError(str(exc)) from None
        services.reply_document(
            conv, request.user, document, request.POST.get("caption", ""), request=request
        )
        return "Dokumen sedang dikirim ke warga."

    return _act(request, pk, act)


@require_POST
@staff_required(*WRITE_ROLES)
def send_template(request: HttpRequest, pk: int) -> HttpResponse:
    def act(conv):
        template = MessageTemplate.objects.filter(
            pk=request.POST.get("template") or 0, office=request.office
        ).first()
        if template is None:
            raise services.InboxError("Pilih template.")
        parameters = request.POST.getlist("param")
        services.reply_template(conv, request.user, template, parameters, request=request)
        return "Template sedang dikirim ke warga."

    return _act(request, pk, act)


@require_POST
@staff_required(*WRITE_ROLES)
def attach(request: HttpRequest, pk: int) -> HttpResponse:
    """Attaches a file the citizen sent to a requirement of one of their applications."""

    def act(conv):
        item = CitizenMedia.objects.filter(
            pk=request.POST.get("media") or 0,
            contact=conv.contact,
            state=CitizenMedia.State.STORED,
        ).first()
        if item is None:
            raise services.InboxError("Pilih berkas yang dikirim warga ini.")
        app_pk, _, index = request.POST.get("target", "").partition(":")
        document = services.attach_media(conv, request.user, item, app_pk, index, request=request)
        return (
            f"Berkas dilampirkan: {document.label[:80]}. Foto diperiksa otomatis: hasilnya "
            "tampil di bawah formulir lampiran dan di halaman permohonan."
        )

    return _act(request, pk, act)


@require_POST
@staff_required(*WRITE_ROLES)
def hand_back(request: HttpRequest, pk: int) -> HttpResponse:
    def act(conv):
        services.release(conv, request.user, Claim.Outcome.HANDED_BACK, request=request)
        return "Percakapan dikembalikan ke bot."

    return _act(request, pk, act)


@require_POST
@staff_required(*WRITE_ROLES)
def close(request: HttpRequest, pk: int) -> HttpResponse:
    def act(conv):
        services.release(conv, request.user, Claim.Outcome.CLOSED, request=request)
        return "Percakapan ditutup."

    return _act(request, pk, act)


@require_GET
@staff_required()
def citizen_file(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(
        CitizenMedia, pk=pk, contact__office=request.office, state=CitizenMedia.State.STORED
    )
    return stored_file_response(media.read_media(item, request=request), item.filename)


@require_GET
def document(request: HttpRequest, token: str) -> HttpResponse:
    """The secret link Meta fetches a staff PDF from (valid for 7 days)."""
    item = StaffDocument.objects.filter(token=token).first()
    if item is None or timezone.now() - item.created_at > timedelta(days=7):
        raise Http404("Dokumen tidak ditemukan atau sudah kedaluwarsa.")
    data = media.read_staff_pdf(item, request=request)
    return stored_file_response(data, item.filename, download=True)


@staff_required("kepala", "admin")
def load(request: HttpRequest) -> HttpResponse:
    days = 7 if request.GET.get("rentang") == "7" else 1
    since = timezone.now() - timedelta(days=days)
    return render(
        request,
        "inbox/load.html",
        {
            "rows": services.load(request.office, since),
            "days": days,
            "waiting": services.waiting(request.office),
        },
    )


@staff_required(*WRITE_ROLES)
def saved_replies(request: HttpRequest) -> HttpResponse:
    """The office's quick answers: add one, or delete one."""
    replies = SavedReply.objects.filter(office=request.office)
    if request.method == "POST":
        if request.POST.get("delete"):
            replies.filter(pk=request.POST["delete"]).delete()
            messages.success(request, "Jawaban dihapus.")
            return redirect("inbox:saved-replies")
        title = request.POST.get("title", "").strip()[:80]
        text = request.POST.get("text", "").strip()[:4096]
        if title and text:
            SavedReply.objects.create(office=request.office, title=title, text=text)
            messages.success(request, "Jawaban disimpan.")
            return redirect("inbox:saved-replies")
        messages.error(request, "Judul dan isi jawaban wajib diisi.")
    return render(request, "inbox/saved_replies.html", {"replies": replies})
