"""GET /metrics for Prometheus (prometheus-client's exposition), behind a bearer token.

Computed at scrape time from the database, so every gunicorn process answers the same:
gauges (queue depth and age, workers, outbox and inbound backlog, applications by state) and
counters that are row counts (webhook items accepted and rejected, Graph API errors by code).
What no row records (webhook requests refused before anything is stored, reply latency) is
counted by each process in memory and added to `MetricTotal` rows (loket.core.metrics).
The webhook's hot path writes nothing for this.
"""

import hmac
from collections import defaultdict

from django.conf import settings
from django.db.models import Count, Min
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
)

from loket.core import metrics as totals
from loket.core.views import live_workers, oldest_due_task_age


def _parse(labels: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in labels.split(",") if "=" in part)


def stored_totals() -> dict[tuple[str, str], float]:
    """MetricTotal rows plus what this process has not flushed yet."""
    from loket.core.models import MetricTotal

    totals.flush()
    found: defaultdict[tuple[str, str], float] = defaultdict(float)
    for name, labels, value in MetricTotal.objects.values_list("name", "labels", "value"):
        found[(name, labels)] += value
    with totals._lock:
        for key, value in totals._pending.items():
            found[key] += value
    return found


class LoketCollector:
    def collect(self):
        from django_tasks_db.models import DBTaskResult, TaskResultStatus

        from loket.applications.models import Application
        from loket.whatsapp.models import (
            InboundMessage,
            OutboundMessage,
            RejectedWebhookItem,
            SendAttempt,
            StatusEvent,
        )

        now = timezone.now()
        stored = stored_totals()

        requests = CounterMetricFamily(
            "loket_webhook_requests",
            "Webhook POSTs by result; refused ones by reason (signature, too_large, database…)",
            labels=["result", "reason"],
        )
        for (name, labels), value in sorted(stored.items()):
            if name == totals.WEBHOOK_REQUESTS:
                parsed = _parse(labels)
                requests.add_metric([parsed.get("result", ""), parsed.get("reason", "")], value)
        yield requests

        items = CounterMetricFamily(
            "loket_webhook_items",
            "Items of signed webhooks: stored (accepted) or kept aside as malformed (rejected)",
            labels=["kind", "outcome"],
        )
        items.add_metric(["message", "accepted"], InboundMessage.objects.count())
        items.add_metric(["status", "accepted"], StatusEvent.objects.count())
        for kind, n in (
            RejectedWebhookItem.objects.values_list("kind").annotate(n=Count("id")).order_by()
        ):
            items.add_metric([kind, "rejected"], n)
        yield items

        tasks = GaugeMetricFamily(
            "loket_task_queue_depth", "Tasks of the database queue by status", labels=["status"]
        )
        for status, n in (
            DBTaskResult.objects.values_list("status").annotate(n=Count("id")).order_by()
        ):
            if status in (TaskResultStatus.READY, TaskResultStatus.RUNNING):
                tasks.add_metric([status.lower()], n)
        yield tasks
        yield GaugeMetricFamily(
            "loket_task_queue_oldest_age_seconds",
            "How long the oldest task due to run has waited (0 when none waits)",
            value=oldest_due_task_age(now) or 0.0,
        )
        yield GaugeMetricFamily(
            "loket_task_workers", "Task workers with a live heartbeat", value=live_workers(now)
        )

        backlog = GaugeMetricFamily(
            "loket_outbox_backlog", "Outbound messages not yet accepted by Meta", labels=["status"]
        )
        waiting = OutboundMessage.objects.filter(
            status__in=[OutboundMessage.Status.QUEUED, OutboundMessage.Status.SENDING]
        )
        counts = dict(waiting.values_list("status").annotate(n=Count("id")).order_by())
        for status in (OutboundMessage.Status.QUEUED, OutboundMessage.Status.SENDING):
            backlog.add_metric([status], counts.get(status, 0))
        yield backlog
        oldest = waiting.aggregate(oldest=Min("created_at"))["oldest"]
        yield GaugeMetricFamily(
            "loket_outbox_oldest_age_seconds",
            "Age of the oldest outbound message not yet accepted (0 when none)",
            value=(now - oldest).total_seconds() if oldest else 0.0,
        )
        yield GaugeMetricFamily(
            "loket_inbound_backlog",
            "Inbound messages stored but not yet handled by the bot",
            value=InboundMessage.objects.filter(
                state__in=[InboundMessage.State.NEW, InboundMessage.State.PROCESSING]
            ).count(),
        )

        errors = CounterMetricFamily(
            "loket_graph_errors",
            "Graph API send attempts that failed, by error code (Meta's code, HTTP status, "
            "'network')",
            labels=["code"],
        )
        for code, n in (
            SendAttempt.objects.exclude(error_code="")
            .values_list("error_code")
            .annotate(n=Count("id"))
            .order_by()
        ):
            errors.add_metric([code], n)
        yield errors

        states = GaugeMetricFamily(
            "loket_applications", "Applications by state, all offices", labels=["state"]
        )
        by_state = dict(Application.objects.values_list("state").annotate(n=Count("id")).order_by())
        for state in Application._meta.get_field("state").choices:
            states.add_metric([state[0]], by_state.get(state[0], 0))
        yield states

        yield self.reply_latency(stored)

    def reply_latency(self, stored) -> HistogramMetricFamily:
        name = totals.REPLY_LATENCY
        buckets = [
            (bound, stored.get((f"{name}_bucket", f"le={bound}"), 0.0))
            for bound in [*map(str, totals.REPLY_BUCKETS), "+Inf"]
        ]
        return HistogramMetricFamily(
            name,
            "Citizen's message received -> bot reply accepted by the Graph API",
            buckets=buckets,
            sum_value=stored.get((f"{name}_sum", ""), 0.0),
        )


def authorized(request: HttpRequest) -> bool:
    expected = f"Bearer {settings.LOKET_METRICS_TOKEN}".encode()
    given = request.headers.get("Authorization", "").encode()
    return hmac.compare_digest(given, expected)


@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    if not settings.LOKET_METRICS_TOKEN:
        raise Http404("metrics are off: set LOKET_METRICS_TOKEN")
    if not authorized(request):
        response = HttpResponse("token required\n", status=401, content_type="text/plain")
        response["WWW-Authenticate"] = 'Bearer realm="loket-metrics"'
        return response
    registry = CollectorRegistry(auto_describe=False)
    registry.register(LoketCollector())
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
