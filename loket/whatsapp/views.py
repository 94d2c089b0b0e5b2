import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from loket.core import wake
from loket.whatsapp import account, inbound, payload, signature, spool

logger = logging.getLogger(__name__)


def verify(request: HttpRequest) -> HttpResponse:
    """Meta's subscription handshake: echo the challenge when the verify token matches."""
    mode = request.GET.get("hub.mode")
    token = request.GET.get("hub.verify_token", "")
    if (
        mode == "subscribe"
        and settings.WHATSAPP_VERIFY_TOKEN
        and token == settings.WHATSAPP_VERIFY_TOKEN
    ):
        return HttpResponse(request.GET.get("hub.challenge", ""), content_type="text/plain")
    return HttpResponseForbidden("verification failed", content_type="text/plain")


def receive(request: HttpRequest) -> HttpResponse:
    status, text = accept(
        request.body, request.headers.get("X-Hub-Signature-256"), request.META.get("REMOTE_ADDR")
    )
    return HttpResponse(text, status=status, content_type="text/plain")


def accept(body: bytes, signature_header: str | None, remote_addr: str | None) -> tuple[int, str]:
    """A signed webhook delivery stored: the HTTP status and text to answer Meta with.

    Shared by the Django view and the short road of `loket.whatsapp.wsgi`. On SQLite the
    verified body goes to the spool (loket/whatsapp/spool.py) and a worker stores it."""
    if not signature.is_valid(body, signature_header, settings.WHATSAPP_APP_SECRET):
        logger.warning("webhook refused: bad or missing signature from %s", remote_addr)
        return 403, "bad signature"
    try:
        if spool.enabled():
            spool.put(body)
            wake.notify_now(wake.INBOUND)
        else:
            store(parse(body))
    except (OperationalError, InterfaceError):
        logger.exception("webhook: database unreachable, Meta will redeliver")
        return 503, "database unavailable"
    except OSError:
        logger.exception("webhook: the inbound spool cannot be written, Meta will redeliver")
        return 503, "spool unavailable"
    return 200, "ok"


def parse(body: bytes) -> payload.Batch:
    """The delivery's items; a body that is not readable JSON is one rejected item."""
    try:
        return payload.parse(payload.loads(body))
    except (ValueError, UnicodeDecodeError, RecursionError) as error:
        # Signed by Meta yet not JSON we can read: kept as rejected; redelivery would not help.
        reason = f"not readable JSON: {type(error).__name__}"
        return payload.Batch(
            rejected=[payload.Rejected("body", reason, body[:65536].decode("utf-8", "replace"))]
        )


def store(batch: payload.Batch) -> None:
    """Stores a delivery's items (raises OperationalError/InterfaceError: database down)."""
    inbound.store_batch(batch)
    unhandled = account.apply(batch.unknown) if batch.unknown else []
    for item in unhandled:
        field = item.get("field") if isinstance(item, dict) else type(item).__name__
        logger.info("webhook: acknowledged an event we do not handle (%.100s)", field)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def webhook(request: HttpRequest) -> HttpResponse:
    return verify(request) if request.method == "GET" else receive(request)
