"""Staff attach a file the citizen sent on WhatsApp to one requirement of their application.

The bytes come from the inbox (`loket.inbox.media.read_media`); they go through the same checks,
cleaning and encrypted storage as the citizen's own uploads (`files.store_requirement`), then the
application's history gets a row and the audit log an entry.
"""

from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction

from loket.applications.files import UploadError, store_requirement
from loket.applications.models import DONE_STATES, Application, ApplicationEvent
from loket.applications.specs import upload_slots
from loket.core.audit import log_action

ATTACHED_LABEL = "Berkas persyaratan ditambahkan petugas (dikirim lewat WhatsApp)"


@dataclass(frozen=True)
class Target:
    application: Application
    slots: list  # UploadSlot(index, label, required)


def targets_for(contact, office) -> list[Target]:
    """The citizen's applications at this office that can still take a document, with slots."""
    applications = (
        Application.objects.filter(contact=contact, office=office)
        .exclude(state__in=DONE_STATES)
        .select_related("service")
        .order_by("-created_at")
    )
    return [Target(a, upload_slots(a.service, a.data)) for a in applications]


def attach_bytes(
    application: Application, index: int, data: bytes, filename: str, by, request=None, **detail
):
    """Stores `data` as the requirement document at `index`; UploadError explains a refusal.

    Replaces the document of that slot, like a new upload by the citizen would.
    """
    if application.state in DONE_STATES:
        raise UploadError("Permohonan ini sudah selesai: berkas tidak bisa ditambahkan.")
    slot = next(
        (s for s in upload_slots(application.service, application.data) if s.index == index), None
    )
    if slot is None:
        raise UploadError("Persyaratan itu tidak ada pada layanan ini.")
    with transaction.atomic():
        document = store_requirement(
            application, slot.index, slot.label, ContentFile(data, name=filename or "whatsapp")
        )
        ApplicationEvent.objects.create(
            application=application,
            state=application.state,
            label=ATTACHED_LABEL,
            note=slot.label,
            actor=by,
        )
        log_action(
            "application.document_attached",
            application,
            actor=by,
            request=request,
            ticket=application.ticket,
            document=document.pk,
            requirement=slot.index,
            label=slot.label[:100],
            **detail,
        )
    return document
