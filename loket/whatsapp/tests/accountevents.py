"""Signed account-level webhooks (templates, number quality) as Meta sends them."""

import json

from django.conf import settings
from django.utils import timezone

from loket.whatsapp.signature import sign

WABA = "102290129340398"


def account_body(field: str, value: dict, waba: str = WABA, time: int | None = None) -> dict:
    return {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": waba,
                "time": int(time if time is not None else timezone.now().timestamp()),
                "changes": [{"field": field, "value": value}],
            }
        ],
    }


def post_account_change(client, field: str, value: dict, waba: str = WABA, time=None):
    raw = json.dumps(account_body(field, value, waba, time)).encode()
    return client.post(
        "/webhooks/whatsapp/",
        raw,
        content_type="application/json",
        HTTP_X_HUB_SIGNATURE_256=sign(raw, settings.WHATSAPP_APP_SECRET),
    )
