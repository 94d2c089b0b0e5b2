"""One number floods the office: how long does another citizen wait for the bot's answer?

    .venv/bin/python bench/flood.py --flood 300 --seconds 30

Starts a migrated, seeded installation (SQLite in a temp dir) under `loket serve` with one task
worker and the real bot, a fake Graph API in this process; one number posts --flood messages as
fast as it can while another citizen writes once a second. Runs twice: with the rate limit as
shipped (20 messages a minute, then one notice and silence) and with the limit lifted (fair
priorities only). Prints, per run, the other citizen's reply latency (post -> reply at the fake
Graph API) and how many replies the flooding number got, as JSON.
"""

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from loket.whatsapp.fakegraph import FakeGraph  # noqa: E402
from loket.whatsapp.signature import sign  # noqa: E402

SECRET, PHONE_NUMBER_ID, TOKEN = "flood-secret", "100000000000077", "flood-token"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def body(wa_id: str, text: str) -> bytes:
    message = {
        "from": wa_id,
        "id": f"wamid.FLOOD{uuid.uuid4().hex}",
        "timestamp": str(int(time.time())),
        "type": "text",
        "text": {"body": text},
    }
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"phone_number_id": PHONE_NUMBER_ID},
        "contacts": [{"profile": {"name": "Warga"}, "wa_id": wa_id}],
        "messages": [message],
    }
    return json.dumps({"entry": [{"changes": [{"field": "messages", "value": value}]}]}).encode()


def post(client: httpx.Client, base: str, wa_id: str, text: str) -> None:
    raw = body(wa_id, text)
    client.post(
        f"{base}/webhooks/whatsapp/",
        content=raw,
        headers={"Content-Type": "application/json", "X-Hub-Signature-256": sign(raw, SECRET)},
    )


def run(limit: int, flood: int, seconds: float) -> dict:
    graph = FakeGraph(token=TOKEN).start()
    tmp = tempfile.mkdtemp(prefix="loket-flood-")
    port = free_port()
    env = {
        **os.environ,
        "LOKET_DATA_DIR": tmp,
        "LOKET_ENV": "demo",
        "DATABASE_URL": f"sqlite:///{tmp}/flood.sqlite3",
        "LOKET_SIMULATOR": "0",
        "WHATSAPP_APP_SECRET": SECRET,
        "WHATSAPP_VERIFY_TOKEN": "flood",
        "WHATSAPP_ACCESS_TOKEN": TOKEN,
        "WHATSAPP_PHONE_NUMBER_ID": PHONE_NUMBER_ID,
        "WHATSAPP_GRAPH_URL": graph.url,
        "WHATSAPP_RATE_LIMIT_MESSAGES": str(limit),
        "LOG_LEVEL": "ERROR",
    }
    loket = [sys.executable, "-m", "loket"]
    subprocess.run([*loket, "migrate", "-v0"], env=env, check=True)
    subprocess.run([*loket, "seed-demo"], env=env, check=True, capture_output=True)
    server = subprocess.Popen([*loket, "serve", "--port", str(port), "--workers", "1"], env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(timeout=30) as client:
            for _ in range(600):
                try:
                    if client.get(f"{base}/healthz").status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.3)
            sent: dict[str, float] = {}

            def flooder() -> None:
                with httpx.Client(timeout=30) as c:
                    for n in range(flood):
                        post(c, base, "628100000001", f"halo {n}")

            thread = threading.Thread(target=flooder)
            thread.start()
            start = time.monotonic()
            n = 0
            while time.monotonic() - start < seconds:
                wa_id = f"62820000{n:04d}"  # a new citizen each second: one message each
                sent[wa_id] = time.monotonic()  # FakeGraph stamps with monotonic too
                post(client, base, wa_id, "mau bikin ktp")
                n += 1
                time.sleep(1)
            thread.join()
            deadline = time.monotonic() + 300
            while time.monotonic() < deadline:
                got = {r.body.get("to") for r in graph.received if r.path.endswith("/messages")}
                if set(sent) <= got:
                    break
                time.sleep(0.5)
        first_reply = {}
        for r in graph.received:
            to = r.body.get("to")
            if to in sent and to not in first_reply:
                first_reply[to] = r.at - sent[to]
        waits = sorted(first_reply.values())
        flooder_replies = sum(1 for r in graph.received if r.body.get("to") == "628100000001")
        return {
            "rate_limit": limit,
            "flood_messages": flood,
            "others": len(sent),
            "others_answered": len(waits),
            "others_wait_p50_s": round(waits[len(waits) // 2], 2) if waits else None,
            "others_wait_max_s": round(waits[-1], 2) if waits else None,
            "flooder_replies": flooder_replies,
        }
    finally:
        server.terminate()
        server.wait(timeout=30)
        graph.stop()
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--flood", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=30)
    args = parser.parse_args()
    for limit in (20, 1_000_000):
        print(json.dumps(run(limit, args.flood, args.seconds)), flush=True)


if __name__ == "__main__":
    main()
