"""Broadcast benchmark: 1,000 recipients through the fake Graph API with an outage in the middle.

Runs the real pieces in one process: the periodic job (loket.broadcasts.sending.send_due, as
`loket worker` runs it), worker threads running the task queue (outbox deliveries and retries) and
the fake Graph API (a real HTTP server). After a third of the list is reached the Graph API answers
503 for --outage seconds. Checks: every person reached exactly once, the opted-out never.

    .venv/bin/python bench/broadcast_outage.py                  # SQLite in a temporary directory
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/loket_bench_bc .venv/bin/python \
        bench/broadcast_outage.py                                # PostgreSQL (database recreated)

Options: --people 1000 --opted-out 50 --rate 20 --outage 10 --workers 4. Prints a JSON summary
as its last line.
"""

import argparse
import json
import os
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.apps_support import fresh_database  # noqa: E402
from loket.whatsapp.fakegraph import FakeGraph  # noqa: E402

PHONE_NUMBER_ID = "100000000000077"
TOKEN = "bench-token"


def setup_django(graph: FakeGraph, rate: int) -> None:
    os.environ.update(
        LOKET_ENV="test",
        LOKET_DATA_DIR=os.environ.get("LOKET_DATA_DIR") or tempfile.mkdtemp(prefix="loket-bc-"),
        WHATSAPP_ACCESS_TOKEN=TOKEN,
        WHATSAPP_GRAPH_URL=graph.url,
        WHATSAPP_PHONE_NUMBER_ID=PHONE_NUMBER_ID,
        LOKET_BROADCAST_RATE_PER_SECOND=str(rate),
        LOKET_BROADCAST_DAILY_NEW_CONTACTS="100000",  # a number on the unlimited tier
        DJANGO_SETTINGS_MODULE="loket.settings",
    )
    fresh_database()


def prepare(people: int, opted_out: int):
    from loket.broadcasts import sending
    from loket.broadcasts.models import Broadcast, MessageTemplate, OptOut, Subscription
    from loket.catalog import demo
    from loket.whatsapp.models import Contact

    office = demo.seed()
    office.phone_number_id = PHONE_NUMBER_ID
    office.save()
    Contact.objects.bulk_create(
        Contact(office=office, wa_id=f"62812{n:07d}", phone=f"62812{n:07d}") for n in range(people)
    )
    contacts = list(Contact.objects.filter(office=office).order_by("wa_id"))
    Subscription.objects.bulk_create(Subscription(office=office, contact=c) for c in contacts)
    step = max(1, people // max(opted_out, 1))
    stopped = contacts[::step][:opted_out]
    OptOut.objects.bulk_create(OptOut(contact=c, word="berhenti") for c in stopped)
    template = MessageTemplate.objects.create(
        office=office,
        name="info_layanan",
        body="Yth. Bapak/Ibu, {{1}}.",
        status=MessageTemplate.Status.APPROVED,
    )
    broadcast = Broadcast.objects.create(
        office=office,
        title="Layanan online Disdukcapil",
        template=template,
        parameters=["layanan KTP-el, KK dan akta kini bisa diurus lewat WhatsApp"],
        audience=Broadcast.Audience.SUBSCRIBERS,
    )
    sending.schedule(broadcast)
    return broadcast, {c.wa_id for c in contacts}, {c.wa_id for c in stopped}


def worker_loop(stopped: threading.Event, name: str) -> None:
    from django.db import close_old_connections, connection

    from loket.core.tasks import make_worker

    while not stopped.is_set():
        worker = make_worker(name, batch=True, interval=0)
        try:
            worker.run()
        except Exception as exc:  # a locked SQLite database: try again
            print(f"{name}: {exc}", file=sys.stderr)
        close_old_connections()
        stopped.wait(0.02)
    connection.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--opted-out", type=int, default=50)
    parser.add_argument("--rate", type=int, default=20)
    parser.add_argument("--outage", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--timeout", type=float, default=600.0)
    args = parser.parse_args()

    graph = FakeGraph(token=TOKEN).start()
    setup_django(graph, args.rate)
    from django.db import connection

    from loket.broadcasts import sending
    from loket.broadcasts.models import Broadcast
    from loket.core.tasks import PeriodicRunner
    from loket.whatsapp.models import OutboundMessage, SendAttempt

    broadcast, everyone, opted_out = prepare(args.people, args.opted_out)
    expected = everyone - opted_out

    def reached() -> Counter:
        return Counter(b["to"] for b in graph.messages() if b["type"] == "template")

    stopped = threading.Event()
    runner = PeriodicRunner(
        jobs=[
            ("loket.broadcasts.sending.send_due", 1),
            ("loket.whatsapp.outbox.enqueue_due", 5),
        ],
        tick=0.2,
    )
    threads = [
        threading.Thread(target=worker_loop, args=(stopped, f"bench-{i}"), daemon=True)
        for i in range(args.workers)
    ]
    started = time.monotonic()
    runner.start()
    for thread in threads:
        thread.start()

    outage = recovered = None
    while time.monotonic() - started < args.timeout:
        time.sleep(0.2)
        count = sum(reached().values())
        if outage is None and count >= len(expected) // 3:
            graph.down, outage = True, time.monotonic()
            print(f"outage starts after {count} messages", file=sys.stderr)
        if outage and graph.down and time.monotonic() - outage >= args.outage:
            graph.down, recovered = False, time.monotonic()
            print("outage ends", file=sys.stderr)
        status = Broadcast.objects.values_list("status", flat=True).get(pk=broadcast.pk)
        in_flight = OutboundMessage.objects.filter(
            source=broadcast.source, status__in=sending.IN_FLIGHT
        ).exists()
        if status == Broadcast.Status.DONE and not in_flight and not graph.down:
            break
    elapsed = time.monotonic() - started
    finished = time.monotonic()
    runner.stop()
    stopped.set()
    for thread in threads:
        thread.join(timeout=10)

    counts = reached()
    report = sending.report(broadcast)
    summary = {
        "database": connection.vendor,
        "people": args.people,
        "opted_out": len(opted_out),
        "expected": len(expected),
        "reached": len(counts),
        "missing": len(expected - set(counts)),
        "duplicates": sum(n - 1 for n in counts.values() if n > 1),
        "opted_out_reached": len(opted_out & set(counts)),
        "seconds": round(elapsed, 1),
        "messages_per_second": round(sum(counts.values()) / elapsed, 1),
        "rate_setting": args.rate,
        "outage_seconds": args.outage,
        "seconds_after_outage": round(finished - recovered, 1) if recovered else None,
        "retries": SendAttempt.objects.filter(outcome="retry").count(),
        "failed": report["failed"],
        "skipped": report["skipped"],
    }
    graph.stop()
    print(json.dumps(summary))
    ok = summary["missing"] == summary["duplicates"] == summary["opted_out_reached"] == 0
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
