"""Real task worker processes for tests and benchmarks, on the database the caller uses."""

import os
import signal
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.db import connection


def database_url() -> str:
    """The URL of the database this process is connected to (the test database in tests)."""
    db = settings.DATABASES["default"]
    name = connection.settings_dict["NAME"]
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{Path(name).resolve()}"
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    return f"postgres://{auth}{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{name}"


def worker_env(graph_url: str, **extra: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": database_url(),
        "LOKET_ENV": "test",
        "LOKET_SIMULATOR": "0",
        "WHATSAPP_ACCESS_TOKEN": "test-token",
        "WHATSAPP_APP_SECRET": settings.WHATSAPP_APP_SECRET,
        "WHATSAPP_VERIFY_TOKEN": settings.WHATSAPP_VERIFY_TOKEN or "test-verify",
        "WHATSAPP_PHONE_NUMBER_ID": settings.WHATSAPP_PHONE_NUMBER_ID,
        "WHATSAPP_GRAPH_URL": graph_url,
        "LOKET_TASK_LEASE_SECONDS": "2",
        **extra,
    }


def spawn_worker(env: dict, interval: float = 0.05) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "loket", "worker", "--interval", str(interval)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=None if os.environ.get("LOKET_WORKER_STDERR") else subprocess.DEVNULL,
    )


def pid_of(worker_id: str) -> int:
    """`loket worker` ids are host-pid-stamp."""
    return int(worker_id.rsplit("-", 2)[1])


def stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
