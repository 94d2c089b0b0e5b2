"""The webhook's short road (`loket.wsgi.application`), over real HTTP on 127.0.0.1.

The production entry point hands `POST /webhooks/whatsapp/` to `loket.whatsapp.wsgi` instead
of Django's middleware stack. These tests serve that very WSGI application and check it keeps
what the middleware gave the webhook: the body limit, the counters, Django for everything else.
"""

import json
import threading
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import httpx
import pytest
from django.conf import settings
from django.db import connections

from loket.conftest import run_tasks, sent_texts
from loket.core import metrics
from loket.simulator import webhook as simulated
from loket.whatsapp.models import InboundMessage, RejectedWebhookItem
from loket.whatsapp.signature import sign


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args) -> None:
        pass


class _Server(WSGIServer):
    def serve_until_shutdown(self) -> None:
        try:
            self.serve_forever(poll_interval=0.05)
        finally:
            connections.close_all()  # this thread's database connections


@pytest.fixture
def base_url(transactional_db, office):
    import loket.wsgi

    server = make_server(
        "127.0.0.1", 0, loket.wsgi.application, server_class=_Server, handler_class=_Quiet
    )
    thread = threading.Thread(target=server.serve_until_shutdown, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)
    server.server_close()


def delivery(text: str, wa_id: str = "6281234500001") -> bytes:
    body = simulated.message_body(
        settings.WHATSAPP_PHONE_NUMBER_ID, "+62 542 0", wa_id, "Budi", simulated.text_message(text)
    )
    return json.dumps(body).encode()


def post(base_url: str, raw: bytes, signature: str | None = "good") -> httpx.Response:
    headers = {"Content-Type": "application/json"}
    if signature == "good":
        headers["X-Hub-Signature-256"] = sign(raw, settings.WHATSAPP_APP_SECRET)
    elif signature:
        headers["X-Hub-Signature-256"] = signature
    return httpx.post(f"{base_url}/webhooks/whatsapp/", content=raw, headers=headers)


def test_a_signed_message_is_stored_beside_django_and_answered(base_url, fake_graph):
    response = post(base_url, delivery("mau bikin akta kelahiran anak"))
    assert (response.status_code, response.text) == (200, "ok")
    # Django's middleware never ran: none of the headers it puts on every page.
    assert "Content-Security-Policy" not in response.headers
    assert "X-Frame-Options" not in response.headers
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    message = InboundMessage.objects.get()
    assert (message.text, message.state) == ("mau bikin akta kelahiran anak", "new")
    run_tasks()
    assert "Akta Kelahiran" in sent_texts(fake_graph, "6281234500001")[0]


def test_a_redelivery_is_acknowledged_and_stored_once(base_url):
    raw = delivery("halo")
    assert post(base_url, raw).status_code == 200
    assert post(base_url, raw).status_code == 200
    assert InboundMessage.objects.count() == 1


def test_a_bad_or_missing_signature_is_refused_and_nothing_stored(base_url):
    raw = delivery("halo")
    assert post(base_url, raw, "sha256=" + "0" * 64).status_code == 403
    assert post(base_url, raw, None).status_code == 403
    assert not InboundMessage.objects.exists()


def test_a_body_over_the_limit_is_refused_before_it_is_read(base_url, settings):
    settings.LOKET_MAX_REQUEST_BYTES = 1024
    raw = delivery("x" * 2000)
    response = post(base_url, raw)
    assert response.status_code == 413
    assert "MB" in response.text
    assert not InboundMessage.objects.exists()


def test_signed_but_unreadable_json_is_kept_as_rejected(base_url):
    response = post(base_url, b'{"object": "whatsapp_business_account", "entry": [')
    assert response.status_code == 200
    assert RejectedWebhookItem.objects.get().kind == "body"


def test_every_other_request_still_goes_through_django(base_url):
    handshake = httpx.get(
        f"{base_url}/webhooks/whatsapp/",
        params={
            "hub.mode": "subscribe",
            "hub.challenge": "42",
            "hub.verify_token": settings.WHATSAPP_VERIFY_TOKEN,
        },
    )
    assert (handshake.status_code, handshake.text) == (200, "42")
    page = httpx.get(f"{base_url}/ping")
    assert page.status_code == 200
    assert "Content-Security-Policy" in page.headers  # Django's middleware ran
    # Another method on the webhook path is Django's answer too (405), not the short road's.
    assert httpx.put(f"{base_url}/webhooks/whatsapp/", content=b"{}").status_code == 405


def test_deliveries_are_counted_for_the_metrics(base_url, settings):
    settings.LOKET_METRICS_TOKEN = "t" * 32
    settings.LOKET_METRICS_FLUSH_SECONDS = 0
    metrics.flush()
    post(base_url, delivery("halo"))
    post(base_url, delivery("halo lagi", "6281234500002"), "sha256=bad")
    pending = dict(metrics._pending)
    accepted = (metrics.WEBHOOK_REQUESTS, metrics.labels_text(result="accepted", reason=""))
    refused = (metrics.WEBHOOK_REQUESTS, metrics.labels_text(result="refused", reason="signature"))
    assert pending.get(accepted) == 1
    assert pending.get(refused) == 1
