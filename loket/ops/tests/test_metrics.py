"""GET /metrics: token-protected, every figure computed from what really happened."""

import json
import subprocess
import sys
import time

import httpx
import pytest
from django.conf import settings as django_settings
from prometheus_client.parser import text_string_to_metric_families

from loket.core import metrics as totals
from loket.core.testing import worker_env
from loket.core.throwaway_pg import free_port
from loket.whatsapp.signature import sign

TOKEN = "scrape-token-for-tests"


def scrape(client) -> dict[tuple[str, tuple], float]:
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    return parse(response.content.decode())


def parse(text: str) -> dict[tuple[str, tuple], float]:
    samples = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


@pytest.fixture
def metrics_on(settings):
    settings.LOKET_METRICS_TOKEN = TOKEN
    with totals._lock:
        totals._pending.clear()
    yield
    with totals._lock:
        totals._pending.clear()


def test_metrics_are_off_without_a_token_and_refuse_a_wrong_one(client, db, settings):
    settings.LOKET_METRICS_TOKEN = ""
    assert client.get("/metrics").status_code == 404
    settings.LOKET_METRICS_TOKEN = TOKEN
    refused = client.get("/metrics")
    assert refused.status_code == 401 and refused["WWW-Authenticate"].startswith("Bearer")
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION=TOKEN).status_code == 401
    assert client.post("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 405


def test_metrics_count_what_happened(client, budi, fake_graph, tasks, metrics_on, personas):
    from loket.applications import demo
    from loket.catalog.models import Office

    before = scrape(client)
    assert (
        before[("loket_webhook_items_total", (("kind", "message"), ("outcome", "accepted")))] == 0
    )

    started = time.monotonic()
    assert budi.says("halo, mau bikin akta kelahiran").status_code == 200
    refused = client.post(
        "/webhooks/whatsapp/",
        b'{"object": "whatsapp_business_account"}',
        content_type="application/json",
        HTTP_X_HUB_SIGNATURE_256="sha256=" + "0" * 64,
    )
    assert refused.status_code == 403
    queued = scrape(client)  # the message waits in the inbound queue (no task per message)
    assert queued[("loket_inbound_backlog", ())] == 1
    tasks()  # the bot answers; the outbox sends through the fake Graph API
    fake_graph.fail_next(1, http_status=400, code=131047)
    budi.says("terima kasih")
    tasks()
    elapsed = time.monotonic() - started
    demo.seed(Office.objects.get())

    samples = scrape(client)
    webhook = "loket_webhook_requests_total"
    assert samples[(webhook, (("reason", ""), ("result", "accepted")))] == 2
    assert samples[(webhook, (("reason", "signature"), ("result", "refused")))] == 1
    assert (
        samples[("loket_webhook_items_total", (("kind", "message"), ("outcome", "accepted")))] == 2
    )
    assert samples[("loket_graph_errors_total", (("code", "131047"),))] == 1
    assert samples[("loket_task_queue_oldest_age_seconds", ())] == 0
    assert samples[("loket_inbound_backlog", ())] == 0
    assert samples[("loket_outbox_backlog", (("status", "queued"),))] == 0
    assert (
        samples[("loket_applications", (("state", "submitted"),))]
        + samples[("loket_applications", (("state", "draft"),))]
        >= 1
    )
    replies = samples[("loket_reply_latency_seconds_count", ())]
    assert replies >= 1  # the first answer; the second message's reply failed
    assert samples[("loket_reply_latency_seconds_bucket", (("le", "+Inf"),))] == replies
    # each reply's latency lies within the time the test took from the message to the reply
    # (+1 s: the webhook's timestamp, which the latency starts from, is in whole seconds)
    assert 0 < samples[("loket_reply_latency_seconds_sum", ())] <= (elapsed + 1) * replies


def test_an_outbox_backlog_and_a_stuck_queue_show_their_age(client, office, metrics_on):
    import datetime as dt

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from loket.whatsapp.models import Contact, OutboundMessage
    from loket.whatsapp.outbox import queue_text

    contact = Contact.objects.create(office=office, wa_id="6281234567890", phone="6281234567890")
    with_message = queue_text(contact, "pesan yang menunggu")
    ten_minutes_ago = timezone.now() - dt.timedelta(minutes=10)
    OutboundMessage.objects.filter(pk=with_message.pk).update(created_at=ten_minutes_ago)
    DBTaskResult.objects.update(enqueued_at=ten_minutes_ago)
    samples = scrape(client)
    assert samples[("loket_outbox_backlog", (("status", "queued"),))] >= 1
    assert samples[("loket_outbox_oldest_age_seconds", ())] >= 600
    assert samples[("loket_task_queue_oldest_age_seconds", ())] >= 600
    assert samples[("loket_task_workers", ())] == 0


@pytest.mark.django_db(transaction=True)
def test_many_web_processes_answer_as_one(office, tmp_path):
    """Two gunicorn processes count webhook refusals; any of them scrapes the sum."""
    port = free_port()
    env = worker_env(
        "http://127.0.0.1:9",  # no message is sent
        LOKET_METRICS_TOKEN=TOKEN,
        LOKET_METRICS_FLUSH_SECONDS="1",
        LOKET_DATA_DIR=str(tmp_path),
        LOKET_ENCRYPTION_KEY=",".join(django_settings.LOKET_ENCRYPTION_KEYS),
        SECRET_KEY=django_settings.SECRET_KEY,
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "loket", "web", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(tmp_path / "web.log").open("w"),
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                health = httpx.get(f"{base}/healthz", timeout=2)
                if health.status_code == 200:
                    break
            except httpx.HTTPError as error:
                health = error
            log = (tmp_path / "web.log").read_text()[-3000:]
            assert time.monotonic() < deadline, f"the web server did not start: {health}\n{log}"
            time.sleep(0.3)
        body = json.dumps({"object": "whatsapp_business_account", "entry": []}).encode()
        good = {"X-Hub-Signature-256": sign(body, django_settings.WHATSAPP_APP_SECRET)}
        with httpx.Client(base_url=base, timeout=10) as http:
            # new connections each time: gunicorn hands them to either process
            for _ in range(20):
                assert (
                    http.post("/webhooks/whatsapp/", content=body, headers=good).status_code == 200
                )
                bad = http.post(
                    "/webhooks/whatsapp/", content=body, headers={"Connection": "close"}
                )
                assert bad.status_code == 403
        wanted = {
            ("loket_webhook_requests_total", (("reason", ""), ("result", "accepted"))): 20,
            ("loket_webhook_requests_total", (("reason", "signature"), ("result", "refused"))): 20,
        }
        deadline = time.monotonic() + 30
        while True:
            text = httpx.get(
                f"{base}/metrics", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10
            ).text
            samples = parse(text)
            if all(samples.get(k) == v for k, v in wanted.items()):
                break
            assert time.monotonic() < deadline, {k: samples.get(k) for k in wanted}
            time.sleep(0.5)
    finally:
        server.terminate()
        server.wait(timeout=30)
