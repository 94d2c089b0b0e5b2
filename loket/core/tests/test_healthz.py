"""/healthz names the dependency that is down; LOKET_LOG_FORMAT=json gives one JSON line per
event."""

import datetime as dt
import json
import os
import subprocess
import sys

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from loket.core.models import WorkerLease
from loket.core.throwaway_pg import free_port


def _stale_task(minutes: int) -> None:
    from loket.whatsapp.tasks import deliver

    deliver.enqueue(1)
    DBTaskResult.objects.update(enqueued_at=timezone.now() - dt.timedelta(minutes=minutes))


def test_all_up_is_200_with_every_check_named(client, db, settings):
    settings.REDIS_URL = ""
    body = client.get("/healthz").json()
    assert body["status"] == "ok" and body["down"] == []
    assert set(body["checks"]) == {"database", "tasks"}  # no cache check without Redis
    assert body["checks"]["tasks"]["oldest_due_seconds"] is None


def test_a_task_waiting_too_long_without_a_worker_is_named(client, db, settings):
    settings.LOKET_HEALTH_MAX_TASK_AGE_SECONDS = 300
    _stale_task(minutes=2)
    assert client.get("/healthz").status_code == 200  # waiting, but not too long yet
    _stale_task(minutes=10)
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["down"] == ["tasks"] and body["checks"]["database"]["ok"]
    assert "no worker heartbeat" in body["checks"]["tasks"]["error"]
    WorkerLease.objects.create(worker_id="h-1-1", heartbeat_at=timezone.now())
    body = client.get("/healthz").json()
    assert body["checks"]["tasks"]["workers"] == 1
    assert "workers behind" in body["checks"]["tasks"]["error"]


def test_redis_down_is_named_and_redis_up_is_checked(client, db, settings):
    settings.REDIS_URL = f"redis://127.0.0.1:{free_port()}/4"  # nothing listens there
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": settings.REDIS_URL,
        }
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["down"] == ["cache"]
    assert "Connection" in response.json()["checks"]["cache"]["error"]
    settings.REDIS_URL = "redis://127.0.0.1:6379/4"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": settings.REDIS_URL,
        }
    }
    response = client.get("/healthz")
    assert response.status_code == 200, response.json()
    assert response.json()["checks"]["cache"] == {"ok": True}


LOG = (
    "import logging, django; django.setup(); "
    "logging.getLogger('loket.demo').warning('pesan %s', 'keluar', extra={'office': 7})"
)


def _log_line(fmt: str) -> str:
    env = {**os.environ, "LOKET_ENV": "test", "LOKET_LOG_FORMAT": fmt}
    env["DJANGO_SETTINGS_MODULE"] = "loket.settings"
    result = subprocess.run(
        [sys.executable, "-c", LOG], env=env, capture_output=True, text=True, timeout=120
    )
    return result.stderr.strip().splitlines()[-1] if result.stderr.strip() else result.stderr


def test_json_logs_are_one_object_per_line_and_text_stays_the_default():
    event = json.loads(_log_line("json"))
    assert event["level"] == "warning" and event["logger"] == "loket.demo"
    assert event["message"] == "pesan keluar" and event["office"] == 7
    assert dt.datetime.fromisoformat(event["time"]).tzinfo is not None
    text = _log_line("text")
    assert text.endswith("WARNING loket.demo pesan keluar") and not text.startswith("{")
    assert "LOKET_LOG_FORMAT must be text or json" in _log_line("xml")
