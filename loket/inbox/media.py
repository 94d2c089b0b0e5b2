"""Files in both directions, encrypted at rest in the private storage, every read logged.

Citizens' photos and documents: the bot's pre-handler records a CitizenMedia row and the worker
downloads the bytes from the Graph API. Staff PDFs: stored the same way and sent as a WhatsApp
`document` message whose `link` is a secret, unguessable download URL of Loket (Meta fetches it).
"""

import logging
import re
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from loket.core.audit import log_action
from loket.core.crypto import decrypt_bytes, encrypt_bytes
from loket.core.files import extension_for, sniff_type
from loket.core.links import absolute
from loket.core.pdfsafety import UnsafePdf, check_pdf
from loket.core.tasks import backoff_seconds, enqueue_after
from loket.whatsapp import graph
from loket.whatsapp.models import Contact, InboundMessage

from .models import CitizenMedia, StaffDocument

logger = logging.getLogger(__name__)
MEDIA_TYPES = {"image", "document", "audio"}  # audio: voice notes
MAX_ATTEMPTS = 6
MAX_PDF_BYTES = 10 * 1024 * 1024


def safe_filename(name: str, default: str = "berkas") -> str:
    """A file name fit for a Content-Disposition header: no path, quotes or control characters."""
    name = re.sub(r"[^\w.\- ()]", "_", (name or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1])
    return name.strip(" .")[:150] or default


def pre_handle(message: InboundMessage, conversation=None) -> bool:
    """Records a citizen's photo or document for download; never answers (the bot goes on)."""
    from .tasks import fetch_media

    if message.type not in MEDIA_TYPES:
        return False
    part = (message.payload or {}).get(message.type) or {}
    if not part.get("id"):
        return False
    media, created = CitizenMedia.objects.get_or_create(
        message=message,
        defaults={
            "contact": message.contact,
            "media_id": str(part["id"])[:200],
            "mime": str(part.get("mime_type", ""))[:100],
            "filename": safe_filename(str(part.get("filename", "")), ""),
        },
    )
    if created:
        fetch_media.enqueue(media.pk)
    return False


def enqueue_missing() -> int:
    """Periodic safety net: media messages of the last two days that have no CitizenMedia row
    (e.g. the bot failed on them and rolled back). Safe twice: the row is one per message."""
    since = timezone.now() - timedelta(days=2)
    missing = (
        InboundMessage.objects.filter(
            type__in=MEDIA_TYPES,
            received_at__gte=since,
            received_at__lt=timezone.now() - timedelta(minutes=1),
        )
        .exclude(pk__in=CitizenMedia.objects.values("message_id"))
        .exclude(contact=None)
    )
    count = 0
    for message in missing.select_related("contact")[:200]:
        with transaction.atomic():
            pre_handle(message)
        count += 1
    return count


def fetch(media_pk: int) -> str:
    """Downloads one citizen file and stores it encrypted. Retries network trouble."""
    from .tasks import fetch_media

    media = CitizenMedia.objects.filter(pk=media_pk, state=CitizenMedia.State.PENDING).first()
    if media is None:
        return "done"
    CitizenMedia.objects.filter(pk=media.pk).update(attempts=F("attempts") + 1)
    try:
        data, mime = graph.download_media(media.media_id)
    except Exception as exc:  # HTTP or network trouble: try again later, then give up
        error = f"{type(exc).__name__}: {exc}"[:1000]
        if media.attempts + 1 >= MAX_ATTEMPTS:
            CitizenMedia.objects.filter(pk=media.pk).update(
                state=CitizenMedia.State.FAILED, error=error
            )
            return "failed"
        CitizenMedia.objects.filter(pk=media.pk).update(error=error)
        enqueue_after(fetch_media, backoff_seconds(media.attempts + 1), media.pk)
        return "retry"
    mime = sniff_type(data)  # what the bytes are, never what the phone declared
    extension = f".{extension_for(mime)}"
    name = default_storage.save(
        f"inbox/media/{media.contact_id}/{media.pk}{extension}.enc",
        ContentFile(encrypt_bytes(data)),
    )
    CitizenMedia.objects.filter(pk=media.pk).update(
        state=CitizenMedia.State.STORED,
        path=name,
        mime=mime[:100],
        size=len(data),
        filename=media.filename or f"berkas-{media.pk}{extension}",
        error="",
    )
    return "stored"


def read_media(media: CitizenMedia, actor=None, request=None) -> bytes:
    """The decrypted bytes of a citizen's file; every read is in the audit log.

    This is the attach step's input for the applications app: it can call this function and
    store the bytes as a document of the citizen's application in its own model.
    """
    with default_storage.open(media.path, "rb") as handle:
        data = decrypt_bytes(handle.read())
    log_action("inbox.media.read", media, actor=actor, request=request, contact=media.contact_id)
    return data


def store_staff_pdf(contact: Contact, upload, user) -> StaffDocument:
    """Stores a staff PDF encrypted; raises ValueError with an Indonesian message if unfit."""
    data = upload.read(MAX_PDF_BYTES + 1)
    if len(data) > MAX_PDF_BYTES:
        raise ValueError("Berkas terlalu besar (maksimal 10 MB).")
    if not data.startswith(b"%PDF-"):
        raise ValueError("Hanya berkas PDF yang bisa dikirim.")
    try:
        check_pdf(data)
    except UnsafePdf:
        raise ValueError(
            "PDF ini rusak, dikunci, atau berisi program/lampiran. Simpan ulang sebagai PDF biasa."
        ) from None
    filename = safe_filename(upload.name or "", "dokumen.pdf")
    if not filename.lower().endswith(".pdf"):
        filename += ".pdf"
    document = StaffDocument(contact=contact, filename=filename, size=len(data), uploaded_by=user)
    document.path = default_storage.save(
        f"inbox/sent/{contact.pk}/{document.token[:16]}.pdf.enc", ContentFile(encrypt_bytes(data))
    )
    document.save()
    return document


def document_link(document: StaffDocument) -> str:
    return absolute(reverse("inbox:document", args=[document.token]))


def read_staff_pdf(document: StaffDocument, request=None) -> bytes:
    with default_storage.open(document.path, "rb") as handle:
        data = decrypt_bytes(handle.read())
    StaffDocument.objects.filter(pk=document.pk).update(downloads=F("downloads") + 1)
    log_action("inbox.document.download", document, request=request)
    return data
