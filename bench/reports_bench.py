"""The kepala's dashboard and every export on a year of history: p50/p99 of N loads, the
queries each page runs and its weight. In-process (Django's test client, the view's own time,
no network), against an existing, seeded database:

    export LOKET_DATA_DIR=$PWD/var/b365 LOKET_DEMO_HISTORY_DAYS=0   # SQLite; or DATABASE_URL=…
    .venv/bin/loket migrate && .venv/bin/loket seed-demo && .venv/bin/loket seed-history --days 365
    .venv/bin/python bench/reports_bench.py     # BENCH_LOADS=20, BENCH_YEAR_LOADS=3 (default)

It prints one line per page and writes bench/results-reports-<database>.json.
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "loket.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from loket.applications.models import Application  # noqa: E402
from loket.catalog.models import Office  # noqa: E402
from loket.reports.periods import today_for  # noqa: E402
from loket.staff.models import Role, StaffMember  # noqa: E402

LOADS = int(os.environ.get("BENCH_LOADS", "20"))
# the whole-year dashboard takes seconds a load: fewer loads unless asked
YEAR_LOADS = int(os.environ.get("BENCH_YEAR_LOADS", "3"))


def pages(office: Office) -> list[tuple[str, str]]:
    today = today_for(office)
    year = f"periode=custom&dari={today.replace(year=today.year - 1)}&sampai={today}"
    day = today.replace(day=1)  # a working day of the month with verified applications, mostly
    return [
        ("dashboard, this month (default)", "/staf/laporan/"),
        ("dashboard, today", "/staf/laporan/?periode=today"),
        ("dashboard, a whole year", f"/staf/laporan/?{year}"),
        ("export: one table (per service)", "/staf/laporan/unduh/layanan.xlsx"),
        ("export: every table (XLSX)", "/staf/laporan/unduh/semua.xlsx"),
        ("export: daily rekap PDF", f"/staf/laporan/rekap.pdf?tanggal={today}"),
        ("export: SIAK XLSX", f"/staf/laporan/siak/unduh.xlsx?tanggal={day}"),
        ("export: SIAK CSV", f"/staf/laporan/siak/unduh.csv?tanggal={day}"),
        ("province view, this month", "/staf/laporan/provinsi/"),
    ]


def login(role: str) -> Client:
    user, _ = get_user_model().objects.get_or_create(username=f"bench-{role}")
    StaffMember.objects.update_or_create(
        user=user, defaults={"office": Office.objects.get(slug="balikpapan"), "role": role}
    )
    client = Client()
    client.force_login(user)
    return client


def measure(client: Client, url: str, loads: int) -> dict:
    client.get(url)  # warm: imports, region data, connection
    times = []
    for _ in range(loads):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    times.sort()
    return {
        "p50_ms": round(statistics.median(times)),
        "p99_ms": round(times[min(len(times) - 1, int(len(times) * 0.99))]),
        "queries": len(queries.captured_queries),
        "bytes": len(response.content),
        "loads": loads,
    }


def main() -> None:
    office = Office.objects.get(slug="balikpapan")
    vendor = connection.vendor
    print(f"{vendor}: {Application.objects.filter(office=office).count()} applications, "
          f"{LOADS} loads per page")  # fmt: skip
    kepala, province = login(Role.KEPALA), login(Role.PROVINSI)
    results = {}
    for name, url in pages(office):
        client = province if "provinsi" in url else kepala
        results[name] = measure(client, url, YEAR_LOADS if "year" in name else LOADS)
        r = results[name]
        print(f"{name:36} p50 {r['p50_ms']:6} ms  p99 {r['p99_ms']:6} ms  "
              f"{r['queries']:3} queries  {r['bytes'] / 1024:7.1f} KB  ({r['loads']} loads)",
              flush=True)  # fmt: skip
    out = Path(__file__).with_name(f"results-reports-{vendor}.json")
    out.write_text(json.dumps({"loads": LOADS, "results": results}, indent=2) + "\n")


if __name__ == "__main__":
    main()
