"""The citizen's pages: the form behind the personal link, the receipt, documents, /cek/."""

from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from loket.applications import blankforms
from loket.applications import pin as pins
from loket.applications import receipt as receipts
from loket.applications.files import UploadError, store_requirement
from loket.applications.forms import APPLICANT_FIELDS, ApplicationForm
from loket.applications.models import DONE_STATES, EDITABLE_STATES, Application, Document, State
from loket.applications.specs import missing_uploads
from loket.applications.status import public_history
from loket.applications.tickets import normalize_ticket
from loket.applications.workflow import TransitionError
from loket.catalog.models import Office, Service
from loket.catalog.policy import service_status
from loket.core import identity
from loket.core.audit import log_action
from loket.core.files import made_file_response, stored_file_response
from loket.core.links import LinkError, read_token
from loket.core.views import link_error
from loket.whatsapp.models import Contact

PDF = "application/pdf"


def current_application(contact, service) -> Application | None:
    """The application the personal link opens: the latest one still in progress."""
    return (
        Application.objects.filter(contact=contact, service=service)
        .exclude(state__in=DONE_STATES)
        .select_related("service", "office")
        .order_by("-created_at", "-id")
        .first()
    )


def latest_finished(contact, service) -> Application | None:
    return (
        Application.objects.filter(contact=contact, service=service, state__in=DONE_STATES)
        .order_by("-finished_at", "-id")
        .first()
    )


def apply(request: HttpRequest, contact, service, claims) -> HttpResponse:
    """The page behind /l/<token>/: the form (with the draft), or the receipt once sent."""
    if claims.extra.get("purpose") is not None:  # a document or booking link opens no draft
        return link_error(request, "invalid")
    office = contact.office
    status = service_status(office, service)
    application = current_application(contact, service)
    token = request.resolver_match.kwargs.get("token", "") if request.resolver_match else ""
    if application is not None and not application.is_editable:
        return receipt_page(request, application, token)
    if not status.can_apply_online:
        return render(
            request,
            "applications/service_info.html",
            {
                "contact": contact,
                "office": office,
                "service": service,
                "status": status,
                "expires": claims.expires_at,
            },
        )
    context = {
        "contact": contact,
        "office": office,
        "service": service,
        "status": status,
        "expires": claims.expires_at,
        "token": token,
        "finished": latest_finished(contact, service) if application is None else None,
    }
    if request.method != "POST":
        form = ApplicationForm(
            initial=_initial(application), service=service, office=office, status=status
        )
        return _form_page(request, form, application, context)
    form = ApplicationForm(
        _unmasked(request.POST, application),
        request.FILES,
        service=service,
        office=office,
        status=status,
    )
    valid = form.is_valid()
    application = application or _new_draft(contact, service)
    if not _save_typed(application, form):
        application.refresh_from_db()
        return receipt_page(request, application, token)
    upload_ok = _save_uploads(application, form)
    if request.POST.get("action") == "submit":
        missing = missing_uploads(application)
        if valid and upload_ok and not missing:
            try:
                application.submit(request=request)
            except TransitionError as error:
                form.add_error(None, error.message)
            else:
                return redirect(request.path)
        documents = application.requirement_documents()
        for slot in form.slots:
            if (
                slot.required
                and slot.index not in documents
                and not form.errors.get(f"doc_{slot.index}")
            ):
                form.add_error(
                    f"doc_{slot.index}", gettext("Dokumen ini wajib diunggah sebelum dikirim.")
                )
        context["submit_failed"] = True
    else:
        form.drop_required_errors()
        context["saved"] = True
    return _form_page(request, form, application, context)


@require_POST
def upload(request: HttpRequest, token: str, index: int) -> HttpResponse:
    """htmx: one requirement uploaded as soon as it is picked; answers with that slot's block
    (the upload's automatic check polls in it). What was typed is kept as a draft, as with
    "Simpan draf", so the check compares the photo with the NIK/KK/name on the screen."""
    try:
        claims = read_token(token)
    except LinkError as error:
        return link_error(request, error.reason)
    contact = Contact.objects.select_related("office").filter(pk=claims.contact_id).first()
    service = Service.objects.filter(code=claims.service_code).first()
    if contact is None or service is None or claims.extra.get("purpose") is not None:
        return link_error(request, "invalid")
    application = current_application(contact, service)
    status = service_status(contact.office, service)
    if (application is not None and not application.is_editable) or not status.can_apply_online:
        return HttpResponse(status=409)
    form = ApplicationForm(
        _unmasked(request.POST, application),
        request.FILES,
        service=service,
        office=contact.office,
        status=status,
    )
    form.is_valid()
    slot = next((s for s in form.slots if s.index == index), None)
    if slot is None:
        raise Http404("persyaratan tidak ada")
    application = application or _new_draft(contact, service)
    if not _save_typed(application, form):
        return HttpResponse(status=409)
    form.errors.clear()
    upload = request.FILES.get(f"doc_{index}")
    if upload:
        try:
            store_requirement(application, slot.index, slot.label, upload)
        except UploadError as error:
            form.add_error(f"doc_{index}", error.message)
    else:
        form.add_error(f"doc_{index}", "Pilih foto atau PDF dokumen Anda.")
    row = next(r for r in _slot_rows(form, application) if r["slot"].index == index)
    return render(request, "applications/_slot.html", {"s": row, "token": token})


