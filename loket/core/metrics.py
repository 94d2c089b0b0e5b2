"""Counts for Prometheus that happen outside any stored row, shared by all processes.

Web and worker processes count in memory (a lock and a dict: nothing on the hot path touches
the database); a daemon thread of each process adds the counts to `MetricTotal` rows every
LOKET_METRICS_FLUSH_SECONDS (and at exit), on its own connection. The /metrics view
(loket.ops.metrics) reads the rows plus its own process's pending counts: many gunicorn
processes and workers answer as one. Counts of a process killed before its flush (at most
LOKET_METRICS_FLUSH_SECONDS of them) are lost: these are metrics, not records. Everything else
the metrics show is computed from the database at scrape time.
"""

import atexit
import datetime as dt
import logging
import threading
import time
from collections import defaultdict

from django.conf import settings
from django.db import DatabaseError, IntegrityError, connection, connections, transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

WEBHOOK_PREFIX = "/webhooks/"
# inbound message received -> bot reply accepted by the Graph API
REPLY_BUCKETS = (0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 300.0)
REPLY_LATENCY = "loket_reply_latency_seconds"
WEBHOOK_REQUESTS = "loket_webhook_requests_total"
REFUSAL_REASONS = {
    400: "bad_request",
    403: "signature",
    405: "method",
    413: "too_large",
    503: "database",
}

_lock = threading.Lock()
_pending: defaultdict[tuple[str, str], float] = defaultdict(float)
_flusher: threading.Thread | None = None


def enabled() -> bool:
    return bool(getattr(settings, "LOKET_METRICS_TOKEN", ""))


def labels_text(**labels: str) -> str:
    return ",".join(f"{k}={v}" for k, v in sorted(labels.items()))


def add(name: str, amount: float = 1.0, **labels: str) -> None:
    if not enabled():
        return
    with _lock:
        _pending[(name, labels_text(**labels))] += amount
    if _flusher is None and settings.LOKET_METRICS_FLUSH_SECONDS > 0:
        _start_flusher()


def _start_flusher() -> None:
    global _flusher
    with _lock:
        if _flusher is not None:
            return
        _flusher = threading.Thread(target=_flush_forever, name="loket-metrics", daemon=True)
    _flusher.start()
    atexit.register(_flush_quietly)


def _flush_quietly() -> None:
    try:
        flush()
    except Exception:  # noqa: BLE001 - metrics never break the process
        logger.debug("metrics flush failed", exc_info=True)
    finally:
        connections.close_all()  # this thread's connections


def _flush_forever() -> None:
    while True:
        time.sleep(settings.LOKET_METRICS_FLUSH_SECONDS)
        if _pending:
            _flush_quietly()


def observe_reply(received_at: dt.datetime | None, replied_at: dt.datetime) -> None:
    """One bot reply: from the citizen's last message to the Graph API's acceptance."""
    if received_at is None:
        return
    seconds = (replied_at - received_at).total_seconds()
    if not 0 <= seconds < 24 * 3600:  # not a reply to that message
        return
    for bound in REPLY_BUCKETS:
        if seconds <= bound:
            add(f"{REPLY_LATENCY}_bucket", le=str(bound))
    add(f"{REPLY_LATENCY}_bucket", le="+Inf")
    add(f"{REPLY_LATENCY}_sum", seconds)
    add(f"{REPLY_LATENCY}_count")


def flush() -> int:
    """Adds this process's pending counts to the database; keeps them when it cannot."""
    if connection.in_atomic_block:  # never inside the caller's transaction: next time
        return 0
    from loket.core.models import MetricTotal

    with _lock:
        pending = dict(_pending)
        _pending.clear()
        _flusher: threading.Thread | None = None
    try:
        for (name, labels), amount in sorted(pending.items()):
            with transaction.atomic():
                rows = MetricTotal.objects.filter(name=name, labels=labels)
                if not rows.update(value=F("value") + amount):
                    try:
                        with transaction.atomic():
                            MetricTotal.objects.create(name=name, labels=labels, value=amount)
                    except IntegrityError:  # another process created it meanwhile
                        rows.update(value=F("value") + amount)
            pending.pop((name, labels))
    except DatabaseError:
        logger.warning("metrics: database unreachable, %d counts kept for later", len(pending))
        with _lock:
            for key, amount in pending.items():
                _pending[key] += amount
        return 0
    return len(pending)


class WebhookMetricsMiddleware:
    """Counts webhook deliveries by result (HTTP status), outside the view's code."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.method == "POST" and request.path.startswith(WEBHOOK_PREFIX) and enabled():
            status = response.status_code
            if status < 300:
                add(WEBHOOK_REQUESTS, result="accepted", reason="")
            else:
                reason = REFUSAL_REASONS.get(status, f"http_{status}")
                add(WEBHOOK_REQUESTS, result="refused", reason=reason)
        return response
