"""1,000 concurrent booking attempts for 50 places, over real HTTP against `loket web`.

Creates its own data directory and database content, starts `loket web` (gunicorn, several
processes), fires the attempts with asyncio + httpx at the JSON endpoint the booking page posts
to (/janji/<token>/pesan/), then checks the database: exactly `places` bookings, no NIK twice,
the slot's counter equal to the bookings.

    .venv/bin/python bench/booking_concurrency.py                       # SQLite (file, WAL)
    .venv/bin/python bench/booking_concurrency.py \\
        --database-url postgres://postgres@127.0.0.1:5432/loket_bench   # PostgreSQL

Options: --attempts 1000 --places 50 --distinct 800 (NIKs; the rest repeat one) --in-flight
1000 (requests open at once) --workers 4 --threads 8 --port 8765.
"""

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
LOKET = [sys.executable, "-m", "loket"]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--attempts", type=int, default=1000)
    parser.add_argument("--places", type=int, default=50)
    parser.add_argument("--distinct", type=int, default=800)
    parser.add_argument("--in-flight", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--port", type=int, default=8765)
    return parser.parse_args()


def environment(args: argparse.Namespace, data_dir: str) -> dict:
    env = dict(os.environ, LOKET_DATA_DIR=data_dir, LOKET_ENV="demo", LOG_LEVEL="WARNING")
    env["LOKET_PUBLIC_URL"] = f"http://127.0.0.1:{args.port}"
    env.pop("DATABASE_URL", None)
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    return env


def prepare(args: argparse.Namespace, env: dict) -> tuple[list[str], int]:
    """Migrates a fresh database, makes one slot of `places` and one contact per distinct NIK;
    returns (their booking tokens, slot id)."""
    if args.database_url:
        name = args.database_url.rsplit("/", 1)[1]
        server = args.database_url.rsplit("/", 1)[0] + "/postgres"
        subprocess.run(["psql", server, "-qc", f"DROP DATABASE IF EXISTS {name}"], check=True)
        subprocess.run(["psql", server, "-qc", f"CREATE DATABASE {name}"], check=True)
    subprocess.run([*LOKET, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    script = f"""
import datetime as dt
from django.utils import timezone
from loket.appointments import demo
from loket.appointments.links import booking_link
from loket.appointments.models import Slot
from loket.catalog import demo as catalog
from loket.catalog.models import Service
from loket.whatsapp.models import Contact
office = catalog.seed()
demo.seed(office)
Slot.objects.all().delete()
day = timezone.localdate() + dt.timedelta(days=1)
start = timezone.make_aware(dt.datetime.combine(day, dt.time(9)))
slot = Slot.objects.create(office=office, service=Service.objects.get(code="ambil-dokumen"),
    day=day, starts_at=start, ends_at=start + dt.timedelta(hours=1), capacity={args.places})
tokens = []
for n in range({args.distinct}):  # one WhatsApp number per NIK: a number books only a few
    contact = Contact.objects.create(office=office, wa_id=f"62812{{n:08d}}",
        profile_name="Bench", last_inbound_at=timezone.now())
    tokens.append(booking_link(contact, slot.service).rstrip("/").rsplit("/", 1)[1])
print(",".join(tokens), slot.pk)
"""
    out = subprocess.run(
        [*LOKET, "shell", "-c", script], env=env, check=True, cwd=ROOT, capture_output=True
    )
    tokens, slot_id = out.stdout.decode().split()[-2:]
    return tokens.split(","), int(slot_id)


def start_server(args: argparse.Namespace, env: dict) -> subprocess.Popen:
    server = subprocess.Popen(
        [*LOKET, "web", "--port", str(args.port), "--workers", str(args.workers)]
        + ["--threads", str(args.threads)],
        env=env,
        cwd=ROOT,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{args.port}/healthz").status_code == 200:
                return server
        except httpx.TransportError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("the server did not start")


async def fire(
    args: argparse.Namespace, tokens: list[str], slot_id: int
) -> list[tuple[int, float]]:
    base = f"http://127.0.0.1:{args.port}/janji/"
    niks = [(n % args.distinct, f"6471{n % args.distinct + 1:012d}") for n in range(args.attempts)]
    gate = asyncio.Semaphore(args.in_flight)
    limits = httpx.Limits(max_connections=args.in_flight, max_keepalive_connections=0)
    async with httpx.AsyncClient(limits=limits, timeout=60) as client:
        await client.get(f"{base}{tokens[0]}/")  # the page sets the CSRF cookie the form posts
        headers = {"X-CSRFToken": client.cookies["csrftoken"]}

        async def attempt(index: int, nik: str) -> tuple[int, float]:
            async with gate:
                started = time.perf_counter()
                response = await client.post(
                    f"{base}{tokens[index]}/pesan/",
                    json={"nik": nik, "name": "Warga Bench", "slot": slot_id},
                    headers=headers,
                )
                return response.status_code, time.perf_counter() - started

        return await asyncio.gather(*(attempt(index, nik) for index, nik in niks))


def check(env: dict, slot_id: int) -> str:
    script = f"""
from loket.appointments.models import Booking, Slot
active = Booking.objects.filter(slot_id={slot_id}, status="booked")
slot = Slot.objects.get(pk={slot_id})
print(active.count(), active.values("nik_hash").distinct().count(), slot.booked, slot.capacity)
"""
    out = subprocess.run(
        [*LOKET, "shell", "-c", script], env=env, check=True, cwd=ROOT, capture_output=True
    )
    return out.stdout.decode().split("\n")[-2]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * len(ordered))) - 1)]


def main() -> None:
    args = parse_args()
    data_dir = tempfile.mkdtemp(prefix="loket-bench-")
    env = environment(args, data_dir)
    tokens, slot_id = prepare(args, env)
    server = start_server(args, env)
    try:
        started = time.perf_counter()
        results = asyncio.run(fire(args, tokens, slot_id))
        wall = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=15)
    bookings, distinct, booked, capacity = map(int, check(env, slot_id).split())
    times = [t * 1000 for _, t in results]
    statuses = Counter(status for status, _ in results)
    database = "PostgreSQL" if args.database_url else "SQLite (WAL)"
    print(f"database            {database}")
    print(f"server              loket web --workers {args.workers} --threads {args.threads}")
    print(
        f"attempts            {args.attempts} ({args.distinct} distinct NIKs), "
        f"{args.in_flight} in flight"
    )
    print(f"places              {args.places}")
    print(f"responses           {dict(sorted(statuses.items()))}")
    print(f"bookings            {bookings} (distinct NIKs {distinct}, slot counter {booked})")
    print(f"wall time           {wall:.2f} s ({args.attempts / wall:.0f} requests/s)")
    print(
        f"latency ms          p50 {statistics.median(times):.0f}  p95 {percentile(times, 95):.0f}"
        f"  p99 {percentile(times, 99):.0f}  max {max(times):.0f}"
    )
    ok = bookings == distinct == booked == args.places == statuses.get(201, 0)
    ok = ok and not any(status >= 500 for status in statuses)
    print("result              " + ("OK" if ok else "FAILED"))
    shutil.rmtree(data_dir, ignore_errors=True)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
