import datetime as dt

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.http import require_GET


def _check_database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"ok": True}


def _check_cache() -> dict:
    key = "loket:healthz"
    cache.set(key, "1", 30)
    if cache.get(key) != "1":
        return {"ok": False, "error": "cache did not return what was stored"}
    return {"ok": True}


def oldest_due_task_age(now: dt.datetime) -> float | None:
    """Seconds the oldest task due to run has waited (None: the queue is empty)."""
    from django_tasks_db.models import DBTaskResult, TaskResultStatus, get_date_max

    ready = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    waiting = [
        ready.filter(run_after=get_date_max())
        .order_by("enqueued_at")
        .values_list("enqueued_at", flat=True)
        .first(),
        ready.filter(run_after__lte=now)
        .order_by("run_after")
        .values_list("run_after", flat=True)
        .first(),
    ]
    since = min((w for w in waiting if w is not None), default=None)
    return None if since is None else max((now - since).total_seconds(), 0.0)


def live_workers(now: dt.datetime) -> int:
    from loket.core.models import WorkerLease

    lease = dt.timedelta(seconds=settings.LOKET_TASK_LEASE_SECONDS)
    return WorkerLease.objects.filter(heartbeat_at__gte=now - lease).count()


def _check_tasks() -> dict:
    from django.utils import timezone

    now = timezone.now()
    age = oldest_due_task_age(now)
    workers = live_workers(now)
    limit = settings.LOKET_HEALTH_MAX_TASK_AGE_SECONDS
    result = {"ok": True, "workers": workers, "oldest_due_seconds": age}
    if age is not None and age > limit:
        result["ok"] = False
        result["error"] = f"oldest task waits {age:.0f} s (> {limit} s): " + (
            "no worker heartbeat, start `loket worker`" if not workers else "workers behind"
        )
    return result


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """Which dependency is down, as JSON: 200 when all are up, else 503.

    database; cache (only when REDIS_URL is set); tasks (down when the oldest due task waited
    longer than LOKET_HEALTH_MAX_TASK_AGE_SECONDS, saying whether any worker heartbeats).
    """
    checks = {"database": _check_database}
    if settings.REDIS_URL:
        checks["cache"] = _check_cache
    checks["tasks"] = _check_tasks
    report = {}
    for name, check in checks.items():
        try:
            report[name] = check()
        except Exception as error:  # noqa: BLE001 - any failure of a dependency means down
            report[name] = {"ok": False, "error": f"{type(error).__name__}: {error}"[:300]}
            if name == "database":  # the task check reads the database too
                report["tasks"] = {"ok": False, "error": "database unreachable"}
                break
    down = sorted(name for name, result in report.items() if not result["ok"])
    body = {"status": "down" if down else "ok", "down": down, "checks": report}
    return JsonResponse(body, status=503 if down else 200)


def ping(request: HttpRequest) -> HttpResponse:
    """A trivial 200 OK with no database work: the baseline the benchmarks compare against."""
    return HttpResponse("pong\n", content_type="text/plain")


def link_error(request: HttpRequest, reason: str) -> HttpResponse:
    """The page for a personal link that is expired or revoked (410) or invalid (404)."""
    status = 410 if reason in ("expired", "revoked") else 404
    return render(request, "core/link_error.html", {"reason": reason}, status=status)


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask /favicon.ico on every site: send them to the static icon."""
    return redirect(static("loket/favicon.ico"), permanent=True)
