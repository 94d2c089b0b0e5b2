"""The staff back-office under /staf/permohonan/: queue, detail, actions, documents.

Every query is filtered by request.office: staff of one office never see another's applications.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_POST

from loket.applications import queue as work_queue
from loket.applications import review, workflow
from loket.applications import search as finder
from loket.applications.files import MAX_UPLOAD_BYTES
from loket.applications.models import Application, Document, State
from loket.applications.revoke import revoke
from loket.applications.specs import spec_for
from loket.applications.tickets import normalize_ticket
from loket.applications.views import document_response
from loket.applications.workflow import TransitionError
from loket.catalog.models import Service
from loket.core import identity
from loket.core.audit import log_action, log_read
from loket.core.crypto import mask
from loket.core.models import AuditEntry
from loket.staff.access import staff_required
from loket.staff.models import Role, StaffMember

PAGE_SIZE = 50
ACTIONS = {
    # action: (roles allowed, button label)
    "verify": ((Role.VERIFIKATOR,), "Verifikasi: berkas lengkap"),
    "correction": ((Role.VERIFIKATOR, Role.OPERATOR), "Minta perbaikan"),
    "process": ((Role.VERIFIKATOR, Role.OPERATOR), "Mulai proses"),
    "finish": ((Role.VERIFIKATOR, Role.OPERATOR), "Selesaikan"),
    "reject": ((Role.VERIFIKATOR,), "Tolak"),
    "links": ((Role.VERIFIKATOR, Role.OPERATOR), "Batalkan semua tautan pribadi warga"),
    "pin": ((Role.VERIFIKATOR, Role.OPERATOR), "Kirim PIN dokumen baru"),
    "reopen": ((Role.VERIFIKATOR,), "Buka kembali"),
    "assign": ((Role.VERIFIKATOR, Role.OPERATOR), "Tugaskan"),
}
ASSIGNABLE_ROLES = (Role.VERIFIKATOR, Role.OPERATOR, Role.ADMIN)


def get_application_for_staff(request: HttpRequest, pk: int) -> Application:
    """An application of the staff member's own office, or 404; the read is audited.

    Every staff page that shows one application gets it here: the audit of who read whose
    name, address, birth data and parents cannot be forgotten by a new view.
    """
    application = get_object_or_404(
        Application.objects.select_related("service", "contact", "office").exclude(
            state=State.DRAFT
        ),
        pk=pk,
        office=request.office,
    )
    log_read("application.viewed", application, request=request, ticket=application.ticket)
    return application


def search(queryset, q: str, *, request: HttpRequest | None = None):
    """Filters by NIK/KK (keyed hashes, every key), ticket, or name words (see search.py).

    A NIK/KK search is audited when `request` is given (the queue passes it).
    """
    q = q.strip()
    if not q:
        return queryset
    digits = finder.is_identity_number(q)
    if digits:
        if request is not None:
            log_read("application.nik_searched", Application, request=request, number=mask(digits))
        return finder.by_identity_number(queryset, digits)
    return queryset.filter(
        Q(ticket=normalize_ticket(q))
        | Q(ticket__icontains=q)
        | Q(name__icontains=q)
        | finder.names_filter(q)
    )


@staff_required()
def queue(request: HttpRequest) -> HttpResponse:
    """The work queue: overdue first, then by due time; a search looks in every state."""
    q = request.GET.get("q", "").strip()
    state = request.GET.get("status") or (work_queue.ALL if q else work_queue.OPEN)
    if q:
        state = work_queue.ALL  # a citizen calling with a ticket is found whatever its state
    service_code = request.GET.get("layanan", "")
    assignee = request.GET.get("petugas", "")
    applications = work_queue.filtered(
        work_queue.for_office(request.office), state=state, assignee=assignee, user=request.user
    )
    if service_code:
        applications = applications.filter(service__code=service_code)
    applications = search(applications, q, request=request).select_related("service", "assigned_to")
    page = Paginator(work_queue.in_work_order(applications), PAGE_SIZE).get_page(
        request.GET.get("hal")
    )
    now = timezone.now()
    rows = [{"app": a, "overdue": a.is_overdue(now)} for a in page.object_list]
    current = {"status": state, "layanan": service_code, "q": q, "petugas": assignee}
    return render(
        request,
        "applications/staff/queue.html",
        {
            "rows": rows,
            "page": page,
            "services": Service.objects.filter(needs_presence=False),
            "states": work_queue.STATE_FILTERS,
            "assignees": work_queue.ASSIGNEE_FILTERS,
            "current": current,
            "query": urlencode(current),
            "overdue_count": work_queue.overdue_count(request.office),
        },
    )


@staff_required()
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application_for_staff(request, pk)
    show_nik = request.GET.get("tampilkan") == "nik"
    if show_nik:
        log_action(
            "application.nik_viewed", application, request=request, ticket=application.ticket
        )
    extras = spec_for(application.service).extras
    member = request.staff
    return render(
        request,
        "applications/staff/detail.html",
        {
            "app": application,
            "show_nik": show_nik,
            "birth_date": parse_date(application.data.get("birth_date", "") or ""),
            "extras": [
                (e.label, review.shown(e, application.data.get(f"x_{e.name}", ""))) for e in extras
            ],
            "documents": list(application.documents.all()),
            "events": list(application.events.select_related("actor")),
            "overdue": application.is_overdue(),
            "nik_notes": review.nik_notes(application),
            "audit": _audit_trail(application) if member.has_role(Role.KEPALA) else None,
            "can": {name: member.has_role(*roles) for name, (roles, _) in ACTIONS.items()},
            "assignable": StaffMember.objects.filter(
                office=request.office, role__in=ASSIGNABLE_ROLES
            ).select_related("user"),
            "max_mb": MAX_UPLOAD_BYTES // 1024 // 1024,
            "region": identity.village(
                application.office.region_code, application.data.get("kelurahan", "")
            ),
        },
    )


def _audit_trail(application: Application) -> list:
    """Who did what to this application and who looked at its NIK or documents (newest first)."""
    return list(
        AuditEntry.objects.filter(
            object_type=application._meta.label_lower, object_id=str(application.pk)
        ).select_related("actor")[:100]
    )


@require_POST
@staff_required(Role.OPERATOR, Role.VERIFIKATOR)
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404("aksi tidak dikenal")
    if not request.staff.has_role(*ACTIONS[action][0]):
        messages.error(request, "Peran Anda tidak boleh melakukan aksi ini.")
        return redirect("applications:detail", pk=pk)
    application = get_application_for_staff(request, pk)
    user = request.user
    try:
        if action == "verify":
            application.verify(user, request=request)
        elif action == "correction":
            application.request_correction(user, request.POST.get("note", ""), request=request)
        elif action == "process":
            application.start_processing(user, request=request)
        elif action == "reject":
            if not request.POST.get("confirm"):
                raise TransitionError(
                    "Centang “Saya yakin” untuk menolak: penolakan langsung dikirim ke pemohon."
                )
            application.reject(user, request.POST.get("reason", ""), request=request)
        elif action == "reopen":
            application.reopen(user, request.POST.get("reason", ""), request=request)
        elif action == "assign":
            application.assign(_assignee(request), user, request=request)
        elif action == "finish":
            application.finish(
                user,
                pdf=_output_pdf(request),
                pickup_instructions=request.POST.get("pickup", ""),
                request=request,
            )
        elif action == "links":
            revoke(application.contact, actor=user, request=request, reason=application.ticket)
            messages.success(request, "Semua tautan pribadi warga ini dibatalkan.")
            return redirect("applications:detail", pk=pk)
        elif action == "pin":
            workflow.resend_pin(application, user, request=request)
            messages.success(request, "PIN baru dikirim ke WhatsApp warga.")
            return redirect("applications:detail", pk=pk)
    except TransitionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{application.ticket}: {application.get_state_display()}.")
    return redirect("applications:detail", pk=pk)


def _assignee(request: HttpRequest):
    """The user picked in the assign form: "me", "" (nobody) or a staff member's user id."""
    picked = request.POST.get("to", "")
    if picked == "me":
        return request.user
    if not picked:
        return None
    found = get_user_model().objects.filter(pk=picked if picked.isdigit() else 0).first()
    if found is None:
        raise TransitionError("Petugas tidak ditemukan.")
    return found


def _output_pdf(request: HttpRequest) -> bytes | None:
    upload = request.FILES.get("pdf")
    if not upload:
        return None
    if upload.size > MAX_UPLOAD_BYTES:
        raise TransitionError("PDF hasil terlalu besar (maksimal 10 MB).")
    return upload.read()


@staff_required()
def document(request: HttpRequest, pk: int, doc: int) -> HttpResponse:
    application = get_application_for_staff(request, pk)
    found = get_object_or_404(Document, pk=doc, application=application)
    thumbnail = request.GET.get("ukuran") == "kecil" and found.content_type.startswith("image/")
    log_action(
        "application.document_viewed",
        application,
        request=request,
        document=found.pk,
        label=found.label[:100],
        thumbnail=thumbnail,
    )
    if thumbnail:
        return review.thumbnail_response(found)
    return document_response(found)
