"""The WSGI entry point: Django, with the WhatsApp webhook's POST on its short road."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "loket.settings")
django_application = get_wsgi_application()

from loket.whatsapp.wsgi import is_webhook_post, webhook_app  # noqa: E402 - after setup


def application(environ: dict, start_response):
    if is_webhook_post(environ):
        return webhook_app(environ, start_response)
    return django_application(environ, start_response)
