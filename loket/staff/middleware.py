"""Staff pages and the Django admin speak Indonesian, whatever language the browser asks for."""

from django.utils import translation

STAFF_PREFIXES = ("/staf/", "/admin/")


class StaffLanguageMiddleware:
    """Runs after LocaleMiddleware: on /staf/ and /admin/ the language is always Indonesian."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(STAFF_PREFIXES):
            return self.get_response(request)
        translation.activate("id")
        request.LANGUAGE_CODE = "id"
        response = self.get_response(request)
        response.headers["Content-Language"] = "id"
        return response
