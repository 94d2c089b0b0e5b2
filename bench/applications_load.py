"""50 citizens submit their application at once, each with a ~2 MB phone photo (and 4 small PDFs),
against a running `loket serve` on PostgreSQL. Ten of them double-click (two submits at once).

    .venv/bin/python bench/applications_load.py            # PostgreSQL on 127.0.0.1 (default)
    BENCH_DATABASE_URL= .venv/bin/python bench/applications_load.py   # SQLite instead

It makes its own database (loket_apps_bench) and data dir, starts `loket serve` on port 18763
(BENCH_PORT), and checks afterwards that every application is stored once, with its five
documents, one ticket and one WhatsApp confirmation. Traffic goes to 127.0.0.1 only; the run
is bounded (one round).
"""

import os
import statistics
import sys
import threading
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.apps_support import (  # noqa: E402
    csrf_of,
    make_contacts,
    pdf_bytes,
    photo_bytes,
    prepare,
    start_server,
    stop_server,
    submit,
)

CITIZENS = int(os.environ.get("BENCH_CITIZENS", "50"))
DOUBLE_CLICKERS = 10
PORT = int(os.environ.get("BENCH_PORT", "18763"))
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/loket_apps_bench"
)


def main() -> None:
    env = prepare("/tmp/loket-apps-bench", DATABASE_URL)
    paths = make_contacts(CITIZENS)
    photos = [photo_bytes(seed=i) for i in range(4)]
    pdf = pdf_bytes()
    server = start_server(env, PORT)
    base = f"http://127.0.0.1:{PORT}"
    try:
        clients = [httpx.Client(base_url=base, timeout=120) for _ in paths]
        tokens = [csrf_of(c, p) for c, p in zip(clients, paths, strict=True)]
        barrier = threading.Barrier(CITIZENS + DOUBLE_CLICKERS)
        results: list[tuple[int, float]] = []
        lock = threading.Lock()

        def citizen(i: int) -> None:
            barrier.wait()
            started = time.monotonic()
            response = submit(clients[i], paths[i], photos[i % 4], pdf, tokens[i])
            with lock:
                results.append((response.status_code, time.monotonic() - started))

        threads = [threading.Thread(target=citizen, args=(i,)) for i in range(CITIZENS)]
        threads += [threading.Thread(target=citizen, args=(i,)) for i in range(DOUBLE_CLICKERS)]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.monotonic() - started
    finally:
        stop_server(server)
    report(results, wall, len(photos[0]))


def report(results: list[tuple[int, float]], wall: float, photo_size: int) -> None:
    from django.db.models import Count

    from loket.applications.models import Application, Document
    from loket.whatsapp.models import OutboundMessage

    latencies = sorted(t for _, t in results)
    codes = {code: sum(1 for c, _ in results if c == code) for code, _ in results}
    sent = Application.objects.exclude(ticket=None)
    per_contact = Application.objects.values("contact").annotate(n=Count("id"))
    confirmations = OutboundMessage.objects.filter(source="applications").count()
    print(
        f"database: {'PostgreSQL' if DATABASE_URL else 'SQLite'}; photo {photo_size / 1e6:.1f} MB"
    )
    print(f"requests: {len(results)} ({CITIZENS} citizens, {DOUBLE_CLICKERS} double clicks)")
    print(f"status codes: {codes}")
    print(f"wall time: {wall:.1f} s; throughput {CITIZENS / wall:.1f} applications/s")
    print(
        f"latency: median {statistics.median(latencies):.2f} s, "
        f"p95 {latencies[int(len(latencies) * 0.95) - 1]:.2f} s, max {latencies[-1]:.2f} s"
    )
    print(
        f"applications stored: {sent.count()}, distinct tickets: "
        f"{sent.values('ticket').distinct().count()}, "
        f"max per citizen: {max(r['n'] for r in per_contact)}"
    )
    print(
        f"documents: {Document.objects.count()} (expected {CITIZENS * 5}); "
        f"confirmations queued: {confirmations} (expected {CITIZENS})"
    )
    ok = (
        sent.count() == CITIZENS
        and sent.values("ticket").distinct().count() == CITIZENS
        and max(r["n"] for r in per_contact) == 1
        and Document.objects.count() == CITIZENS * 5
        and confirmations == CITIZENS
    )
    print("RESULT:", "all stored, none duplicated" if ok else "MISMATCH")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
