"""Chat texts and raw payloads are encrypted at rest; existing rows are encrypted by migration."""

import importlib
import json

import pytest
from django.apps import apps
from django.db import connection

from loket.conftest import Citizen
from loket.whatsapp.models import InboundMessage, OutboundMessage, StatusEvent

pytestmark = pytest.mark.django_db
NIK = "6471010101900001"
migration = importlib.import_module(
    "loket.whatsapp.migrations.0002_encrypt_chats_rate_limit_rejected_items"
)


def stored(table: str, column: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table}")  # noqa: S608
        return [row[0] for row in cursor.fetchall()]


def test_a_citizens_nik_in_chat_is_not_stored_in_clear(client, office, fake_graph, tasks):
    Citizen(client).says(f"NIK saya {NIK}")
    tasks()
    message = InboundMessage.objects.get()
    assert NIK in message.text
    assert message.payload["text"]["body"] == f"NIK saya {NIK}"
    for column in ("text", "payload"):
        [value] = stored("whatsapp_inboundmessage", column)
        assert NIK not in value
        assert value.startswith("gAAAAA")
    assert OutboundMessage.objects.exists()
    for column in ("body", "preview"):
        assert all(v.startswith("gAAAAA") for v in stored("whatsapp_outboundmessage", column))


def test_the_migration_encrypts_rows_stored_in_clear_and_leaves_encrypted_ones(
    client, office, fake_graph
):
    Citizen(client).says("halo")
    message = InboundMessage.objects.get()
    status = StatusEvent.objects.create(
        wa_message_id="wamid.s", status="read", timestamp=message.sent_at, payload={"id": "x"}
    )
    clear_payload = json.dumps({"text": {"body": f"NIK {NIK}"}})
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE whatsapp_inboundmessage SET text = %s, payload = %s WHERE id = %s",
            [f"NIK {NIK}", clear_payload, message.pk],
        )
    before = stored("whatsapp_statusevent", "payload")

    class Editor:
        pass

    editor = Editor()
    editor.connection = connection
    migration.encrypt_existing_rows(apps, editor)
    migration.encrypt_existing_rows(apps, editor)  # a rerun changes nothing

    assert NIK not in "".join(stored("whatsapp_inboundmessage", "text"))
    assert NIK not in "".join(stored("whatsapp_inboundmessage", "payload"))
    assert stored("whatsapp_statusevent", "payload") == before
    message.refresh_from_db()
    assert message.text == f"NIK {NIK}"
    assert message.payload == {"text": {"body": f"NIK {NIK}"}}
    assert StatusEvent.objects.get(pk=status.pk).payload == {"id": "x"}
