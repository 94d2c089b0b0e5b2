"""The Graph API's management side: message templates, the number's rating, media upload.

One function a call, on the same keep-alive client as sending (`graph._client`). Calls that
fail raise `GraphError` with Meta's code and message (and the user-facing message Meta gives
for template reviews), never a bare httpx exception.
"""

from collections.abc import Iterator

import httpx
from django.conf import settings

from loket.whatsapp import graph

TEMPLATE_FIELDS = "id,name,language,status,category,components,rejected_reason,quality_score"


class GraphError(Exception):
    def __init__(
        self,
        message: str,
        code: str = "",
        http_status: int | None = None,
        retryable: bool = False,
        user_message: str = "",
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.http_status = http_status
        self.retryable = retryable
        self.user_message = user_message

    def __str__(self) -> str:
        text = f"{self.code}: {self.message}" if self.code else self.message
        return f"{text} ({self.user_message})" if self.user_message else text


def _url(*parts: str) -> str:
    return "/".join([settings.WHATSAPP_GRAPH_URL, settings.WHATSAPP_API_VERSION, *parts])


def _headers() -> dict:
    return {"Authorization": f"Bearer {settings.WHATSAPP_ACCESS_TOKEN}"}


def _call(method: str, url: str, **kwargs) -> dict:
    try:
        response = graph._client().request(method, url, headers=_headers(), **kwargs)
    except httpx.HTTPError as exc:
        raise GraphError(f"{type(exc).__name__}: {exc}"[:500], "network", retryable=True) from exc
    try:
        data = response.json()
    except ValueError:
        data = {}
    if response.status_code == 200 and isinstance(data, dict) and "error" not in data:
        return data
    error = data.get("error") if isinstance(data, dict) else None
    error = error if isinstance(error, dict) else {}
    code = str(error.get("code", "") or response.status_code)
    subcode = error.get("error_subcode")
    message = str(error.get("message") or response.text[:300] or response.status_code)
    details = (error.get("error_data") or {}).get("details") if error else None
    if details:
        message = f"{message} ({details})"
    raise GraphError(
        message[:1000],
        f"{code}/{subcode}" if subcode else code,
        response.status_code,
        retryable=response.status_code == 429
        or response.status_code >= 500
        or code in graph.RETRYABLE_CODES,
        user_message=str(error.get("error_user_msg") or "")[:500],
    )


def list_templates(business_account_id: str, page_size: int = 100) -> Iterator[list[dict]]:
    """Every template of the account, page by page (Graph cursor paging: `paging.next`)."""
    url = _url(business_account_id, "message_templates")
    params: dict | None = {"fields": TEMPLATE_FIELDS, "limit": page_size}
    while url:
        data = _call("GET", url, params=params)
        yield list(data.get("data") or [])
        url = (data.get("paging") or {}).get("next") or ""
        params = None  # the next link carries the query


def create_template(
    business_account_id: str, name: str, language: str, category: str, components: list[dict]
) -> dict:
    """Submits a template for review: {"id", "status", "category"}."""
    body = {
        "name": name,
        "language": language,
        "category": category.upper(),
        "components": components,
    }
    return _call("POST", _url(business_account_id, "message_templates"), json=body)


def delete_template(business_account_id: str, name: str) -> None:
    """Deletes the template in every language (Meta deletes by name)."""
    _call("DELETE", _url(business_account_id, "message_templates"), params={"name": name})


def number_status(phone_number_id: str) -> dict:
    """{"quality_rating": "GREEN", "messaging_limit_tier": "TIER_1K", "id": ...}."""
    return _call(
        "GET", _url(phone_number_id), params={"fields": "quality_rating,messaging_limit_tier"}
    )


def upload_media(phone_number_id: str, content: bytes, content_type: str, filename: str) -> str:
    """Uploads a file for a media message; returns Meta's media id."""
    data = _call(
        "POST",
        _url(phone_number_id, "media"),
        data={"messaging_product": "whatsapp", "type": content_type},
        files={"file": (filename, content, content_type)},
    )
    media_id = str(data.get("id") or "")
    if not media_id:
        raise GraphError("upload answered without a media id", "no-id", 200)
    return media_id
