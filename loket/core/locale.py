"""Which language a page speaks.

Staff pages (``/staf/``, ``/admin/``) follow the staff member's browser, as Django's
LocaleMiddleware does. Every other page is for citizens and speaks Indonesian whatever the
phone's Accept-Language says, unless the page was opened from a personal link of a citizen who
chose another language in the chat: then it speaks that language. Who chose what is answered by
the function named in ``settings.LOKET_CONTACT_LANGUAGE`` (the bot owns the choice; core does not
import it).
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
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


class LanguageMiddleware(LocaleMiddleware):
    def process_request(self, request: HttpRequest) -> None:
        if is_staff_path(request.path_info):
            return super().process_request(request)
        translation.activate(settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = settings.LANGUAGE_CODE
        return None

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> None:
        token = view_kwargs.get("token")
        if token and not is_staff_path(request.path_info):
            language = token_language(str(token))
            translation.activate(language)
            request.LANGUAGE_CODE = language

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if is_staff_path(request.path_info):
            return super().process_response(request, response)
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
