"""The built-in WhatsApp simulator: a phone-like chat page and a fake Graph API endpoint.

Only mounted when SIMULATOR_ENABLED (embedded default, no real access token, not production).
The page posts real signed webhooks to the app; the app's outbound Graph calls land here.
"""

import json

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from loket.simulator import media, webhook
from loket.simulator.models import SimulatedMedia, SimulatedMessage
from loket.whatsapp import inbound, payload

DEFAULT_WA_ID = "6281234567890"


def _wa_id(request: HttpRequest) -> str:
    value = request.GET.get("wa_id") or request.POST.get("wa_id") or DEFAULT_WA_ID
    digits = "".join(ch for ch in value if ch.isdigit())
    return digits[:20] or DEFAULT_WA_ID


@require_GET
def chat(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "simulator/chat.html",
        {
            "wa_id": _wa_id(request),
            "name": request.GET.get("name", "Budi"),
            "display_number": settings.SIMULATOR_DISPLAY_NUMBER,
        },
    )


@require_GET
def feed(request: HttpRequest) -> HttpResponse:
    wa_id = _wa_id(request)
    messages = list(SimulatedMessage.objects.filter(wa_id=wa_id).order_by("-id")[:60])
    report_read(wa_id, [m for m in messages if m.direction == "out" and not m.read_reported])
    return render(request, "simulator/feed.html", {"messages": reversed(messages)})


def report_read(wa_id: str, shown: list[SimulatedMessage]) -> None:
    """The phone shows the replies: tell the app they were delivered and read, as Meta would."""
    if not shown:
        return
    ids = [m.wa_message_id for m in shown]
    for status in ("delivered", "read"):
        body = webhook.status_body(settings.WHATSAPP_PHONE_NUMBER_ID, wa_id, ids, status)
        inbound.store_batch(payload.parse(body))
    SimulatedMessage.objects.filter(pk__in=[m.pk for m in shown]).update(read_reported=True)


@require_POST
def compose(request: HttpRequest) -> JsonResponse:
    """Turns what the citizen typed or tapped into a signed webhook body for the page to post."""
    wa_id = _wa_id(request)
    post = {k: v.replace("\x00", "") for k, v in request.POST.items()}  # no phone types NUL
    if post.get("reply_id"):
        message = webhook.reply_message(
            post.get("kind", "button_reply"),
            post["reply_id"],
            post.get("title", ""),
        )
    elif request.FILES.get("file"):
        try:
            message = media.store(request.FILES["file"], request.POST.get("text", "").strip())
        except media.MediaError as error:
            return JsonResponse({"error": str(error)}, status=400)
    else:
        text = post.get("text", "").strip()
        if not text:
            return JsonResponse({"error": "kosong"}, status=400)
        message = webhook.text_message(text[:4096])
    body = webhook.message_body(
        settings.WHATSAPP_PHONE_NUMBER_ID,
        settings.SIMULATOR_DISPLAY_NUMBER,
        wa_id,
        post.get("name", "Budi")[:60],
        message,
    )
    inner = body["entry"][0]["changes"][0]["value"]["messages"][0]
    SimulatedMessage.objects.create(
        phone_number_id=settings.WHATSAPP_PHONE_NUMBER_ID,
        wa_id=wa_id,
        direction=SimulatedMessage.Direction.IN,
        wa_message_id=inner["id"],
        body={k: v for k, v in inner.items() if k not in ("from", "id", "timestamp")},
    )
    raw = json.dumps(body).encode()
    return JsonResponse(
        {
            "body": raw.decode(),
            "signature": webhook.signed(raw, settings.WHATSAPP_APP_SECRET)["X-Hub-Signature-256"],
        }
    )


@csrf_exempt
@require_POST
def graph_messages(request: HttpRequest, version: str, phone_number_id: str) -> JsonResponse:
    """The fake Graph API: answers like Meta's POST /{version}/{phone-number-id}/messages."""
    if request.headers.get("Authorization") != f"Bearer {settings.WHATSAPP_ACCESS_TOKEN}":
        return JsonResponse(
            {
                "error": {
                    "message": "Invalid OAuth access token.",
                    "code": 190,
                    "type": "OAuthException",
                }
            },
            status=401,
        )
    try:
        body = json.loads(request.body)
    except ValueError:
        return JsonResponse({"error": {"message": "Invalid JSON", "code": 100}}, status=400)
    if not isinstance(body, dict):
        body = {}  # answered below as Meta does: (#100) Invalid parameter
    to = str(body.get("to") or body.get("recipient") or "")
    wa_id = to.removeprefix("ID.sim") if to.startswith("ID.sim") else to
    if not wa_id or body.get("messaging_product") != "whatsapp" or "type" not in body:
        return JsonResponse(
            {"error": {"message": "(#100) Invalid parameter", "code": 100}}, status=400
        )
    message_id = webhook.new_message_id()
    if body.get("type") == "template":
        body["shown"] = media.template_text(phone_number_id, body.get("template") or {})
    SimulatedMessage.objects.create(
        phone_number_id=phone_number_id,
        wa_id=wa_id,
        direction=SimulatedMessage.Direction.OUT,
        wa_message_id=message_id,
        body={
            k: v
            for k, v in body.items()
            if k not in ("messaging_product", "recipient_type", "to", "recipient")
        },
    )
    return JsonResponse(
        {
            "messaging_product": "whatsapp",
            "contacts": [{"input": to, "wa_id": wa_id}],
            "messages": [{"id": message_id}],
        }
    )


def _bearer_ok(request: HttpRequest) -> bool:
    return request.headers.get("Authorization") == f"Bearer {settings.WHATSAPP_ACCESS_TOKEN}"


@require_GET
def graph_media(request: HttpRequest, version: str, media_id: str) -> JsonResponse:
    """The fake Graph API's GET /{version}/{media-id}: where to download a citizen's media."""
    if not _bearer_ok(request):
        return JsonResponse(
            {"error": {"message": "Invalid OAuth access token.", "code": 190}}, status=401
        )
    item = SimulatedMedia.objects.filter(media_id=media_id).first()
    if item is None:
        return JsonResponse(
            {"error": {"message": "Unsupported get request.", "code": 100}}, status=404
        )
    return JsonResponse(
        {
            "messaging_product": "whatsapp",
            "url": request.build_absolute_uri(reverse("simulator:media-bytes", args=[media_id])),
            "mime_type": item.mime,
            "file_size": len(item.data),
            "id": media_id,
        }
    )


@require_GET
def media_bytes(request: HttpRequest, media_id: str) -> HttpResponse:
    """The media's bytes: with the bearer token for the app, as Meta's CDN link; the simulator
    page shows the citizen's own photos from here too."""
    item = SimulatedMedia.objects.filter(media_id=media_id).first()
    if item is None:
        return HttpResponse(status=404)
    response = HttpResponse(bytes(item.data), content_type=item.mime)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
