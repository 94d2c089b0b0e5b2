"""What the simulated phone sends besides text (photos, documents, voice notes) and how it shows
templates: as the text the citizen reads, not as a name and parameters."""

import hashlib
import uuid

from django.apps import apps
from django.core.files.uploadedfile import UploadedFile

from loket.simulator.models import SimulatedMedia, template_fallback, template_parameters
from loket.whatsapp.models import OutboundMessage

MAX_BYTES = 10 * 1024 * 1024


class MediaError(Exception):
    pass


def kind_of(mime: str) -> str:
    if mime.startswith("image/"):
        return "image"
    if mime.startswith("audio/"):
        return "audio"
    return "document"


def store(upload: UploadedFile, caption: str = "") -> dict:
    """Keeps the file for the fake media endpoint; returns the webhook's message object."""
    if upload.size > MAX_BYTES:
        raise MediaError("Berkas terlalu besar (maksimal 10 MB).")
    data = upload.read()
    mime = (upload.content_type or "application/octet-stream").split(";")[0].strip()
    kind = kind_of(mime)
    media = SimulatedMedia.objects.create(
        media_id=str(uuid.uuid4().int)[:16],
        mime="audio/ogg; codecs=opus" if kind == "audio" and mime == "audio/ogg" else mime,
        filename=(upload.name or "")[:200],
        data=data,
    )
    part: dict = {
        "id": media.media_id,
        "mime_type": media.mime,
        "sha256": hashlib.sha256(data).hexdigest(),
    }
    if kind == "document":
        part["filename"] = media.filename or "dokumen.pdf"
    if kind == "audio":
        part["voice"] = True
    if caption and kind in ("image", "document"):
        part["caption"] = caption[:1024]
    return {"type": kind, kind: part}


def template_text(phone_number_id: str, template: dict) -> str:
    """The template's text with its parameters filled, as the citizen's phone would show it."""
    name = str(template.get("name", ""))
    language = str((template.get("language") or {}).get("code", "id"))
    parameters = template_parameters(template)
    if apps.is_installed("loket.broadcasts"):
        model = apps.get_model("broadcasts", "MessageTemplate")
        registered = model.objects.filter(
            office__phone_number_id=phone_number_id, name=name, language=language
        ).first()
        if registered is not None:
            return registered.preview(parameters)
    # the message being sent right now: its preview is the text Loket would have written
    for message in OutboundMessage.objects.filter(
        kind="template", status=OutboundMessage.Status.SENDING
    ).order_by("-claimed_at", "-id")[:20]:
        sent = message.body.get("template", {})
        if sent.get("name") == name and template_parameters(sent) == parameters:
            return message.preview
    return template_fallback(template)
