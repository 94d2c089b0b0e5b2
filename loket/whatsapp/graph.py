"""A thin client of the WhatsApp Cloud API (Graph API) on httpx: one function a call."""

import os
import time
from dataclasses import dataclass

import httpx
from django.conf import settings

# Errors worth trying again: rate limits, Meta-side trouble. Everything else is permanent.
RETRYABLE_CODES = {"4", "80007", "130429", "131048", "131056", "131000", "131016", "2", "1"}


@dataclass(frozen=True)
class GraphResult:
    ok: bool
    retryable: bool
    http_status: int | None
    wa_message_id: str = ""
    error_code: str = ""
    error_message: str = ""
    duration_ms: int = 0


_clients: dict[int, httpx.Client] = {}


def _client() -> httpx.Client:
    """One keep-alive client per process (making one loads the CA bundle: ~20-50 ms)."""
    pid = os.getpid()  # a forked worker must not share its parent's connections
    client = _clients.get(pid)
    if client is None:
        client = _clients[pid] = httpx.Client(timeout=settings.WHATSAPP_TIMEOUT_SECONDS)
    return client


def messages_url(phone_number_id: str) -> str:
    return (
        f"{settings.WHATSAPP_GRAPH_URL}/{settings.WHATSAPP_API_VERSION}/{phone_number_id}/messages"
    )


def send_message(phone_number_id: str, body: dict) -> GraphResult:
    """POSTs one message. Never raises for HTTP or network trouble: it says what happened."""
    started = time.monotonic()
    headers = {"Authorization": f"Bearer {settings.WHATSAPP_ACCESS_TOKEN}"}
    try:
        response = _client().post(messages_url(phone_number_id), json=body, headers=headers)
    except httpx.HTTPError as exc:
        return GraphResult(
            ok=False,
            retryable=True,
            http_status=None,
            error_code="network",
            error_message=f"{type(exc).__name__}: {exc}"[:500],
            duration_ms=int((time.monotonic() - started) * 1000),
        )
    duration_ms = int((time.monotonic() - started) * 1000)
    try:
        data = response.json()
    except ValueError:
        data = {}
    if response.status_code == 200 and (data.get("messages") or [{}])[0].get("id"):
        return GraphResult(
            ok=True,
            retryable=False,
            http_status=200,
            wa_message_id=data["messages"][0]["id"],
            duration_ms=duration_ms,
        )
    error = data.get("error") if isinstance(data, dict) else None
    error = error if isinstance(error, dict) else {}
    code = str(error.get("code", ""))
    retryable = (
        response.status_code == 429 or response.status_code >= 500 or code in RETRYABLE_CODES
    )
    message = str(error.get("message") or response.text[:300])
    details = (error.get("error_data") or {}).get("details")
    if details:
        message = f"{message} ({details})"
    return GraphResult(
        ok=False,
        retryable=retryable,
        http_status=response.status_code,
        error_code=code or str(response.status_code),
        error_message=message[:1000],
        duration_ms=duration_ms,
    )


def download_media(media_id: str) -> tuple[bytes, str]:
    """Fetches a citizen's media: its URL from the Graph API, then the bytes (bearer token)."""
    headers = {"Authorization": f"Bearer {settings.WHATSAPP_ACCESS_TOKEN}"}
    client = _client()
    meta = client.get(
        f"{settings.WHATSAPP_GRAPH_URL}/{settings.WHATSAPP_API_VERSION}/{media_id}",
        headers=headers,
    )
    meta.raise_for_status()
    info = meta.json()
    content = client.get(info["url"], headers=headers)
    content.raise_for_status()
    return content.content, info.get("mime_type", "application/octet-stream")
