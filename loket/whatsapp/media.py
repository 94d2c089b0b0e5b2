"""Document messages: the file is uploaded by the sending task, once, then referenced by id.

`outbox.queue_document` writes the outbox row and its `OutboundMedia` (the encrypted stored file,
never its bytes). When the task sends it, `prepared_body` uploads the file (POST
/{phone-number-id}/media, multipart) unless a media id is already kept, keeps the id at once,
and returns the message body with `document.id`. A retry after a Graph error or a crash reuses
the id; exactly-once delivery of the message itself is the outbox's.
"""

import logging
import time

from django.core.files.storage import default_storage
from django.utils import timezone

from loket.core.crypto import decrypt_bytes
from loket.whatsapp import graph, management
from loket.whatsapp.models import OutboundMedia, OutboundMessage

logger = logging.getLogger(__name__)


def _failure(code: str, message: str, retryable: bool, http_status=None, started=0.0):
    return graph.GraphResult(
        ok=False,
        retryable=retryable,
        http_status=http_status,
        error_code=code,
        error_message=message[:1000],
        duration_ms=int((time.monotonic() - started) * 1000) if started else 0,
    )


def prepared_body(message: OutboundMessage, phone_number_id: str) -> dict | graph.GraphResult:
    """The request body with the media id, uploading the file first if needed; or the failure."""
    body = message.request_json()
    media = OutboundMedia.objects.filter(message=message).first()
    if media is None:
        return _failure("media-missing", "document message without a file", retryable=False)
    if not media.media_id:
        started = time.monotonic()
        try:
            with default_storage.open(media.storage_name, "rb") as handle:
                content = decrypt_bytes(handle.read())
        except (OSError, ValueError) as error:
            return _failure("media-missing", f"stored file unreadable: {error}", retryable=False)
        try:
            media_id = management.upload_media(
                phone_number_id, content, media.content_type, media.filename
            )
        except management.GraphError as error:
            logger.warning("media upload for message %s failed: %s", message.pk, error)
            return _failure(
                error.code, f"upload: {error.message}", error.retryable, error.http_status, started
            )
        OutboundMedia.objects.filter(pk=media.pk).update(
            media_id=media_id, uploaded_at=timezone.now(), uploads=media.uploads + 1
        )
        media.media_id = media_id
    document = dict(body.get("document") or {})
    document["id"] = media.media_id
    document.pop("link", None)
    body["document"] = document
    return body
