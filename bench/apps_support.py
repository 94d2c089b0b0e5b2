"""Shared by the applications benchmarks: a demo database, a running `loket serve`, a citizen."""

import io
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
LOKET = [sys.executable, "-m", "loket"]


def fresh_database() -> None:
    """Sets Django up on the configured database, made anew (PostgreSQL) and migrated."""
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "postgresql":
        name = settings.DATABASES["default"]["NAME"]
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{name}"')
    call_command("migrate", verbosity=0)


def prepare(data_dir: str, database_url: str = "") -> dict:
    """Environment for server and script; makes the PostgreSQL database when it is missing."""
    env = dict(os.environ, LOKET_DATA_DIR=data_dir, LOKET_ENV="demo", LOG_LEVEL="WARNING")
    if database_url:
        env["DATABASE_URL"] = database_url
        _create_pg_database(database_url)
    else:
        env.pop("DATABASE_URL", None)
        for old in Path(data_dir).glob("loket.sqlite3*"):  # a fresh database each run
            old.unlink()
    os.environ.update({k: v for k, v in env.items() if k.startswith(("LOKET_", "DATABASE"))})
    if not database_url:
        os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "loket.settings")
    subprocess.run([*LOKET, "migrate", "--no-input", "-v", "0"], env=env, check=True, cwd=ROOT)
    import django

    django.setup()
    from loket.catalog import demo

    demo.seed()
    return env


def _create_pg_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def start_server(env: dict, port: int, workers: int = 4) -> subprocess.Popen:
    import socket

    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", port)) == 0:
            raise RuntimeError(f"port {port} is taken: set BENCH_PORT to a free one")
    env = dict(env, LOKET_PUBLIC_URL=f"http://127.0.0.1:{port}")
    process = subprocess.Popen(  # noqa: S603
        [*LOKET, "serve", "--port", str(port), "--workers", str(workers)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=open(Path(env["LOKET_DATA_DIR"]) / "server.log", "w"),  # noqa: SIM115
        start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("loket serve exited at start")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.2)
    stop_server(process)
    raise RuntimeError("loket serve did not start")


def stop_server(process: subprocess.Popen) -> None:
    import signal

    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


def make_contacts(count: int, prefix: str = "62811000") -> list[str]:
    """`count` WhatsApp contacts of the demo office; returns their personal-link paths."""
    from django.utils import timezone

    from loket.catalog.models import Office
    from loket.core.links import make_token
    from loket.whatsapp.models import Contact

    office = Office.objects.get(slug="balikpapan")
    paths = []
    for i in range(count):
        contact, _ = Contact.objects.update_or_create(
            office=office,
            wa_id=f"{prefix}{i:04d}",
            defaults={"profile_name": f"Warga {i}", "last_inbound_at": timezone.now()},
        )
        paths.append(f"/l/{make_token(contact.pk, 'akta-lahir')}/")
    return paths


def photo_bytes(target_bytes: int = 2 * 1024 * 1024, seed: int = 0) -> bytes:
    """A phone-camera-like JPEG of about `target_bytes` (noise compresses badly, like photos)."""
    from PIL import Image

    side = 900
    while True:
        image = Image.frombytes("RGB", (side * 4 // 3, side), os.urandom(side * 4 // 3 * side * 3))
        out = io.BytesIO()
        image.save(out, "JPEG", quality=85)
        if out.tell() >= target_bytes:
            return out.getvalue()
        side += 60


def pdf_bytes() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (300, 400), "white").save(out, "PDF")
    return out.getvalue()


FORM = {
    "nik": "6471051203900001",
    "kk": "6471050101200003",
    "name": "Warga Balikpapan",
    "birth_place": "Balikpapan",
    "birth_date": "1990-03-12",
    "address": "Jl. Mawar No. 5 RT 12",
    "kelurahan": "64.71.05.1002",
    "x_child_name": "Ayu",
    "x_child_sex": "P",
    "x_child_birth_place": "RSUD Balikpapan",
    "x_child_birth_date": "2026-01-20",
    "x_mother_name": "Siti Aminah",
    "action": "submit",
}


def csrf_of(client: httpx.Client, url: str) -> str:
    html = client.get(url).text
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if not match:
        raise RuntimeError(f"no form at {url}")
    return match.group(1)


def submit(client: httpx.Client, url: str, photo: bytes, pdf: bytes, csrf: str) -> httpx.Response:
    files = {"doc_3": ("kk.jpg", photo, "image/jpeg")}
    for index in (0, 1, 2, 4):
        files[f"doc_{index}"] = ("dok.pdf", pdf, "application/pdf")
    return client.post(
        url, data={**FORM, "csrfmiddlewaretoken": csrf}, files=files, headers={"Referer": url}
    )
