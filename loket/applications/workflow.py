"""The rules of an application's life: which state may follow which, and what each step does.

draft -> submitted -> verified -> processing -> finished | ready_for_pickup
submitted/resubmitted/verified -> correction_requested -> resubmitted -> verified ...
any open state -> rejected -> submitted (reopened, with a reason and a new due date)
Assignment to a staff member is no state change: it is audited, not part of the citizen's history.

Each step locks the row (select_for_update) and checks the state inside the transaction, so a
double click or two staff members at once change it once; then it saves, writes the timestamped
ApplicationEvent, an audit entry and queues the citizen's WhatsApp message, all in one commit.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from loket.applications import notify, tickets
from loket.applications.models import OPEN_STATES, Application, ApplicationEvent, State
from loket.core.audit import log_action
from loket.staff.models import StaffMember

MAX_TICKET_TRIES = 8


class TransitionError(Exception):
    """A step that is not allowed now; `message` says why (a citizen's: their language)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _locked(application: Application, allowed: tuple[str, ...], verb: str) -> Application:
    locked = (
        Application.objects.select_for_update()
        .select_related("service", "contact", "office")
        .get(pk=application.pk)
    )
    if locked.state not in allowed:
        raise TransitionError(
            f"Permohonan ini berstatus “{locked.get_state_display()}”: tidak bisa {verb}."
        )
    return locked


def _record(
    application: Application,
    new_state: str,
    *,
    action: str,
    by=None,
    note: str = "",
    request=None,
    label: str | None = None,
    message: str | None = None,
    **detail,
) -> ApplicationEvent:
    old_state = application.state
    application.state = new_state
    application.save()
    event = ApplicationEvent.objects.create(
        application=application,
        state=new_state,
        label=label or State(new_state).label,
        note=note,
        actor=by,
    )
    log_action(
        action,
        application,
        actor=by,
        request=request,
        ticket=application.ticket,
        old_state=old_state,
        new_state=new_state,
        **detail,
    )
    notify.send(application, message or new_state, note=note)
    return event


def _refresh(target: Application, source: Application) -> None:
    for field in ("state", "ticket", "submitted_at", "due_at", "finished_at", "updated_at"):
        setattr(target, field, getattr(source, field))
    for field in ("correction_note", "rejection_reason", "pickup_instructions", "assigned_to_id"):
        setattr(target, field, getattr(source, field))


def _assign_ticket(application: Application) -> None:
    for _ in range(MAX_TICKET_TRIES):
        candidate = tickets.new_ticket(application.office.region_code)
        try:
            with transaction.atomic():
                Application.objects.filter(pk=application.pk).update(ticket=candidate)
        except IntegrityError:
            continue
        application.ticket = candidate
        return
    raise TransitionError(gettext("Nomor tiket tidak bisa dibuat. Silakan coba kirim sekali lagi."))


def submit(application: Application, request=None) -> bool:
    """Sends a draft (or a corrected application). Idempotent: a second click changes nothing.

    Returns True when this call submitted it, False when it was already submitted.
    """
    from loket.applications.specs import missing_uploads

    with transaction.atomic():
        locked = (
            Application.objects.select_for_update()
            .select_related("service", "contact", "office")
            .get(pk=application.pk)
        )
        if locked.state not in (State.DRAFT, State.CORRECTION_REQUESTED):
            _refresh(application, locked)
            return False
        missing = missing_uploads(locked)
        if missing:
            raise TransitionError(
                gettext("Dokumen wajib belum diunggah: %(missing)s")
                % {"missing": "; ".join(missing)}
            )
        resubmission = locked.state == State.CORRECTION_REQUESTED
        now = timezone.now()
        if not locked.ticket:
            _assign_ticket(locked)
        if locked.submitted_at is None:
            locked.submitted_at = now
            locked.due_at = now + locked.sla()
        _record(
            locked,
            State.RESUBMITTED if resubmission else State.SUBMITTED,
            action="application.resubmitted" if resubmission else "application.submitted",
            request=request,
        )
    _refresh(application, locked)
    return True


def verify(application: Application, by, request=None) -> None:
    with transaction.atomic():
        locked = _locked(application, (State.SUBMITTED, State.RESUBMITTED), "diverifikasi")
        _record(locked, State.VERIFIED, action="application.verified", by=by, request=request)
    _refresh(application, locked)


def request_correction(application: Application, by, note: str, request=None) -> None:
    note = (note or "").strip()
    if not note:
        raise TransitionError("Tuliskan apa yang perlu diperbaiki pemohon.")
    allowed = (State.SUBMITTED, State.RESUBMITTED, State.VERIFIED)
    with transaction.atomic():
        locked = _locked(application, allowed, "diminta perbaikan")
        locked.correction_note = note
        _record(
            locked,
            State.CORRECTION_REQUESTED,
            action="application.correction_requested",
            by=by,
            note=note,
            request=request,
        )
    _refresh(application, locked)


def start_processing(application: Application, by, request=None) -> None:
    with transaction.atomic():
        locked = _locked(application, (State.VERIFIED,), "mulai diproses")
        _record(locked, State.PROCESSING, action="application.processing", by=by, request=request)
    _refresh(application, locked)


def finish(
    application: Application,
    by,
    pdf: bytes | None = None,
    pickup_instructions: str = "",
    request=None,
) -> None:
    """Finishes with the output PDF (sent to the citizen) or marks it ready for pickup."""
    from loket.applications.files import UploadError, store_output
    from loket.applications.pin import issue_pin

    pickup_instructions = (pickup_instructions or "").strip()
    if not pdf and not pickup_instructions:
        raise TransitionError("Unggah PDF hasil, atau tulis petunjuk pengambilan di loket.")
    with transaction.atomic():
        locked = _locked(application, (State.VERIFIED, State.PROCESSING), "diselesaikan")
        locked.finished_at = timezone.now()
        locked.pickup_instructions = pickup_instructions
        if pdf:
            try:
                document = store_output(locked, pdf)
            except UploadError as error:
                raise TransitionError(error.message) from None
            pin = issue_pin(document)
            _record(
                locked,
                State.FINISHED,
                action="application.finished",
                by=by,
                request=request,
                note=pickup_instructions,
                document=document.pk,
            )
            notify.send_pin(locked, pin)  # its own message, after the one with the link
        else:
            _record(
                locked,
                State.READY_FOR_PICKUP,
                action="application.ready_for_pickup",
                by=by,
                note=pickup_instructions,
                request=request,
            )
    _refresh(application, locked)


def resend_pin(application: Application, by, request=None) -> None:
    """A new PIN for the finished document (the old one stops working), sent on WhatsApp."""
    from loket.applications.pin import issue_pin

    with transaction.atomic():
        locked = _locked(application, (State.FINISHED,), "dikirimi PIN baru")
        document = locked.output_document()
        if document is None:
            raise TransitionError("Permohonan ini tidak punya dokumen hasil.")
        pin = issue_pin(document)
        log_action(
            "application.pin_reissued", locked, actor=by, request=request, document=document.pk
        )
        notify.send_pin(locked, pin)


def reject(application: Application, by, reason: str, request=None) -> None:
    reason = (reason or "").strip()
    if not reason:
        raise TransitionError("Tuliskan alasan penolakan untuk pemohon.")
    with transaction.atomic():
        locked = _locked(application, OPEN_STATES, "ditolak")
        locked.rejection_reason = reason
        locked.finished_at = timezone.now()
        _record(
            locked,
            State.REJECTED,
            action="application.rejected",
            by=by,
            note=reason,
            request=request,
        )
    _refresh(application, locked)


REOPENED_LABEL = "Dibuka kembali, menunggu verifikasi"


def reopen(application: Application, by, reason: str, request=None) -> None:
    """A rejected application goes back to the queue (a mistake, or the citizen proved a point).

    It gets a new due date from now, the reason goes into its history and to the citizen.
    """
    reason = (reason or "").strip()
    if not reason:
        raise TransitionError("Tuliskan alasan permohonan dibuka kembali.")
    with transaction.atomic():
        locked = _locked(application, (State.REJECTED,), "dibuka kembali")
        now = timezone.now()
        locked.rejection_reason = ""
        locked.finished_at = None
        locked.due_at = now + locked.sla()
        _record(
            locked,
            State.SUBMITTED,
            action="application.reopened",
            by=by,
            note=reason,
            request=request,
            label=REOPENED_LABEL,
            message="reopened",
        )
    _refresh(application, locked)


def assign(application: Application, to, by, request=None) -> None:
    """Gives the application to staff member `to` (a user of its office), or to nobody."""
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if to is not None and not StaffMember.objects.filter(user=to, office=locked.office_id):
            raise TransitionError("Petugas itu bukan staf kantor ini.")
        if locked.assigned_to_id == (to.pk if to else None):
            _refresh(application, locked)
            return
        previous = locked.assigned_to_id
        locked.assigned_to = to
        locked.save(update_fields=["assigned_to", "updated_at"])
        log_action(
            "application.assigned" if to else "application.unassigned",
            locked,
            actor=by,
            request=request,
            ticket=locked.ticket,
            previous=previous,
            assigned_to=to.pk if to else None,
        )
    _refresh(application, locked)