def _new_draft(contact, service) -> Application:
    try:
        with transaction.atomic():
            return Application.objects.create(
                office=contact.office, contact=contact, service=service, state=State.DRAFT
            )
    except IntegrityError:  # a second tab created it a moment ago
        return Application.objects.get(contact=contact, service=service, state=State.DRAFT)


def _save_typed(application: Application, form: ApplicationForm) -> bool:
    """Keeps everything typed, valid or not; False when the application left the editable states."""
    typed = form.typed_values()
    nik = identity.clean_number(form.data.get("nik", ""))[:24]
    kk = identity.clean_number(form.data.get("kk", ""))[:24]
    application.set_data(typed)
    application.set_nik(nik)
    application.set_kk(kk)
    updated = Application.objects.filter(pk=application.pk, state__in=EDITABLE_STATES).update(
        data=application.data,
        name=application.name,
        name_index=application.name_index,
        nik=application.nik,
        nik_hash=application.nik_hash,
        kk=application.kk,
        kk_hash=application.kk_hash,
    )
    return bool(updated)


def _save_uploads(application: Application, form: ApplicationForm) -> bool:
    ok = True
    for slot in form.slots:
        upload = form.files.get(f"doc_{slot.index}")
        if not upload:
            continue
        try:
            store_requirement(application, slot.index, slot.label, upload)
        except UploadError as error:
            form.add_error(f"doc_{slot.index}", error.message)
            ok = False
    return ok


def _initial(application: Application | None) -> dict:
    """The draft as the form shows it: NIK and KK masked, never in full."""
    if application is None:
        return {}
    return {**application.data, "nik": application.nik_masked, "kk": application.kk_masked}


def _unmasked(posted, application: Application | None):
    """The posted form with a NIK/KK left masked (unchanged by the citizen) put back in full."""
    if application is None:
        return posted
    data = posted.copy()
    for name, masked, stored in (
        ("nik", application.nik_masked, application.nik),
        ("kk", application.kk_masked, application.kk),
    ):
        if stored and data.get(name, "").strip() == masked:
            data[name] = stored
    return data


def _slot_rows(form: ApplicationForm, application) -> list[dict]:
    documents = application.requirement_documents() if application else {}
    return [
        {
            "slot": s,
            "field": form[f"doc_{s.index}"],
            "document": documents.get(s.index),
            "blank_forms": blankforms.forms_in(s.label),
        }
        for s in form.slots
    ]


def _form_page(request, form: ApplicationForm, application, context) -> HttpResponse:
    slots = _slot_rows(form, application)
    checklist = [
        {"label": field.label, "done": bool(_value(form, name)) and name not in form.errors}
        for name, field in form.fields.items()
        if field.required and not name.startswith("doc_")
    ] + [
        {
            "label": gettext("Unggah: %(label)s") % {"label": s["slot"].label},
            "done": s["document"] is not None,
        }
        for s in slots
        if s["slot"].required
    ]

    def rows(names):
        return [{"field": form[n], "warnings": form.warnings.get(n, [])} for n in names]

    context.update(
        form=form,
        application=application,
        slots=slots,
        checklist=checklist,
        applicant=rows(APPLICANT_FIELDS),
        extras=rows([n for n in form.fields if n.startswith("x_")]),
        purpose=rows(["purpose"] if "purpose" in form.fields else []),
        missing=[c for c in checklist if not c["done"]],
    )
    return render(request, "applications/apply.html", context)


def _value(form: ApplicationForm, name: str) -> str:
    source = form.data if form.is_bound else form.initial
    return str(source.get(name, "") or "").strip()


def receipt_page(request, application: Application, token: str) -> HttpResponse:
    return render(
        request,
        "applications/receipt.html",
        {
            "application": application,
            "service": application.service,
            "office": application.office,
            "history": public_history(application),
            "documents": list(application.documents.all()),
            "token": token,
        },
    )


