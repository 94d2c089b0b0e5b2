"""Web-wide guards: body size and the content security policy before any view, and no-store on
every response that carries personal data."""

import secrets

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

from loket.core.locale import is_staff_path

TOO_LARGE = (
    "<!doctype html><html lang=id><meta charset=utf-8><title>Terlalu besar</title>"
    "<p>Kiriman terlalu besar (maksimal {mb} MB sekaligus). Kecilkan foto atau kirim berkas "
    "satu per satu.</p></html>"
)


class RequestSizeLimitMiddleware:
    """Refuses a body whose declared length is over LOKET_MAX_REQUEST_BYTES before a byte of it
    is read (413). Bodies without a length are read by Django as empty, so they cannot pass."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.LOKET_MAX_REQUEST_BYTES
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return HttpResponse("bad Content-Length", status=400, content_type="text/plain")
        if declared > limit:
            return HttpResponse(TOO_LARGE.format(mb=limit // 1024 // 1024), status=413)
        return self.get_response(request)


class ContentSecurityPolicyMiddleware:
    """Sets the page's Content-Security-Policy: scripts from our own static files or with this
    request's nonce only (`request.csp_nonce`, for the few inline scripts of our templates).
    A view may set its own policy (stored files set a sandbox); it is kept."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.csp_nonce = secrets.token_urlsafe(16)
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = settings.LOKET_CSP.format(nonce=request.csp_nonce)
        return response


def is_personal(request) -> bool:
    """A page behind a personal link (any URL with a `token`), or a staff/admin page."""
    match = getattr(request, "resolver_match", None)
    if match is not None and "token" in match.kwargs:
        return True
    return is_staff_path(request.path)


class PersonalPagesMiddleware:
    """Cache-Control: no-store on every personal page: one rule at one place, so a new page
    behind a personal link cannot forget it. (The Referer already stays on our own origin:
    SecurityMiddleware's `same-origin`; `no-referrer` would make browsers send `Origin: null`
    with the forms, which CSRF refuses.)
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if is_personal(request):
            add_never_cache_headers(response)
            response["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
        return response
