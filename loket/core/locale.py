"""Which language a page speaks, and which paths are the staff's.

Every page speaks Indonesian whatever the browser's Accept-Language says (most phones and many
office PCs are set to English). One exception: a page opened from a personal link of a citizen
who chose another language in the chat speaks that language. Who chose what is answered by the
function named in ``settings.LOKET_CONTACT_LANGUAGE`` (the bot owns the choice; core does not
import it).
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.module_loading import import_string

from loket.core.links import LinkError, read_token

STAFF_PREFIXES = ("/staf/", "/admin/")


def is_staff_path(path: str) -> bool:
    return path.startswith(STAFF_PREFIXES)


def contact_language(contact_id: int) -> str:
    """The language a citizen chose, or the default (Indonesian)."""
    path = getattr(settings, "LOKET_CONTACT_LANGUAGE", "")
    chosen = import_string(path)(contact_id) if path else ""
    known = {code for code, _ in settings.LANGUAGES}
    return chosen if chosen in known else settings.LANGUAGE_CODE


def token_language(token: str) -> str:
    """The language of the citizen a personal link belongs to; Indonesian for a bad link."""
    try:
        claims = read_token(token)
    except LinkError:
        return settings.LANGUAGE_CODE
    return contact_language(claims.contact_id)


class LanguageMiddleware:
    """Indonesian for every page; a citizen's own choice on the pages of their personal links."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        translation.activate(settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = settings.LANGUAGE_CODE
        response = self.get_response(request)
        response.headers["Content-Language"] = request.LANGUAGE_CODE
        return response

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> None:
        token = view_kwargs.get("token")
        if token and not is_staff_path(request.path_info):
            language = token_language(str(token))
            translation.activate(language)
            request.LANGUAGE_CODE = language
