"""Builds the webhook bodies Meta would send for a citizen's message in the simulator."""

import time
import uuid

from loket.whatsapp.signature import sign


def message_body(
    phone_number_id: str, display_number: str, wa_id: str, name: str, message: dict
) -> dict:
    return {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": "SIMULATOR-WABA",
                "changes": [
                    {
                        "field": "messages",
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": {
                                "display_phone_number": display_number,
                                "phone_number_id": phone_number_id,
                            },
                            "contacts": [
                                {
                                    "profile": {"name": name},
                                    "wa_id": wa_id,
                                    "user_id": f"ID.sim{wa_id}",
                                }
                            ],
                            "messages": [
                                {
                                    "from": wa_id,
                                    "id": new_message_id(),
                                    "timestamp": str(int(time.time())),
                                    **message,
                                }
                            ],
                        },
                    }
                ],
            }
        ],
    }


def text_message(text: str) -> dict:
    return {"type": "text", "text": {"body": text}}


def reply_message(kind: str, reply_id: str, title: str) -> dict:
    return {
        "type": "interactive",
        "interactive": {"type": kind, kind: {"id": reply_id, "title": title}},
    }


def new_message_id() -> str:
    return f"wamid.SIM{uuid.uuid4().hex}"


def signed(body: bytes, app_secret: str) -> dict:
    return {"Content-Type": "application/json", "X-Hub-Signature-256": sign(body, app_secret)}


def status_body(phone_number_id: str, wa_id: str, wa_message_ids: list[str], status: str) -> dict:
    """The status webhook Meta sends when the citizen's phone got or showed a message."""
    return {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": "SIMULATOR-WABA",
                "changes": [
                    {
                        "field": "messages",
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": {"phone_number_id": phone_number_id},
                            "statuses": [
                                {
                                    "id": message_id,
                                    "status": status,
                                    "recipient_id": wa_id,
                                    "timestamp": str(int(time.time())),
                                }
                                for message_id in wa_message_ids
                            ],
                        },
                    }
                ],
            }
        ],
    }
