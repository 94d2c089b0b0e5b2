"""Webhook benchmark: `loket serve` with its defaults, signed webhooks, a fake Graph API.

Measures, on one machine (issue 2, extended for issue 14):

1. statements per accepted and per answered message, counted in this process with a
   connection execute_wrapper (a webhook through Django's test client, then the worker's
   code run here), before the server starts;
2. the CPU an idle worker uses (10 s with nothing to do);
3. the trivial /ping view and the webhook (one message per POST) with wrk, closed loop: the
   accept figure and its ratio to the trivial view;
4. the ladder: a new citizen writes "mau bikin akta kelahiran anak" at each rate, open loop,
   for --duration seconds; ACK and reply p50/p99, lost and duplicated replies, and CPU seconds
   per process group (web, worker, postgres backends of this database, load generator with the
   fake Graph API);
5. optionally (--restart-rate) a rolling restart (SIGHUP to `loket serve`) under load: webhooks
   refused (goal 0), lost and duplicated replies.

    .venv/bin/python bench/webhook.py --db postgres                 # ladder 50..600, 60 s each
    .venv/bin/python bench/webhook.py --db sqlite --ladder 50,100,150,200
    .venv/bin/python bench/webhook.py --quick                       # smoke run (a minute)
    .venv/bin/python bench/webhook.py --code /tmp/loket-main        # "before": another checkout

PostgreSQL: --database-url (default postgres://postgres@127.0.0.1:5432/loket_bench, dropped and
created). Needs wrk (Debian package `wrk`). Prints a JSON summary as its last line.
"""

import argparse
import asyncio
import contextlib
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
if "--code" in sys.argv:  # measure another checkout (the code before a change) with this script
    ROOT = Path(sys.argv[sys.argv.index("--code") + 1]).resolve()
sys.path.insert(0, str(ROOT))

import loadgen  # noqa: E402  (beside this script, also with --code)

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


def start_fake_graph(lean: bool = True) -> tuple[multiprocessing.Process, str]:
    """The Graph API the server sends to: the lean sink, or the test suite's FakeGraph."""
    if lean:
        return loadgen.start_sink(TOKEN)
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
        [sys.executable, "-m", "loket", *args],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    ).stdout


def prepare_database(url: str) -> None:
    if url.startswith("postgres"):
        base, name = url.rsplit("/", 1)
        for sql in (f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", f"CREATE DATABASE {name}"):
            subprocess.run(
                ["psql", f"{base}/postgres", "-q", "-c", sql], check=True, capture_output=True
            )


def start_server(env: dict, port: int, web_workers: int | None, task_workers: int | None):
    command = [sys.executable, "-m", "loket", "serve", "--host", "127.0.0.1", "--port", str(port)]
    if web_workers:
        command += ["--workers", str(web_workers)]
    if task_workers:
        command += ["--task-workers", str(task_workers)]
    server = subprocess.Popen(
        command,
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: stopped as a whole, no orphan
    )
    deadline = time.monotonic() + 300  # a loaded machine starts slowly
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    os.killpg(server.pid, signal.SIGKILL)
    raise SystemExit("the server did not start")


# --- in-process: Django on the bench database -------------------------------------------------


def setup_django(env: dict) -> None:
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "loket.settings"
    import django

    django.setup()


def waiting() -> int:
    """Messages not answered yet, and tasks not run yet."""
    from django.db import close_old_connections
    from django_tasks_db.models import DBTaskResult

    from loket.whatsapp import spool
    from loket.whatsapp.models import InboundMessage

    close_old_connections()
    new = spool.waiting() + InboundMessage.objects.filter(state__in=["new", "processing"]).count()
    return new + DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).count()


def drain(timeout: float = 300) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout and waiting() > 0:
        time.sleep(0.5)
    return round(time.monotonic() - started, 1)


def count_inbound() -> int:
    from loket.whatsapp.models import InboundMessage

    return InboundMessage.objects.count()


class Counter:
    """Counts the statements (execute calls) and the commits of this process's connection."""

    def __init__(self) -> None:
        self.statements = 0
        self.commits = 0

    def __call__(self, execute, sql, params, many, context):
        self.statements += 1
        return execute(sql, params, many, context)

    def __enter__(self):
        from django.db import connection

        self._original = connection.commit

        def commit():
            self.commits += 1
            return self._original()

        connection.commit = commit
        self._wrapper = connection.execute_wrapper(self)
        self._wrapper.__enter__()
        return self

    def __exit__(self, *exc):
        from django.db import connection

        self._wrapper.__exit__(*exc)
        connection.commit = self._original


