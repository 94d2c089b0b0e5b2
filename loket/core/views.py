from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.http import require_GET


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        return HttpResponse("database unreachable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


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
