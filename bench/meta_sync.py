"""Meta in step: template sync, template webhooks and a document upload, against the fake Graph API.

Measures, in one process with the fake Graph API (a real HTTP server) on 127.0.0.1:
- `metasync.sync` of --templates templates (100 a page): wall and CPU time, SQL statements,
  then a second sync with nothing changed;
- --events signed `message_template_status_update` webhooks through the Django test client:
  SQL statements and CPU per event, and that redelivering them all changes nothing;
- one finished document of --pdf-kb KB sent as a document message with a scripted send error
  after the upload: uploads made (goal 1) and the message sent once.

    .venv/bin/python bench/meta_sync.py                           # SQLite in a temporary directory
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/loket_bench_meta .venv/bin/python \
        bench/meta_sync.py                                         # PostgreSQL (database recreated)

Prints a JSON summary as its last line.
"""

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.apps_support import fresh_database  # noqa: E402
from loket.whatsapp.fakegraph import FakeGraph  # noqa: E402

PHONE_NUMBER_ID = "100000000000078"
WABA = "100000000000099"
TOKEN = "bench-token"


def setup_django(graph: FakeGraph) -> None:
    os.environ.update(
        LOKET_ENV="test",
        LOKET_DATA_DIR=os.environ.get("LOKET_DATA_DIR") or tempfile.mkdtemp(prefix="loket-meta-"),
        WHATSAPP_ACCESS_TOKEN=TOKEN,
        WHATSAPP_GRAPH_URL=graph.url,
        WHATSAPP_PHONE_NUMBER_ID=PHONE_NUMBER_ID,
        WHATSAPP_BUSINESS_ACCOUNT_ID=WABA,
        WHATSAPP_APP_SECRET="bench-app-secret",
        LOKET_WHATSAPP_DOCUMENTS="1",
        DJANGO_SETTINGS_MODULE="loket.settings",
    )
    fresh_database()


class Counter:
    def __init__(self) -> None:
        self.statements = 0

    def __call__(self, execute, sql, params, many, context):
        self.statements += 1
        return execute(sql, params, many, context)


def measured(fn):
    from django.db import connection

    counter = Counter()
    wall, cpu = time.perf_counter(), time.process_time()
    with connection.execute_wrapper(counter):
        result = fn()
    return result, {
        "wall_s": round(time.perf_counter() - wall, 3),
        "cpu_s": round(time.process_time() - cpu, 3),
        "statements": counter.statements,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--templates", type=int, default=1000)
    parser.add_argument("--events", type=int, default=200)
    parser.add_argument("--pdf-kb", type=int, default=2048)
    args = parser.parse_args()

    graph = FakeGraph(token=TOKEN).start()
    setup_django(graph)
    from django.conf import settings
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from loket.broadcasts import metasync
    from loket.broadcasts.models import MessageTemplate
    from loket.catalog import demo
    from loket.core.crypto import encrypt_bytes
    from loket.whatsapp import outbox
    from loket.whatsapp.models import Contact, OutboundMedia
    from loket.whatsapp.signature import sign
    from loket.whatsapp.tests.accountevents import account_body

    office = demo.seed()
    office.phone_number_id = PHONE_NUMBER_ID
    office.save()
    for n in range(args.templates):
        graph.add_template(WABA, f"info_{n:05d}", f"Info {n}: {{{{1}}}} di {{{{2}}}}.")
    graph.set_number(PHONE_NUMBER_ID, "GREEN", "TIER_10K")

    result, first = measured(lambda: metasync.sync(office))
    first.update(pages=result.pages, templates=result.seen)
    _, second = measured(lambda: metasync.sync(office))

    client = Client()
    templates = list(MessageTemplate.objects.filter(office=office).order_by("pk")[: args.events])
    at = int(timezone.now().timestamp()) + 5
    bodies = []
    for template in templates:
        value = {
            "event": "PAUSED",
            "message_template_id": int(template.meta_id),
            "message_template_name": template.name,
            "message_template_language": template.language,
            "reason": "NONE",
        }
        raw = json.dumps(account_body("message_template_status_update", value, WABA, at)).encode()
        bodies.append((raw, sign(raw, settings.WHATSAPP_APP_SECRET)))

    def deliver_all():
        for raw, signature in bodies:
            response = client.post(
                "/webhooks/whatsapp/",
                raw,
                content_type="application/json",
                HTTP_X_HUB_SIGNATURE_256=signature,
            )
            assert response.status_code == 200

    from loket.core.models import AuditEntry

    client.post("/webhooks/whatsapp/", b"{}", content_type="application/json")  # warm the URLconf
    _, events = measured(deliver_all)
    paused = MessageTemplate.objects.filter(office=office, status="paused").count()
    audited = AuditEntry.objects.filter(action="template.status").count()
    _, redelivered = measured(deliver_all)
    changed_twice = AuditEntry.objects.filter(action="template.status").count() - audited

    pdf = b"%PDF-1.4\n" + os.urandom(args.pdf_kb * 1024) + b"\n%%EOF\n"
    name = default_storage.save("applications/bench/akta.bin", ContentFile(encrypt_bytes(pdf)))
    citizen = Contact.objects.create(
        office=office, wa_id="6281200000001", phone="6281200000001", last_inbound_at=timezone.now()
    )
    graph.fail_next(1, 500, 131000, path_suffix="/messages")
    with outbox.inline_delivery():
        message = outbox.queue_document(citizen, name, "T-1.pdf", "application/pdf", "Terlampir.")
    from loket.whatsapp.models import OutboundMessage

    OutboundMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    outcome = outbox.deliver(message.pk)
    media = OutboundMedia.objects.get(message=message)
    summary = {
        "database": connection.vendor,
        "sync_first": first,
        "sync_again": second,
        "webhook_events": {
            "events": len(bodies),
            "applied": paused,
            "statements_per_event": round(events["statements"] / max(1, len(bodies)), 1),
            "cpu_ms_per_event": round(1000 * events["cpu_s"] / max(1, len(bodies)), 2),
            "redelivery_statements_per_event": round(
                redelivered["statements"] / max(1, len(bodies)), 1
            ),
            "changed_by_redelivery": changed_twice,
        },
        "document": {
            "pdf_bytes": len(pdf),
            "uploads": len(graph.uploads),
            "upload_count_on_row": media.uploads,
            "final_outcome": outcome,
            "messages_sent": len([m for m in graph.messages() if m["type"] == "document"]),
        },
        "load_1m": os.getloadavg()[0],
    }
    graph.stop()
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
