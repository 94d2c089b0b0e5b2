"""The webhook's short road: a POST to the webhook answered beside Django's request cycle.

Meta's deliveries are the one request a flash crowd multiplies, and the only one no person
waits on: no session, cookie, CSRF token, language, login or page policy applies to it. Going
through Django's sixteen middleware layers and URL resolver cost about as much CPU as storing
the message. `loket.wsgi.application` hands exactly `POST /webhooks/whatsapp/` here; everything
else, including the subscription handshake (GET), goes to Django as before.

What the middleware did for the webhook is done here too: the body size limit (413), the
database connections opened and closed around the request (Django's request signals), the
webhook counters for /metrics, and a logged 500 for an unexpected failure. The answer itself
is `views.accept`, the same code the Django view runs.
"""

import logging
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core import signals

from loket.core import metrics
from loket.core.middleware import TOO_LARGE
from loket.whatsapp.views import accept

logger = logging.getLogger(__name__)

PATH = "/webhooks/whatsapp/"
REASONS = {
    200: "OK",
    400: "Bad Request",
    403: "Forbidden",
    413: "Request Entity Too Large",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


def is_webhook_post(environ: dict) -> bool:
    return environ.get("REQUEST_METHOD") == "POST" and environ.get("PATH_INFO") == PATH


def webhook_app(environ: dict, start_response: Callable) -> Iterable[bytes]:
    """A WSGI application answering one webhook delivery."""
    signals.request_started.send(sender=webhook_app, environ=environ)
    try:
        status, text = _answer(environ)
    except Exception:
        logger.exception("webhook: unexpected failure")
        status, text = 500, "server error"
    finally:
        signals.request_finished.send(sender=webhook_app)
    _count(status)
    body = text.encode()
    start_response(
        f"{status} {REASONS.get(status, 'Error')}",
        [
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Content-Length", str(len(body))),
            ("X-Content-Type-Options", "nosniff"),
        ],
    )
    return [body]


def _answer(environ: dict) -> tuple[int, str]:
    limit = settings.LOKET_MAX_REQUEST_BYTES
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 400, "bad Content-Length"
    if length > limit:
        return 413, TOO_LARGE.format(mb=limit // 1024 // 1024)
    body = environ["wsgi.input"].read(length) if length > 0 else b""
    signature = environ.get("HTTP_X_HUB_SIGNATURE_256")
    return accept(body, signature, environ.get("REMOTE_ADDR"))


def _count(status: int) -> None:
    if not metrics.enabled():
        return
    if status < 300:
        metrics.add(metrics.WEBHOOK_REQUESTS, result="accepted", reason="")
    else:
        reason = metrics.REFUSAL_REASONS.get(status, f"http_{status}")
        metrics.add(metrics.WEBHOOK_REQUESTS, result="refused", reason=reason)
