"""The citizen's WhatsApp message for each step of an application.

Inside the 24-hour customer-service window a free-form text (templates in
templates/applications/messages/<state>.txt); outside it an approved template, whose name and
parameters are configurable per step in settings.LOKET_APPLICATION_TEMPLATES
({state: {"name": ..., "language": "id", "parameters": ["ticket", "service", ...]}}).
A finished application with an output PDF, inside the window, gets the PDF itself as a WhatsApp
document message (uploaded by the sending task, see loket.whatsapp.media) whose caption carries
the link; outside the window the template with the link (settings.LOKET_WHATSAPP_DOCUMENTS).
"""

from django.conf import settings
from django.template import engines
from django.urls import reverse
from django.utils import translation

from loket.core.links import absolute, make_token
from loket.whatsapp import outbox

SOURCE = "applications"
DEFAULT_TEMPLATES = {
    "submitted": {"name": "permohonan_diterima", "parameters": ["ticket", "service"]},
    "resubmitted": {"name": "permohonan_diterima", "parameters": ["ticket", "service"]},
    "verified": {"name": "permohonan_status", "parameters": ["ticket", "service", "state"]},
    "processing": {"name": "permohonan_status", "parameters": ["ticket", "service", "state"]},
    "correction_requested": {
        "name": "permohonan_perbaikan",
        "parameters": ["ticket", "service", "note", "link"],
    },
    "finished": {"name": "permohonan_selesai", "parameters": ["ticket", "service", "link"]},
    "ready_for_pickup": {
        "name": "permohonan_siap_diambil",
        "parameters": ["ticket", "service", "note"],
    },
    "rejected": {"name": "permohonan_ditolak", "parameters": ["ticket", "service", "note"]},
    "pin": {"name": "permohonan_pin", "parameters": ["ticket", "pin"]},
    "reopened": {"name": "permohonan_status", "parameters": ["ticket", "service", "state"]},
}


def template_for(state: str) -> dict | None:
    configured = getattr(settings, "LOKET_APPLICATION_TEMPLATES", {}) or {}
    return configured.get(state) or DEFAULT_TEMPLATES.get(state)


def citizen_link(application) -> str:
    """The citizen's personal link to this application (form, receipt or result)."""
    token = make_token(application.contact_id, application.service.code)
    return absolute(reverse("bot:link", args=[token]))


def document_link(application, document) -> str:
    """A link that opens this one document only (and asks its PIN when it has one)."""
    token = make_token(
        application.contact_id, application.service.code, purpose="document", d=document.pk
    )
    return absolute(reverse("applications:citizen-document", args=[token, document.pk]))


def render(template_name: str, **context) -> str:
    """In Indonesian whoever triggers it (a staff member's English browser, a worker)."""
    template = engines["text"].get_template(f"applications/messages/{template_name}.txt")
    with translation.override("id"):
        return template.render(context).strip()


def send(application, state: str, note: str = "") -> None:
    """Queues the message for `state` (or a step like "reopened") in the caller's transaction."""
    contact = application.contact
    document = application.output_document() if state == "finished" else None
    link = citizen_link(application)
    if document is not None:
        link = document_link(application, document)
    context = {
        "ticket": application.ticket,
        "service": application.service.name,
        "state": application.get_state_display(),
        "note": note,
        "link": link,
        "status_link": absolute(reverse("applications:check", args=[application.ticket])),
        "office": application.office,
    }
    context["with_pin"] = document is not None and bool(document.pin_hash)
    text = render(state, **context)
    if contact.window_open():
        if document is not None and settings.LOKET_WHATSAPP_DOCUMENTS:
            # The PDF itself, into the citizen's own chat; the caption keeps the link (which
            # asks for the PIN sent in its own message) for downloading it again later.
            caption = render("finished_document", **context)
            outbox.queue_document(
                contact,
                document.storage_name,
                document.original_name or f"{application.ticket}.pdf",
                document.content_type,
                caption,
                source=SOURCE,
            )
            return
        outbox.queue_text(contact, text, source=SOURCE)
        return
    _send_template(contact, state, context, text)


def send_pin(application, pin: str) -> None:
    """The finished document's PIN, in a message of its own (never together with the link)."""
    contact = application.contact
    context = {"ticket": application.ticket, "service": application.service.name, "pin": pin}
    text = render("pin", **context)
    if contact.window_open():
        outbox.queue_text(contact, text, source=SOURCE)
        return
    _send_template(contact, "pin", context, text)


def _send_template(contact, state: str, context: dict, text: str) -> None:
    spec = template_for(state)
    if spec is None:
        return
    outbox.queue_template(
        contact,
        spec["name"],
        spec.get("language", "id"),
        [str(context.get(key, "")) for key in spec.get("parameters", [])],
        preview=text,
        source=SOURCE,
    )
