"""Webhook benchmark: a running `loket serve` on PostgreSQL, signed batches, a fake Graph API.

Measures, on one machine: the trivial /ping view (the ratio's baseline), the accepted inbound
messages/s and ACK latency with wrk (closed loop, each request a new signed batch), then reply
latency (webhook in -> reply at the fake Graph API) at a sustained open-loop rate, with lost and
duplicated replies. The fake Graph API runs in its own process so it does not share the sender's
interpreter.

    .venv/bin/python bench/webhook.py             # full run (about 5 minutes); needs wrk
    .venv/bin/python bench/webhook.py --quick     # smoke run

Needs PostgreSQL (default postgres://postgres@127.0.0.1:5432/loket_bench: the database is dropped
and created) and wrk (Debian package `wrk`). Prints a JSON summary as its last line.
"""

import argparse
import asyncio
import json
import multiprocessing
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from loket.whatsapp.fakegraph import FakeGraph  # noqa: E402
from loket.whatsapp.signature import sign  # noqa: E402

SECRET = "bench-secret"
PHONE_NUMBER_ID = "100000000000099"
TOKEN = "bench-token"

WRK_SCRIPT = """
local counter = 0
function setup(thread) thread:set("id", counter); counter = counter + 1 end
local sigs, bodies, i = {}, {}, 0
function init(args)
  local f = assert(io.open(args[1] .. "." .. id, "r"))
  for line in f:lines() do
    local tab = line:find("\\t")
    sigs[#sigs + 1] = line:sub(1, tab - 1); bodies[#bodies + 1] = line:sub(tab + 1)
  end
  f:close()
end
function request()
  i = i + 1; if i > #bodies then i = 1 end
  return wrk.format("POST", "/webhooks/whatsapp/", {["Content-Type"] = "application/json",
    ["X-Hub-Signature-256"] = sigs[i]}, bodies[i])
end
"""


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def batch(messages: list[tuple[str, str]]) -> bytes:
    """A webhook body with one change per message: (wa_id, text)."""
    now = str(int(time.time()))
    changes = [
        {
            "field": "messages",
            "value": {
                "messaging_product": "whatsapp",
                "metadata": {"display_phone_number": "62542", "phone_number_id": PHONE_NUMBER_ID},
                "contacts": [{"profile": {"name": "Bench"}, "wa_id": wa_id}],
                "messages": [
                    {
                        "from": wa_id,
                        "id": f"wamid.BENCH{uuid.uuid4().hex}",
                        "timestamp": now,
                        "type": "text",
                        "text": {"body": text},
                    }
                ],
            },
        }
        for wa_id, text in messages
    ]
    return json.dumps(
        {"object": "whatsapp_business_account", "entry": [{"id": "WABA", "changes": changes}]}
    ).encode()


# --- the fake Graph API in its own process --------------------------------------------------


def _serve_fake_graph(queue: multiprocessing.Queue) -> None:
    graph = FakeGraph(token=TOKEN).start()
    queue.put(graph.url)
    graph.thread.join()


def start_fake_graph() -> tuple[multiprocessing.Process, str]:
    queue: multiprocessing.Queue = multiprocessing.Queue()
    process = multiprocessing.Process(target=_serve_fake_graph, args=(queue,), daemon=True)
    process.start()
    return process, queue.get(timeout=10)


def received(graph_url: str) -> list[dict]:
    r = httpx.get(
        f"{graph_url}/__received", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30
    )
    return r.json()["received"]


# --- the server ---------------------------------------------------------------------------


def loket(env: dict, *args: str) -> str:
    return subprocess.run(
        [sys.executable, "-m", "loket", *args], env=env, check=True, capture_output=True, text=True
    ).stdout


def prepare_database(url: str) -> None:
    if url.startswith("postgres"):
        base, name = url.rsplit("/", 1)
        for sql in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
            subprocess.run(
                ["psql", f"{base}/postgres", "-q", "-c", sql], check=True, capture_output=True
            )


def start_server(env: dict, port: int, web_workers: int, task_workers: int) -> subprocess.Popen:
    loket(env, "migrate", "-v0")
    loket(env, "seed-demo")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "loket",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(web_workers),
            "--threads",
            "4",
            "--task-workers",
            str(task_workers),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    server.kill()
    raise SystemExit("the server did not start")