def count_statements(messages: int = 50) -> dict:
    """Statements per accepted message (webhook through the test client, one message per POST)
    and per answered message (the worker's own loop, run here until the queue is empty)."""
    from django.conf import settings
    from django.test import Client

    from loket.core.tasks import make_worker

    client = Client()
    bodies = [batch([(f"62866{i:07d}", "mau bikin akta kelahiran anak")]) for i in range(messages)]
    # warm up caches (office, settings) the way a running server has them
    warm = batch([("628660000000", "halo")])
    client.post(
        "/webhooks/whatsapp/",
        warm,
        content_type="application/json",
        HTTP_X_HUB_SIGNATURE_256=sign(warm, SECRET),
    )
    make_worker("bench-warm", batch=True, interval=0).run()
    with Counter() as accept:
        for raw in bodies:
            r = client.post(
                "/webhooks/whatsapp/",
                raw,
                content_type="application/json",
                HTTP_X_HUB_SIGNATURE_256=sign(raw, SECRET),
            )
            assert r.status_code == 200, r.status_code
    with Counter() as answer:
        make_worker("bench-count", batch=True, interval=0).run()
    return {
        "messages": messages,
        "accept_statements_per_message": round(accept.statements / messages, 2),
        "accept_commits_per_message": round(accept.commits / messages, 2),
        "answer_statements_per_message": round(answer.statements / messages, 2),
        "answer_commits_per_message": round(answer.commits / messages, 2),
        "batch_pumps": getattr(settings, "LOKET_WORKER_PUMPS", []),
    }


# --- CPU per process group ------------------------------------------------------------------


TICKS = os.sysconf("SC_CLK_TCK")


def _cpu(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return 0.0


def _descendants(pid: int) -> list[int]:
    out = []
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            kids = [int(p) for p in f.read().split()]
    except FileNotFoundError:
        return out
    for kid in kids:
        out += [kid, *_descendants(kid)]
    return out


def _cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode()
    except FileNotFoundError:
        return ""


def groups(server_pid: int, graph_pid: int, database: str) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {"web": [], "worker": [], "postgres": [], "generator": []}
    web_roots = []
    for pid in _descendants(server_pid):
        line = _cmdline(pid)
        if "loket worker" in line:
            found["worker"].append(pid)
        elif "loket web" in line:
            web_roots.append(pid)
    for root in web_roots:  # a forked web process has its parent's command line: once each
        found["web"] += [pid for pid in [root, *_descendants(root)] if pid not in found["web"]]
    found["generator"] = [os.getpid(), graph_pid]
    if database:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                [database],
            )
            found["postgres"] = [row[0] for row in cursor.fetchall()]
    return found


class CPU:
    """CPU seconds used by each group between start() and stop() (processes alive at both)."""

    def __init__(self, server_pid: int, graph_pid: int, database: str) -> None:
        self.args = (server_pid, graph_pid, database)

    def start(self) -> None:
        self.before = {
            name: {pid: _cpu(pid) for pid in pids} for name, pids in groups(*self.args).items()
        }
        self.started = time.monotonic()

    def stop(self) -> dict:
        after = groups(*self.args)
        wall = time.monotonic() - self.started
        used = {}
        for name, pids in after.items():
            used[name] = round(
                sum(_cpu(pid) - self.before.get(name, {}).get(pid, 0.0) for pid in pids), 2
            )
        used["wall_seconds"] = round(wall, 1)
        return used


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
    base: str,
    connections: int,
    seconds: float,
    per_post: int,
    workdir: Path,
    cpu: "CPU",
    alone: bool = True,
) -> dict:
    """Accepted messages/s and ACK latency with wrk, each request a new signed batch.

    `alone`: the task workers are paused (SIGSTOP) while wrk runs, so the figure is the web
    side's accepting on its own; they answer the backlog afterwards (SIGCONT)."""
    prefix = workdir / f"req-{per_post}-{connections}"
    posts = int(4000 * seconds / per_post) + 500  # more than the server can take
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
    before = count_inbound()
    workers = groups(*cpu.args)["worker"] if alone else []
    for pid in workers:
        os.kill(pid, signal.SIGSTOP)
    try:
        cpu.start()
        result = run_wrk(
            f"{base}/webhooks/whatsapp/", connections, seconds, str(script), [str(prefix)]
        )
        result["cpu_seconds"] = cpu.stop()
    finally:
        for pid in workers:
            os.kill(pid, signal.SIGCONT)
    result["drain_seconds"] = drain()  # on SQLite the spool is stored by the workers
    stored = count_inbound() - before
    result.update(
        workers_paused=alone,
        messages_per_post=per_post,
        stored_msgs=stored,
        accepted_msgs_s=round(stored / seconds, 1),
    )
    return result


