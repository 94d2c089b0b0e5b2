"""Responses that carry personal data are never stored by a browser or a proxy cache."""

from django.utils.cache import add_never_cache_headers

STAFF_PREFIXES = ("/staf/", "/admin/")


def is_personal(request) -> bool:
    """A page behind a personal link (any URL with a `token`), or a staff/admin page."""
    match = getattr(request, "resolver_match", None)
    if match is not None and "token" in match.kwargs:
        return True
    return request.path.startswith(STAFF_PREFIXES)


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
