"""One-statement writes of many rows: the same stored values as the ORM's, on both databases."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from loket.core.bulk import insert_rows, update_rows
from loket.whatsapp.models import InboundMessage

pytestmark = pytest.mark.django_db


def message(n: int, office, **fields) -> InboundMessage:
    return InboundMessage(
        office=office,
        sender_wa_id=f"62812000{n:04d}",
        wa_message_id=f"wamid.bulk.{n}",
        type="text",
        text=f"pesan ke-{n}: NIK 6471010101900001",
        payload={"n": n, "kata": "akta"},
        sent_at=timezone.now() - dt.timedelta(seconds=n),
        **fields,
    )


def test_insert_rows_stores_what_save_would_and_skips_known_ids(office):
    rows = [message(n, office) for n in range(5)]
    with CaptureQueriesContext(connection) as queries:
        assert insert_rows(rows, ignore_conflicts=True) == 5
    assert len(queries) == 1
    again = [message(n, office) for n in range(3, 8)]  # 3 and 4 are there already
    insert_rows(again, ignore_conflicts=True)
    stored = {m.wa_message_id: m for m in InboundMessage.objects.all()}
    assert len(stored) == 8
    one = stored["wamid.bulk.2"]
    assert one.text == "pesan ke-2: NIK 6471010101900001"  # decrypted on read
    assert one.payload == {"n": 2, "kata": "akta"}
    assert one.state == InboundMessage.State.NEW  # the field's default
    assert one.received_at is not None  # auto_now_add
    with connection.cursor() as cursor:  # encrypted where stored
        cursor.execute(
            "SELECT text FROM whatsapp_inboundmessage WHERE wa_message_id = %s", [one.wa_message_id]
        )
        assert "6471010101900001" not in str(cursor.fetchone()[0])


def test_insert_rows_gives_each_object_its_own_new_key(office):
    message(99, office).save()  # keys start past an existing row
    rows = [message(n, office) for n in range(4)]
    with CaptureQueriesContext(connection) as queries:
        insert_rows(rows, keys=True)
    assert len(queries) == 1
    for row in rows:  # each object's key is its own row's, not its neighbour's
        assert row.pk is not None and not row._state.adding
        assert InboundMessage.objects.get(pk=row.pk).wa_message_id == row.wa_message_id
    with pytest.raises(ValueError):
        insert_rows([message(7, office)], ignore_conflicts=True, keys=True)


def test_update_rows_writes_each_rows_own_values_in_one_statement(office):
    insert_rows([message(n, office) for n in range(4)])
    rows = list(InboundMessage.objects.order_by("id"))
    done_at = timezone.now()
    for n, row in enumerate(rows):
        row.state = InboundMessage.State.DONE if n % 2 else InboundMessage.State.FAILED
        row.processed_at = done_at + dt.timedelta(seconds=n)
        row.error = "" if n % 2 else f"galat {n}"
    untouched = rows.pop()
    with CaptureQueriesContext(connection) as queries:
        assert update_rows(rows, ["state", "processed_at", "error"]) == 3
    assert len(queries) == 1
    for n, row in enumerate(InboundMessage.objects.order_by("id")):
        if row.pk == untouched.pk:
            assert (row.state, row.processed_at, row.error) == ("new", None, "")
            continue
        assert row.state == ("done" if n % 2 else "failed")
        assert row.processed_at == done_at + dt.timedelta(seconds=n)
        assert row.error == ("" if n % 2 else f"galat {n}")
    assert update_rows([], ["state"]) == 0