# --- pages reached with the citizen's token ---------------------------------------------------


def _contact_for(token: str) -> tuple[Contact, str]:
    try:
        claims = read_token(token)
    except LinkError:
        raise Http404("link tidak berlaku") from None
    if claims.extra.get("purpose") is not None:  # a booking or document link opens no receipt
        raise Http404("link tidak berlaku")
    contact = Contact.objects.filter(pk=claims.contact_id).first()
    if contact is None:
        raise Http404("link tidak berlaku")
    return contact, claims.service_code


@require_GET
def receipt_pdf(request: HttpRequest, token: str) -> HttpResponse:
    contact, service_code = _contact_for(token)
    application = (
        Application.objects.filter(contact=contact, service__code=service_code)
        .exclude(ticket=None)
        .select_related("service", "office")
        .order_by("-submitted_at")
        .first()
    )
    if application is None:
        raise Http404("belum ada permohonan terkirim")
    response = made_file_response(
        receipts.receipt_pdf(application), f"tanda-terima-{application.ticket}.pdf", PDF
    )
    return response


def linked_document(token: str, pk: int) -> Document:
    """The document a link may open: of its contact, of its service, and the one it names.

    A service link opens the documents of that service's applications only; a document link
    (purpose "document") opens only the document it was made for.
    """
    claims = read_token(token)
    purpose = claims.extra.get("purpose")
    if purpose not in (None, "document") or (purpose == "document" and claims.extra.get("d") != pk):
        raise LinkError("invalid")
    document = (
        Document.objects.select_related("application", "application__service")
        .filter(
            pk=pk,
            application__contact_id=claims.contact_id,
            application__service__code=claims.service_code,
        )
        .first()
    )
    if document is None:
        raise Http404("dokumen tidak ditemukan")
    return document


@require_http_methods(["GET", "POST"])
def citizen_document(request: HttpRequest, token: str, pk: int) -> HttpResponse:
    """A document of the citizen's own application; the finished document asks for its PIN."""
    try:
        document = linked_document(token, pk)
    except LinkError as error:
        return link_error(request, error.reason)
    download = pins.needs_pin(document)
    if download:
        if request.method != "POST":
            return _pin_page(request, document)
        result = pins.check_pin(document, request.POST.get("pin", ""))
        if not result.ok:
            log_action(
                "application.pin_failed", document.application, request=request, by="citizen"
            )
            status = 429 if result.locked_until or result.blocked else 403
            return _pin_page(request, document, result.message, status=status)
    log_action(
        "application.document_viewed",
        document.application,
        request=request,
        document=document.pk,
        by="citizen",
    )
    # after a PIN (a POST): saved on the phone, not shown (a reload would post the PIN again)
    return document_response(document, download=download)


def _pin_page(request, document: Document, error: str = "", status: int = 200) -> HttpResponse:
    application = document.application
    context = {"document": document, "application": application, "error": error}
    return render(request, "applications/pin.html", context, status=status)


def document_response(document: Document, *, download: bool = False) -> HttpResponse:
    name = f"{document.application.ticket or 'dokumen'}-{document.pk}"
    return stored_file_response(document.read(), name, download=download)


# --- the public status page (no personal data) ------------------------------------------------


@require_GET
def check(request: HttpRequest, ticket: str = "") -> HttpResponse:
    typed = request.GET.get("tiket", "")
    if typed and normalize_ticket(typed):
        return redirect(reverse("applications:check", args=[normalize_ticket(typed)]))
    ticket = ticket or typed  # typed but nothing left of it ("-"): not found, on the form
    application = None
    if ticket:
        normalized = normalize_ticket(ticket)
        if normalized and normalized != ticket:
            return redirect(reverse("applications:check", args=[normalized]))
        application = (
            Application.objects.select_related("service", "office")
            .filter(ticket=normalized)
            .first()
        )
    status = 404 if ticket and application is None else 200
    return render(
        request,
        "applications/check.html",
        {
            "ticket": ticket,
            "application": application,
            "history": public_history(application) if application else [],
        },
        status=status,
    )


# --- blank forms to print, fill in and upload -------------------------------------------------


@require_GET
def blank_form(request: HttpRequest, code: str) -> HttpResponse:
    form = blankforms.FORMS.get(code)
    if form is None:
        raise Http404("formulir tidak ditemukan")
    offices = list(Office.objects.order_by("pk")[:2])  # one office: its name on the form
    office = offices[0] if len(offices) == 1 else None
    response = made_file_response(blankforms.draw(form, office), form.filename, PDF)
    response["Cache-Control"] = "public, max-age=3600"
    return response
