from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


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
