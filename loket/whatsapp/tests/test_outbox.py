import pytest
from django.utils import timezone

from loket.whatsapp import outbox
from loket.whatsapp.models import Contact, OutboundMessage
from loket.whatsapp.tasks import deliver

pytestmark = pytest.mark.django_db


@pytest.fixture
def contact(office):
    return Contact.objects.create(
        office=office, wa_id="6281234567890", profile_name="Budi", last_inbound_at=timezone.now()
    )


def make_due(message):
    OutboundMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())


def test_it_sends_a_queued_text_through_the_graph_api(contact, fake_graph, tasks):
    message = outbox.queue_text(contact, "Halo Budi")
    tasks()
    message.refresh_from_db()
    assert message.status == OutboundMessage.Status.ACCEPTED
    assert message.wa_message_id.startswith("wamid.FAKE")
    [received] = fake_graph.received
    assert received.path.endswith(f"/{contact.office.phone_number_id}/messages")
    assert received.headers["Authorization"] == "Bearer test-token"
    assert received.body["to"] == "6281234567890"
    assert received.body["text"]["body"] == "Halo Budi"
    assert message.attempt_log.get().outcome == "accepted"


def test_it_retries_server_errors_and_rate_limits_with_backoff(contact, fake_graph, tasks):
    fake_graph.fail_next(1, 500, 2)
    fake_graph.fail_next(1, 429, 130429)
    message = outbox.queue_text(contact, "Halo")
    for _ in range(3):
        tasks()
        message.refresh_from_db()
        if message.status == OutboundMessage.Status.QUEUED:
            assert message.next_attempt_at > timezone.now()
            make_due(message)
            deliver.enqueue(message.pk)
    assert message.status == OutboundMessage.Status.ACCEPTED
    outcomes = list(message.attempt_log.values_list("outcome", "error_code"))
    assert outcomes == [("retry", "2"), ("retry", "130429"), ("accepted", "")]
    assert len(fake_graph.messages()) == 1


def test_it_keeps_retrying_through_a_network_outage(contact, settings, tasks):
    settings.WHATSAPP_GRAPH_URL = "http://127.0.0.1:9"  # nothing listens there
    message = outbox.queue_text(contact, "Halo")
    tasks()
    message.refresh_from_db()
    assert message.status == OutboundMessage.Status.QUEUED
    assert message.error_code == "network"


def test_it_does_not_retry_permanent_errors(contact, fake_graph, tasks):
    fake_graph.fail_next(1, 400, 131047)  # outside the 24-hour window
    message = outbox.queue_text(contact, "Halo")
    tasks()
    message.refresh_from_db()
    assert message.status == OutboundMessage.Status.FAILED
    assert message.error_code == "131047"
    assert message.attempt_log.count() == 1


def test_it_gives_up_after_the_maximum_attempts(contact, fake_graph, settings, tasks):
    settings.WHATSAPP_MAX_ATTEMPTS = 2
    fake_graph.down = True
    message = outbox.queue_text(contact, "Halo")
    tasks()
    make_due(message)
    deliver.enqueue(message.pk)
    tasks()
    message.refresh_from_db()
    assert message.status == OutboundMessage.Status.FAILED
    assert message.attempts == 2


def test_a_doubled_delivery_task_sends_once(contact, fake_graph, tasks):
    message = outbox.queue_text(contact, "Halo")
    deliver.enqueue(message.pk)
    tasks()
    assert len(fake_graph.messages()) == 1


def test_status_webhooks_move_a_message_forward_only(contact, fake_graph, tasks, client):
    import json

    from django.conf import settings

    from loket.whatsapp.signature import sign

    message = outbox.queue_text(contact, "Halo")
    tasks()
    message.refresh_from_db()

    def status(name, ts):
        body = {
            "entry": [
                {
                    "changes": [
                        {
                            "value": {
                                "metadata": {"phone_number_id": contact.office.phone_number_id},
                                "statuses": [
                                    {"id": message.wa_message_id, "status": name, "timestamp": ts}
                                ],
                            }
                        }
                    ]
                }
            ]
        }
        raw = json.dumps(body).encode()
        client.post(
            "/webhooks/whatsapp/",
            raw,
            content_type="application/json",
            HTTP_X_HUB_SIGNATURE_256=sign(raw, settings.WHATSAPP_APP_SECRET),
        )
        tasks()
        message.refresh_from_db()
        return message.status

    assert status("read", "1700000010") == "read"
    assert status("delivered", "1700000005") == "read"
    assert message.read_at is not None


def test_list_and_buttons_respect_whatsapp_limits(contact, fake_graph, tasks):
    rows = [(f"r{i}", f"Judul yang sangat panjang nomor {i}", "d") for i in range(14)]
    outbox.queue_list(contact, "x" * 2000, "Pilih layanan", rows)
    outbox.queue_buttons(
        contact, "Pilih", [("a", "Satu"), ("b", "Dua"), ("c", "Tiga"), ("d", "Empat")]
    )
    tasks()
    list_body, buttons_body = [m["interactive"] for m in fake_graph.messages()]
    list_rows = list_body["action"]["sections"][0]["rows"]
    assert len(list_rows) == 10
    assert all(len(r["title"]) <= 24 for r in list_rows)
    assert len(list_body["body"]["text"]) <= 1024
    assert len(buttons_body["action"]["buttons"]) == 3


def test_a_contact_known_only_by_user_id_is_addressed_by_it(office, fake_graph, tasks):
    contact = Contact.objects.create(office=office, user_id="ID.123abc")
    outbox.queue_text(contact, "Halo")
    tasks()
    [body] = fake_graph.messages()
    assert body["recipient"] == "ID.123abc"
    assert "to" not in body


def test_the_periodic_sweeper_recovers_a_crashed_send(contact, fake_graph, tasks):
    from datetime import timedelta

    message = outbox.queue_text(contact, "Halo")
    OutboundMessage.objects.filter(pk=message.pk).update(
        status=OutboundMessage.Status.SENDING, claimed_at=timezone.now() - timedelta(minutes=5)
    )
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.all().delete()  # the worker died holding it
    assert outbox.enqueue_due() == 0  # reclaimed now, resent once overdue
    OutboundMessage.objects.filter(pk=message.pk).update(
        next_attempt_at=timezone.now() - timedelta(minutes=1)
    )
    assert outbox.enqueue_due() == 1
    tasks()
    message.refresh_from_db()
    assert message.status == OutboundMessage.Status.ACCEPTED