async def fire(
    url: str, bodies: list[bytes], rate: float, concurrency: int, at: dict | None = None
) -> tuple[list[float], list[float], list, float]:
    """`loadgen.open_loop` with httpx's async client (`--generator httpx`)."""
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:

        async def send(raw: bytes) -> int:
            headers = {"Content-Type": "application/json", "X-Hub-Signature-256": sign(raw, SECRET)}
            return (await client.post(url, content=raw, headers=headers)).status_code

        return await loadgen.open_loop(bodies, rate, send, httpx.HTTPError, at)


def reply_phase(
    base: str,
    graph_url: str,
    rate: int,
    seconds: float,
    timeout: float,
    cpu: CPU | None = None,
    at: dict | None = None,
    prefix: str = "62899",
    lean: bool = True,
) -> dict:
    count = int(rate * seconds)
    wa_ids = [f"{prefix}{rate:04d}{i:06d}" for i in range(count)]
    bodies = [batch([(wa_id, "mau bikin akta kelahiran anak")]) for wa_id in wa_ids]
    already = len(received(graph_url))
    if lean:
        host, port = base.removeprefix("http://").split(":")
        requests = [
            loadgen.post(
                host,
                int(port),
                "/webhooks/whatsapp/",
                raw,
                {"Content-Type": "application/json", "X-Hub-Signature-256": sign(raw, SECRET)},
            )
            for raw in bodies
        ]
        run = loadgen.fire(host, int(port), requests, rate, concurrency=256, at=at)
    else:
        run = fire(f"{base}/webhooks/whatsapp/", bodies, rate, concurrency=256, at=at)
    if cpu:
        cpu.start()
    sent_at, latencies, failures, elapsed = asyncio.run(run)
    load_cpu = cpu.stop() if cpu else None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and len(received(graph_url)) - already < count:
        time.sleep(1)
    replies: dict[str, list[float]] = {}
    for row in received(graph_url)[already:]:
        replies.setdefault(row["to"], []).append(row["at"])
    reply_ms, lost, duplicated = [], 0, 0
    for wa_id, at_ in zip(wa_ids, sent_at, strict=True):
        got = replies.get(wa_id, [])
        if not got:
            lost += 1
            continue
        duplicated += len(got) - 1
        reply_ms.append((min(got) - at_) * 1000)
    result = {
        "target_msgs_s": rate,
        "seconds": seconds,
        "sent": count,
        "refused": len(failures),
        "refusals": sorted({str(f) for f in failures}),
        "accepted_msgs_s": round((count - len(failures)) / elapsed, 1),
        "ack_p50_ms": round(percentile(latencies, 50), 1),
        "ack_p99_ms": round(percentile(latencies, 99), 1),
        "reply_p50_ms": round(percentile(reply_ms, 50), 1),
        "reply_p99_ms": round(percentile(reply_ms, 99), 1),
        "lost": lost,
        "duplicated": duplicated,
    }
    if load_cpu:
        result["cpu_seconds"] = load_cpu
        answered = count - lost
        busy = sum(v for k, v in load_cpu.items() if k in ("web", "worker", "postgres"))
        result["server_cpu_ms_per_message"] = round(1000 * busy / max(1, answered), 2)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/loket_bench")
    parser.add_argument("--code", default=str(ROOT), help="the checkout to measure")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--web-workers", type=int, default=None, help="default: loket serve's")
    parser.add_argument("--task-workers", type=int, default=None, help="default: loket serve's")
    parser.add_argument("--connections", default="16")
    parser.add_argument("--per-post", default="1")
    parser.add_argument("--seconds", type=float, default=10, help="each wrk run")
    parser.add_argument("--ladder", default="50,100,200,400,600", help="msg/s, open loop")
    parser.add_argument("--duration", type=float, default=60, help="seconds per ladder step")
    parser.add_argument("--drain-timeout", type=float, default=120)
    parser.add_argument("--restart-rate", type=int, default=0, help="rolling restart at this rate")
    parser.add_argument("--web-server", choices=["gunicorn", "granian"], default=None)
    parser.add_argument("--skip-wrk", action="store_true")
    parser.add_argument(
        "--generator",
        choices=["lean", "httpx"],
        default="lean",
        help="the ladder's client and Graph API: bench/loadgen.py, or httpx and FakeGraph",
    )
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # `timeout` still stops the server
    if args.quick:
        args.seconds, args.ladder, args.duration, args.drain_timeout = 3, "50", 5, 60

    lean = args.generator == "lean"
    graph_process, graph_url = start_fake_graph(lean)
    workdir = Path(tempfile.mkdtemp(prefix="loket-bench-"))
    url = args.database_url if args.db == "postgres" else f"sqlite:///{workdir}/bench.sqlite3"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "LOKET_DATA_DIR": str(workdir),
        "LOKET_SIMULATOR": "0",
        "WHATSAPP_APP_SECRET": SECRET,
        "WHATSAPP_VERIFY_TOKEN": "v",
        "WHATSAPP_ACCESS_TOKEN": TOKEN,
        "WHATSAPP_PHONE_NUMBER_ID": PHONE_NUMBER_ID,
        "WHATSAPP_GRAPH_URL": graph_url,
        "LOG_LEVEL": "WARNING",
        "LOKET_PUBLIC_URL": f"http://127.0.0.1:{args.port}",
        "PYTHONPATH": str(ROOT),
        # the ladder sends many messages from few numbers' point of view: no flood limit
        "WHATSAPP_RATE_LIMIT_MESSAGES": "100000",
    }
    if args.web_server:
        env["LOKET_WEB_SERVER"] = args.web_server
    prepare_database(url)
    loket(env, "migrate", "-v0")
    loket(env, "seed-demo")
    setup_django(env)
    summary: dict = {
        "code": str(ROOT),
        "database": args.db,
        "web_server": env.get("LOKET_WEB_SERVER", "gunicorn"),
        "generator": args.generator,
        "cpus": os.cpu_count(),
        "load_average_at_start": os.getloadavg(),
        "statements": count_statements(10 if args.quick else 50),
    }
    print(f"  statements: {summary['statements']}", file=sys.stderr)
    drain()
    server = start_server(env, args.port, args.web_workers, args.task_workers)
    base = f"http://127.0.0.1:{args.port}"
    database = url.rsplit("/", 1)[1] if args.db == "postgres" else ""
    cpu = CPU(server.pid, graph_process.pid, database)
    summary["processes"] = {k: len(v) for k, v in groups(*cpu.args).items()}
    print(f"loket serve defaults: {summary['processes']}; {os.cpu_count()} CPUs", file=sys.stderr)
    try:
        time.sleep(15)  # past the workers' start (they load the NLU model before listening)
        cpu.start()
        time.sleep(10)
        idle = cpu.stop()
        summary["idle_worker_cpu_percent"] = round(
            100 * idle["worker"] / idle["wall_seconds"] / max(1, summary["processes"]["worker"]), 2
        )
        print(f"  idle: {idle}", file=sys.stderr)
        summary["ping"], summary["ack"] = [], []
        if not args.skip_wrk:
            for c in [int(c) for c in args.connections.split(",")]:
                cpu.start()
                summary["ping"].append(run_wrk(f"{base}/ping", c, args.seconds))
                summary["ping"][-1]["cpu_seconds"] = cpu.stop()
                print(f"  /ping: {summary['ping'][-1]}", file=sys.stderr)
                for per_post in [int(p) for p in args.per_post.split(",")]:
                    for alone in (True, False):
                        ack = ack_phase(base, c, args.seconds, per_post, workdir, cpu, alone)
                        ack["ratio_to_ping"] = round(
                            ack.get("req_s", 0) / summary["ping"][-1]["req_s"], 3
                        )
                        summary["ack"].append(ack)
                        print(f"  webhook: {ack}", file=sys.stderr)
        summary["ladder"] = []
        for rate in [int(r) for r in args.ladder.split(",") if r]:
            print(f"ladder: {rate} msg/s for {args.duration} s", file=sys.stderr)
            step = reply_phase(
                base, graph_url, rate, args.duration, args.drain_timeout, cpu, lean=lean
            )
            step["drain_seconds"] = drain(args.drain_timeout)
            summary["ladder"].append(step)
            print(f"  {step}", file=sys.stderr)
        if args.restart_rate:
            seconds = max(10.0, min(args.duration, 30.0))
            hup = {int(args.restart_rate * seconds / 3): lambda: server.send_signal(signal.SIGHUP)}
            print(f"rolling restart at {args.restart_rate} msg/s", file=sys.stderr)
            step = reply_phase(
                base,
                graph_url,
                args.restart_rate,
                seconds,
                args.drain_timeout,
                cpu,
                hup,
                "62898",
                lean,
            )
            summary["rolling_restart"] = step
            print(f"  {step}", file=sys.stderr)
        print(json.dumps(summary))
    finally:
        server.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            server.wait(timeout=60)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)
        graph_process.terminate()


if __name__ == "__main__":
    main()
