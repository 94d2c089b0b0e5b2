from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured

from loket.core.deploy import deploy_problems

# What production lacks, in Indonesian and English, one stable id each (loket.E1xx/W1xx; the
# list and its ids: loket/core/deploy.py and docs/deploy.md). Only with `loket check --deploy`.
DEPLOY_HINT = "docs/deploy.md"


@register(Tags.security, deploy=True)
def production_readiness(app_configs, **kwargs):
    values = {name: _setting(name) for name in dir(settings) if name.isupper()}
    return [
        (Error if problem.error else Warning)(str(problem), hint=DEPLOY_HINT, id=problem.id)
        for problem in deploy_problems(values)
    ]


@register(Tags.security, deploy=False)
def whatsapp_settings(app_configs, **kwargs):
    problems = []
    real_token = settings.WHATSAPP_ACCESS_TOKEN and not settings.SIMULATOR_ENABLED
    if real_token and not settings.WHATSAPP_APP_SECRET:
        problems.append(
            Error(
                "WHATSAPP_ACCESS_TOKEN is set but WHATSAPP_APP_SECRET is not: incoming webhooks "
                "cannot be verified.",
                hint="Copy the App Secret from the Meta app dashboard.",
                id="loket.E001",
            )
        )
    if real_token and not settings.WHATSAPP_VERIFY_TOKEN:
        problems.append(
            Error(
                "WHATSAPP_VERIFY_TOKEN is not set: Meta cannot verify the webhook URL.",
                id="loket.E002",
            )
        )
    if real_token and not settings.WHATSAPP_PHONE_NUMBER_ID:
        problems.append(
            Warning(
                "WHATSAPP_PHONE_NUMBER_ID is not set: seed-demo cannot give the office its number.",
                id="loket.W001",
            )
        )
    if settings.PRODUCTION and settings.LOKET_PUBLIC_URL.startswith("http://127."):
        problems.append(
            Error(
                "LOKET_PUBLIC_URL points at 127.0.0.1: links sent to citizens would not open.",
                id="loket.E003",
            )
        )
    return problems


def _setting(name: str):
    try:
        return getattr(settings, name)
    except ImproperlyConfigured:  # an empty SECRET_KEY, read only to be reported
        return ""
