"""PostgreSQL restarted during load: nothing lost. A throwaway cluster, `loket serve` on it."""

import json
import os
import subprocess
import sys
import threading
import time

import httpx
import pytest

from loket.conftest import wait_for
from loket.core import throwaway_pg
from loket.simulator import webhook as simulated
from loket.whatsapp.fakegraph import FakeGraph
from loket.whatsapp.signature import sign

pytestmark = pytest.mark.skipif(
    throwaway_pg.binaries() is None, reason="no PostgreSQL binaries in /usr/lib/postgresql"
)
MESSAGES = 30


def deliver_like_meta(base: str, wa_id: str) -> int:
    """Posts one signed message, redelivering until 200 as Meta does; returns the attempts."""
    body = json.dumps(
        simulated.message_body("123456789", "", wa_id, "Warga", simulated.text_message("halo"))
    ).encode()
    headers = {
        "Content-Type": "application/json",
        "X-Hub-Signature-256": sign(body, "pg-secret"),
    }
    for attempt in range(1, 200):
        try:
            if (
                httpx.post(f"{base}/webhooks/whatsapp/", content=body, headers=headers).status_code
                == 200
            ):
                return attempt
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{wa_id} never accepted")


def test_a_postgresql_restart_during_load_loses_nothing(tmp_path):
    cluster = throwaway_pg.Cluster().start()
    graph = FakeGraph(token="pg-token").start()
    port = throwaway_pg.free_port()
    env = {
        **os.environ,
        "LOKET_DATA_DIR": str(tmp_path),
        "LOKET_ENV": "demo",
        "DATABASE_URL": cluster.url,
        "DATABASE_CONN_MAX_AGE": "60",
        "LOKET_SIMULATOR": "0",
        "WHATSAPP_APP_SECRET": "pg-secret",
        "WHATSAPP_VERIFY_TOKEN": "pg-verify",
        "WHATSAPP_ACCESS_TOKEN": "pg-token",
        "WHATSAPP_PHONE_NUMBER_ID": "123456789",
        "WHATSAPP_GRAPH_URL": graph.url,
        "WHATSAPP_INBOUND_HANDLER": "loket.whatsapp.tests.chaos.slow_echo",
        "LOKET_CHAOS_HANDLER_SECONDS": "0.05",
        "LOKET_TASK_LEASE_SECONDS": "3",
        "LOG_LEVEL": "ERROR",
    }
    loket = [sys.executable, "-m", "loket"]
    server = None
    try:
        subprocess.run([*loket, "migrate", "-v0"], env=env, check=True)
        subprocess.run([*loket, "seed-demo"], env=env, check=True, capture_output=True)
        server = subprocess.Popen(
            [*loket, "serve", "--port", str(port), "--workers", "1", "--threads", "2"], env=env
        )
        base = f"http://127.0.0.1:{port}"
        wait_for(lambda: _up(base), timeout=120, interval=0.3)
        wa_ids = [f"62813000{n:04d}" for n in range(MESSAGES)]
        attempts: list[int] = []

        def citizens(ids):
            for wa_id in ids:
                attempts.append(deliver_like_meta(base, wa_id))
                time.sleep(0.2)

        sender = threading.Thread(target=citizens, args=(wa_ids[10:],))
        citizens(wa_ids[:10])
        sender.start()
        cluster.restart(down_seconds=3)  # while citizens keep writing and the worker answers
        sender.join(timeout=300)

        def answered():
            to = {m["to"] for m in graph.messages() if m["text"]["body"].startswith("balasan")}
            return to >= set(wa_ids)

        wait_for(answered, timeout=180, interval=0.5)
    finally:
        if server:
            server.terminate()
            server.wait(timeout=30)
        graph.stop()
        cluster.stop()
    assert len(attempts) == MESSAGES
    assert max(attempts) > 1  # the outage was felt: Meta had to redeliver


def _up(base: str) -> bool:
    try:
        return httpx.get(f"{base}/healthz", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False
