import json

import pytest
from django.conf import settings

from loket.simulator import webhook as simulated
from loket.whatsapp.models import Contact, InboundMessage, RejectedWebhookItem, StatusEvent
from loket.whatsapp.signature import sign

pytestmark = pytest.mark.django_db


def post_raw(client, raw: bytes, signature: str | None):
    headers = {"HTTP_X_HUB_SIGNATURE_256": signature} if signature else {}
    return client.post("/webhooks/whatsapp/", raw, content_type="application/json", **headers)


def test_it_answers_the_verification_handshake(client):
    r = client.get(
        "/webhooks/whatsapp/",
        {
            "hub.mode": "subscribe",
            "hub.challenge": "1158201444",
            "hub.verify_token": settings.WHATSAPP_VERIFY_TOKEN,
        },
    )
    assert r.status_code == 200
    assert r.content == b"1158201444"
    assert r["Content-Type"].startswith("text/plain")


@pytest.mark.parametrize(
    "params",
    [
        {"hub.mode": "subscribe", "hub.challenge": "1", "hub.verify_token": "wrong"},
        {"hub.mode": "unsubscribe", "hub.challenge": "1", "hub.verify_token": "loket-simulator"},
        {},
    ],
)
def test_it_refuses_a_bad_handshake(client, params):
    assert client.get("/webhooks/whatsapp/", params).status_code == 403


def test_it_refuses_a_bad_or_missing_signature_and_stores_nothing(client, office):
    raw = json.dumps(
        simulated.message_body(
            settings.WHATSAPP_PHONE_NUMBER_ID, "", "628111", "Budi", simulated.text_message("halo")
        )
    ).encode()
    assert post_raw(client, raw, None).status_code == 403
    assert post_raw(client, raw, sign(raw, "not-the-secret")).status_code == 403
    assert post_raw(client, raw, "sha256=deadbeef").status_code == 403
    assert InboundMessage.objects.count() == 0
    assert Contact.objects.count() == 0


def test_it_keeps_malformed_json_with_a_good_signature_as_rejected(client, office):
    raw = b"{not json"
    assert post_raw(client, raw, sign(raw, settings.WHATSAPP_APP_SECRET)).status_code == 200
    [rejected] = RejectedWebhookItem.objects.all()
    assert rejected.kind == "body"
    assert "JSON" in rejected.reason
    assert json.loads(rejected.raw) == "{not json"


def test_it_stores_every_message_of_a_batch_once(client, office, fake_graph, tasks):
    body = simulated.message_body(
        settings.WHATSAPP_PHONE_NUMBER_ID, "", "628111", "Budi", simulated.text_message("satu")
    )
    value = body["entry"][0]["changes"][0]["value"]
    second = dict(value["messages"][0], id="wamid.two", text={"body": "dua"})
    value["messages"].append(second)
    value["messages"].append(dict(second))  # the same id twice in one batch
    other = json.loads(json.dumps(body["entry"][0]))
    other["changes"][0]["value"]["contacts"] = [{"profile": {"name": "Ani"}, "wa_id": "628222"}]
    other["changes"][0]["value"]["messages"] = [
        {
            "from": "628222",
            "id": "wamid.three",
            "timestamp": "1700000000",
            "type": "text",
            "text": {"body": "tiga"},
        }
    ]
    body["entry"].append(other)
    raw = json.dumps(body).encode()
    signature = sign(raw, settings.WHATSAPP_APP_SECRET)

    assert post_raw(client, raw, signature).status_code == 200
    assert post_raw(client, raw, signature).status_code == 200  # Meta redelivers

    texts = sorted(InboundMessage.objects.values_list("text", flat=True))
    assert texts == ["dua", "satu", "tiga"]
    assert Contact.objects.count() == 0  # the worker makes the contacts
    tasks()
    assert Contact.objects.count() == 2


def test_it_keys_contacts_on_the_business_scoped_user_id(client, office, fake_graph, tasks):
    def send(wa_id, user_id, message_id, name):
        body = {
            "object": "whatsapp_business_account",
            "entry": [
                {
                    "id": "1",
                    "changes": [
                        {
                            "field": "messages",
                            "value": {
                                "metadata": {"phone_number_id": settings.WHATSAPP_PHONE_NUMBER_ID},
                                "contacts": [
                                    {
                                        "profile": {"name": name},
                                        "user_id": user_id,
                                        **({"wa_id": wa_id} if wa_id else {}),
                                    }
                                ],
                                "messages": [
                                    {
                                        "id": message_id,
                                        "timestamp": "1700000000",
                                        "type": "text",
                                        "text": {"body": "halo"},
                                        **({"from": wa_id} if wa_id else {"from_user_id": user_id}),
                                    }
                                ],
                            },
                        }
                    ],
                }
            ],
        }
        raw = json.dumps(body).encode()
        return post_raw(client, raw, sign(raw, settings.WHATSAPP_APP_SECRET))

    assert send("628333", "ID.abc", "wamid.1", "Citra").status_code == 200
    assert send(None, "ID.abc", "wamid.2", "Citra N").status_code == 200  # number hidden now
    tasks()
    contact = Contact.objects.get()
    assert (contact.user_id, contact.wa_id, contact.profile_name) == ("ID.abc", "628333", "Citra N")
    assert contact.inbound.count() == 2


def test_it_acknowledges_events_for_an_unknown_number_and_stores_nothing(client, office):
    raw = json.dumps(
        simulated.message_body("999999", "", "628111", "Budi", simulated.text_message("halo"))
    ).encode()
    assert post_raw(client, raw, sign(raw, settings.WHATSAPP_APP_SECRET)).status_code == 200
    assert InboundMessage.objects.count() == 0


def test_it_acknowledges_shapes_it_does_not_know(client, office):
    for body in [
        {"object": "page"},
        {"entry": [{"changes": [{"field": "account_update", "value": {"event": "x"}}]}]},
        {"entry": "nonsense"},
        [1, 2, 3],
    ]:
        raw = json.dumps(body).encode()
        assert post_raw(client, raw, sign(raw, settings.WHATSAPP_APP_SECRET)).status_code == 200


def test_it_stores_status_events_once(client, office):
    body = {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": "1",
                "changes": [
                    {
                        "field": "messages",
                        "value": {
                            "metadata": {"phone_number_id": settings.WHATSAPP_PHONE_NUMBER_ID},
                            "statuses": [
                                {
                                    "id": "wamid.out1",
                                    "status": "delivered",
                                    "timestamp": "1700000000",
                                    "recipient_id": "628111",
                                },
                                {
                                    "id": "wamid.out1",
                                    "status": "read",
                                    "timestamp": "1700000005",
                                    "recipient_id": "628111",
                                },
                            ],
                        },
                    }
                ],
            }
        ],
    }
    raw = json.dumps(body).encode()
    for _ in range(2):
        assert post_raw(client, raw, sign(raw, settings.WHATSAPP_APP_SECRET)).status_code == 200
    assert StatusEvent.objects.count() == 2


def test_the_webhook_does_no_processing_in_the_request(client, office, fake_graph):
    raw = json.dumps(
        simulated.message_body(
            settings.WHATSAPP_PHONE_NUMBER_ID,
            "",
            "628111",
            "Budi",
            simulated.text_message("akta lahir"),
        )
    ).encode()
    assert post_raw(client, raw, sign(raw, settings.WHATSAPP_APP_SECRET)).status_code == 200
    assert InboundMessage.objects.get().state == InboundMessage.State.NEW
    assert fake_graph.messages() == []