def scalar(env: dict, code: str) -> int:
    return int(loket(env, "shell", "-c", code).strip().splitlines()[-1])


def count_inbound(env: dict) -> int:
    return scalar(
        env, "from loket.whatsapp.models import InboundMessage as M; print(M.objects.count())"
    )


def drain(env: dict, timeout: float = 600) -> float:
    """Waits until the task queue is empty, so phases do not overlap; returns seconds waited."""
    started = time.monotonic()
    code = (
        "from django_tasks_db.models import DBTaskResult as T; "
        "print(T.objects.filter(status__in=['READY', 'RUNNING']).count())"
    )
    while time.monotonic() - started < timeout and scalar(env, code) > 0:
        time.sleep(1)
    return round(time.monotonic() - started, 1)


# --- phases -----------------------------------------------------------------------------


def _ms(value: str) -> float:
    for suffix, factor in (("us", 0.001), ("ms", 1.0), ("s", 1000.0)):
        if value.endswith(suffix):
            return round(float(value[: -len(suffix)]) * factor, 2)
    return float(value)


def run_wrk(
    url: str,
    connections: int,
    seconds: float,
    script: str | None = None,
    args: list[str] | None = None,
) -> dict:
    """Closed-loop load with wrk (2 threads): requests/s and latency percentiles."""
    command = ["wrk", "-t2", f"-c{connections}", f"-d{int(seconds)}s", "--latency"]
    if script:
        command += ["-s", script]
    command.append(url)
    if args:
        command += ["--", *args]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    result: dict = {"connections": connections, "non_2xx": 0}
    for line in out.splitlines():
        parts = line.split()
        if line.startswith("Requests/sec:"):
            result["req_s"] = float(parts[1])
        elif len(parts) == 2 and parts[0] in ("50%", "99%"):
            result[f"p{parts[0][:-1]}_ms"] = _ms(parts[1])
        elif "Non-2xx" in line:
            result["non_2xx"] = int(parts[-1])
    return result


def ack_phase(
    base: str, env: dict, connections: int, seconds: float, per_post: int, workdir: Path
) -> dict:
    """Accepted messages/s and ACK latency with wrk, each request a new signed batch."""
    prefix = workdir / f"req-{per_post}-{connections}"
    posts = int(3000 * seconds / per_post) + 500  # more than the server can take
    for thread in range(2):
        with open(f"{prefix}.{thread}", "w") as f:
            for i in range(posts):
                raw = batch(
                    [
                        (f"628{thread}{connections:03d}{i:06d}{j:02d}", "terima kasih")
                        for j in range(per_post)
                    ]
                )
                f.write(f"{sign(raw, SECRET)}\t{raw.decode()}\n")
    script = workdir / "webhook.lua"
    script.write_text(WRK_SCRIPT)
    before = count_inbound(env)
    result = run_wrk(f"{base}/webhooks/whatsapp/", connections, seconds, str(script), [str(prefix)])
    stored = count_inbound(env) - before
    result.update(
        messages_per_post=per_post, stored_msgs=stored, accepted_msgs_s=round(stored / seconds, 1)
    )
    result["drain_seconds"] = drain(env)
    return result


async def fire(
    url: str, bodies: list[bytes], rate: float, concurrency: int
) -> tuple[list[float], list[float], int, float]:
    """Open loop: POSTs `bodies` at `rate`/s; returns send times, ACK latencies (ms), errors."""
    sent_at = [0.0] * len(bodies)
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:

        async def one(index: int, raw: bytes) -> None:
            nonlocal errors
            sent_at[index] = time.monotonic()
            try:
                r = await client.post(
                    url,
                    content=raw,
                    headers={
                        "Content-Type": "application/json",
                        "X-Hub-Signature-256": sign(raw, SECRET),
                    },
                )
                if r.status_code != 200:
                    errors += 1
                    return
            except httpx.HTTPError:
                errors += 1
                return
            latencies.append((time.monotonic() - sent_at[index]) * 1000)

        start = time.monotonic()
        pending = []
        for i, raw in enumerate(bodies):
            delay = start + i / rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            pending.append(asyncio.create_task(one(i, raw)))
        await asyncio.gather(*pending)
        elapsed = time.monotonic() - start
    return sent_at, latencies, errors, elapsed


