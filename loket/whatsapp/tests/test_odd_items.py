"""Each webhook item on its own: an odd item is kept as rejected, its neighbours are answered."""

import json

import pytest
from django.conf import settings

from loket.conftest import sent_texts
from loket.simulator import webhook as simulated
from loket.whatsapp.models import InboundMessage, RejectedWebhookItem, StatusEvent
from loket.whatsapp.signature import sign

pytestmark = pytest.mark.django_db


def good_message(wa_id: str = "628111") -> dict:
    return simulated.message_body(
        settings.WHATSAPP_PHONE_NUMBER_ID, "", wa_id, "Budi", simulated.text_message("halo")
    )


def nested(levels: int) -> str:
    return '{"a":' * levels + "1" + "}" * levels


def message_json(**fields) -> str:
    message = {"from": "628999", "id": "wamid.odd", "timestamp": "1700000000", "type": "text"}
    message.update(fields)
    return json.dumps(message)


# Odd items as raw JSON text: some cannot even be written by json.dumps (a lone surrogate).
ODD_MESSAGES = {
    "NUL in the text": message_json(text={"body": "NIK\u0000 6471"}),
    "40-digit wa_id": message_json(**{"from": "1" * 40}),
    "306-character message id": message_json(id="w" * 306),
    "lone surrogate": message_json(text={"body": "x"}).replace('"x"', '"\\ud800"'),
    "2,000 levels of nesting": message_json(text={"body": "x"}).replace('"x"', nested(2000)),
    "message is a number": "5",
    "text is a list": message_json(text=["a"]),
    "id is an object": message_json(id={"x": 1}),
    "id is true": message_json(id=True),
}


def body_with(odd_message: str, *, contacts: str | None = None) -> bytes:
    """A batch of two changes: a good message from 628111, the odd item in the other change."""
    good = json.dumps(good_message())
    wa_id = "1" * 40 if "1" * 40 in odd_message else "628999"
    odd_contacts = contacts or json.dumps([{"profile": {"name": "X"}, "wa_id": wa_id}])
    odd_change = (
        '{"field": "messages", "value": {"metadata": {"phone_number_id": "'
        + settings.WHATSAPP_PHONE_NUMBER_ID
        + '"}, "contacts": '
        + odd_contacts
        + ', "messages": ['
        + odd_message
        + "]}}"
    )
    return (good[:-2] + ', {"changes": [' + odd_change + "]}]}").encode()


def post(client, raw: bytes):
    return client.post(
        "/webhooks/whatsapp/",
        raw,
        content_type="application/json",
        HTTP_X_HUB_SIGNATURE_256=sign(raw, settings.WHATSAPP_APP_SECRET),
    )


@pytest.mark.parametrize("case", list(ODD_MESSAGES))
def test_an_odd_message_is_rejected_and_its_neighbour_answered(
    case, client, office, fake_graph, tasks
):
    response = post(client, body_with(ODD_MESSAGES[case]))
    assert response.status_code == 200
    [rejected] = RejectedWebhookItem.objects.all()
    assert rejected.kind == "message"
    assert rejected.reason
    assert [m.sender_wa_id for m in InboundMessage.objects.all()] == ["628111"]
    tasks()
    assert sent_texts(fake_graph, "628111")


def test_an_odd_contact_shape_is_rejected_with_its_message(client, office, fake_graph, tasks):
    contacts = '[{"profile": "x", "wa_id": "628999"}]'
    response = post(client, body_with(message_json(text={"body": "y"}), contacts=contacts))
    assert response.status_code == 200
    assert RejectedWebhookItem.objects.get().reason == "profile is not an object"
    assert InboundMessage.objects.get().sender_wa_id == "628111"


@pytest.mark.parametrize(
    "change",
    [
        '{"field": "messages", "value": {"metadata": "x", "messages": []}}',
        '{"field": "messages", "value": {"messages": 5}}',
        '{"field": "messages", "value": {"statuses": {"id": 1}}}',
        '{"field": "messages", "value": {"contacts": "x", "messages": []}}',
        '{"field": "messages", "value": {"metadata": {"phone_number_id": "1 OR 1"}}}',
        "17",
    ],
)
def test_an_odd_change_is_rejected_and_the_rest_of_the_batch_stored(change, client, office):
    good = json.dumps(good_message())
    raw = (good[:-2] + ', {"changes": [' + change + "]}]}").encode()
    assert post(client, raw).status_code == 200
    assert RejectedWebhookItem.objects.get().kind == "change"
    assert InboundMessage.objects.count() == 1


def test_an_odd_status_is_rejected_and_the_good_one_stored(client, office):
    body = good_message()
    value = body["entry"][0]["changes"][0]["value"]
    value["statuses"] = [
        {"id": "wamid.ok", "status": "read", "timestamp": "1700000000"},
        {"id": "s" * 400, "status": "read"},
        {"id": "wamid.x", "status": {"nested": True}},
        "delivered",
    ]
    assert post(client, json.dumps(body).encode()).status_code == 200
    assert RejectedWebhookItem.objects.filter(kind="status").count() == 3
    assert list(StatusEvent.objects.values_list("wa_message_id", flat=True)) == ["wamid.ok"]
    assert InboundMessage.objects.count() == 1


@pytest.mark.parametrize(
    "raw",
    [b"{not json", b"\xff\xfe", b"5", b"[]", b"null", nested(2000).encode(), b"[" * 30000],
)
def test_a_signed_body_that_is_no_webhook_is_kept_as_rejected(raw, client, office):
    assert post(client, raw).status_code == 200
    assert RejectedWebhookItem.objects.get().kind == "body"


def test_the_rejected_item_is_encrypted_at_rest(client, office):
    post(client, body_with(message_json(id="w" * 306, text={"body": "NIK 6471010101010001"})))
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT raw FROM whatsapp_rejectedwebhookitem")
        [(stored,)] = cursor.fetchall()
    assert "6471010101010001" not in stored
    assert "6471010101010001" in RejectedWebhookItem.objects.get().raw


def test_a_body_too_big_is_refused_without_a_server_error(client, office):
    raw = json.dumps({"entry": [], "pad": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)})
    assert post(client, raw.encode()).status_code in (400, 413)