def reply_phase(base: str, graph_url: str, rate: int, seconds: float, timeout: float) -> dict:
    count = int(rate * seconds)
    wa_ids = [f"62899{i:08d}" for i in range(count)]
    bodies = [batch([(wa_id, "mau bikin akta kelahiran anak")]) for wa_id in wa_ids]
    already = len(received(graph_url))
    sent_at, latencies, errors, elapsed = asyncio.run(
        fire(f"{base}/webhooks/whatsapp/", bodies, rate, concurrency=64)
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and len(received(graph_url)) - already < count:
        time.sleep(1)
    replies: dict[str, list[float]] = {}
    for row in received(graph_url)[already:]:
        replies.setdefault(row["to"], []).append(row["at"])
    reply_ms, lost, duplicated = [], 0, 0
    for wa_id, at in zip(wa_ids, sent_at, strict=True):
        got = replies.get(wa_id, [])
        if not got:
            lost += 1
            continue
        duplicated += len(got) - 1
        reply_ms.append((min(got) - at) * 1000)
    return {
        "target_msgs_s": rate,
        "seconds": seconds,
        "sent": count,
        "send_errors": errors,
        "sent_msgs_s": round(count / elapsed, 1),
        "ack_p50_ms": round(percentile(latencies, 50), 1),
        "ack_p99_ms": round(percentile(latencies, 99), 1),
        "reply_p50_ms": round(percentile(reply_ms, 50), 1),
        "reply_p99_ms": round(percentile(reply_ms, 99), 1),
        "lost": lost,
        "duplicated": duplicated,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/loket_bench")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--web-workers", type=int, default=3)
    parser.add_argument("--task-workers", type=int, default=4)
    parser.add_argument("--connections", default="16,64")
    parser.add_argument("--per-post", default="1,10")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--reply-rates", default="100,200")
    parser.add_argument("--reply-seconds", type=float, default=60)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    if args.quick:
        args.connections, args.per_post, args.seconds = "16", "1", 3
        args.reply_rates, args.reply_seconds = "50", 5

    graph_process, graph_url = start_fake_graph()
    workdir = Path(tempfile.mkdtemp(prefix="loket-bench-"))
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "LOKET_DATA_DIR": str(workdir),
        "LOKET_SIMULATOR": "0",
        "WHATSAPP_APP_SECRET": SECRET,
        "WHATSAPP_VERIFY_TOKEN": "v",
        "WHATSAPP_ACCESS_TOKEN": TOKEN,
        "WHATSAPP_PHONE_NUMBER_ID": PHONE_NUMBER_ID,
        "WHATSAPP_GRAPH_URL": graph_url,
        "LOG_LEVEL": "WARNING",
        "LOKET_PUBLIC_URL": f"http://127.0.0.1:{args.port}",
    }
    prepare_database(args.database_url)
    print(
        f"loket serve: {args.web_workers} web processes x 4 threads, {args.task_workers} "
        f"task workers; {os.cpu_count()} CPUs",
        file=sys.stderr,
    )
    server = start_server(env, args.port, args.web_workers, args.task_workers)
    base = f"http://127.0.0.1:{args.port}"
    summary: dict = {
        "database": args.database_url.split(":")[0],
        "cpus": os.cpu_count(),
        "web_workers": args.web_workers,
        "task_workers": args.task_workers,
        "ping": [],
        "ack": [],
        "reply": [],
    }
    try:
        for c in [int(c) for c in args.connections.split(",")]:
            summary["ping"].append(run_wrk(f"{base}/ping", c, args.seconds))
            print(f"  /ping: {summary['ping'][-1]}", file=sys.stderr)
            for per_post in [int(p) for p in args.per_post.split(",")]:
                summary["ack"].append(ack_phase(base, env, c, args.seconds, per_post, workdir))
                print(f"  webhook: {summary['ack'][-1]}", file=sys.stderr)
        for rate in [int(r) for r in args.reply_rates.split(",")]:
            print(f"replies at {rate} msg/s for {args.reply_seconds} s", file=sys.stderr)
            summary["reply"].append(
                reply_phase(base, graph_url, rate, args.reply_seconds, timeout=180)
            )
            print(f"  {summary['reply'][-1]}", file=sys.stderr)
            drain(env)
        print(json.dumps(summary))
    finally:
        server.terminate()
        server.wait(timeout=20)
        graph_process.terminate()


if __name__ == "__main__":
    main()
