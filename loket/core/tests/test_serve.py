"""`loket serve` as an operator runs it: a real gunicorn, a real worker, a real fake Graph API."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from loket.conftest import wait_for
from loket.simulator import webhook as simulated
from loket.whatsapp.fakegraph import FakeGraph
from loket.whatsapp.signature import sign


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def served(tmp_path):
    """A migrated, seeded installation served by `loket serve` on SQLite."""
    yield from serve(tmp_path)


@pytest.fixture
def served_by_granian(tmp_path):
    yield from serve(tmp_path, LOKET_WEB_SERVER="granian")


def serve(tmp_path, **extra: str):
    graph = FakeGraph(token="serve-token").start()
    port = free_port()
    env = {
        **os.environ,
        "LOKET_DATA_DIR": str(tmp_path),
        "LOKET_ENV": "demo",
        "DATABASE_URL": f"sqlite:///{tmp_path}/serve.sqlite3",
        "LOKET_SIMULATOR": "0",
        "WHATSAPP_APP_SECRET": "serve-secret",
        "WHATSAPP_VERIFY_TOKEN": "serve-verify",
        "WHATSAPP_ACCESS_TOKEN": "serve-token",
        "WHATSAPP_PHONE_NUMBER_ID": "123456789",
        "WHATSAPP_GRAPH_URL": graph.url,
        "LOG_LEVEL": "WARNING",
        **extra,
    }
    loket = [sys.executable, "-m", "loket"]
    subprocess.run([*loket, "migrate", "-v0"], env=env, check=True)
    subprocess.run([*loket, "seed-demo"], env=env, check=True, capture_output=True)
    server = subprocess.Popen(
        [*loket, "serve", "--port", str(port), "--workers", "1", "--task-workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"

    def up():
        try:
            return httpx.get(f"{base}/healthz", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        wait_for(up, timeout=180, interval=0.2)
        yield base, graph, server
    finally:
        server.terminate()
        try:
            server.wait(timeout=60)  # its children get 20 s each; a loaded machine is slow
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        graph.stop()


def post_message(base: str, wa_id: str, text: str) -> httpx.Response:
    body = json.dumps(
        simulated.message_body("123456789", "", wa_id, "Budi", simulated.text_message(text))
    )
    return httpx.post(
        f"{base}/webhooks/whatsapp/",
        content=body,
        headers={
            "Content-Type": "application/json",
            "X-Hub-Signature-256": sign(body.encode(), "serve-secret"),
        },
    )


def children(pid: int) -> list[int]:
    with open(f"/proc/{pid}/task/{pid}/children") as f:
        return [int(p) for p in f.read().split()]


def cmdline(pid: int) -> str:
    with open(f"/proc/{pid}/cmdline", "rb") as f:
        return f.read().replace(b"\0", b" ").decode()


def test_a_served_installation_answers_a_signed_webhook_through_its_worker(served):
    base, graph, server = served
    r = post_message(base, "6281299", "mau bikin kk baru")
    assert r.status_code == 200
    [reply] = wait_for(graph.messages, timeout=90)
    assert reply["to"] == "6281299"
    assert "Kartu Keluarga" in reply["text"]["body"]
    assert (
        httpx.get(
            f"{base}/webhooks/whatsapp/",
            params={
                "hub.mode": "subscribe",
                "hub.verify_token": "serve-verify",
                "hub.challenge": "42",
            },
        ).text
        == "42"
    )


def test_granian_serves_the_same_installation_and_reloads_on_sighup(served_by_granian):
    base, graph, server = served_by_granian
    assert post_message(base, "6281288", "mau bikin kk baru").status_code == 200
    wait_for(graph.messages, timeout=90)
    server.send_signal(signal.SIGHUP)  # the rolling restart: new web processes, then workers
    refused = []
    for n in range(40):  # through the reload
        response = post_message(base, f"62812880{n:02d}", "halo")
        if response.status_code != 200:
            refused.append(response.status_code)
        time.sleep(0.1)
    assert refused == []
    wait_for(lambda: len(graph.messages()) >= 41, timeout=120)


def test_production_refuses_to_start_without_its_secrets(tmp_path):
    env = {**os.environ, "LOKET_ENV": "production", "LOKET_DATA_DIR": str(tmp_path)}
    env.pop("SECRET_KEY", None)
    env.pop("LOKET_ENCRYPTION_KEY", None)
    result = subprocess.run(
        [sys.executable, "-m", "loket", "check"], env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
    env["SECRET_KEY"] = "x" * 50
    result = subprocess.run(
        [sys.executable, "-m", "loket", "check"], env=env, capture_output=True, text=True
    )
    assert "LOKET_ENCRYPTION_KEY must be set" in result.stderr


def test_the_simulator_is_never_mounted_in_production(tmp_path):
    from cryptography.fernet import Fernet

    env = {
        **os.environ,
        "LOKET_ENV": "production",
        "LOKET_DATA_DIR": str(tmp_path),
        "SECRET_KEY": "x" * 50,
        "LOKET_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "LOKET_PUBLIC_URL": "https://loket.example.go.id",
        "ALLOWED_HOSTS": "loket.example.go.id",
    }
    code = (
        "from django.urls import resolve, Resolver404\n"
        "try:\n    resolve('/simulator/')\n    print('mounted')\n"
        "except Resolver404:\n    print('absent')"
    )
    result = subprocess.run(
        [sys.executable, "-m", "loket", "shell", "-c", code],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip().splitlines()[-1] == "absent"


@pytest.mark.skipif(not os.path.exists("/proc/self/task"), reason="reads children from /proc")
def test_serve_restarts_a_worker_or_web_server_that_died(served):
    base, graph, server = served
    for role in ("worker", "web"):
        [old] = [p for p in children(server.pid) if f"loket {role}" in cmdline(p)]
        os.kill(old, signal.SIGKILL)

        def replaced(role=role, old=old):
            return [p for p in children(server.pid) if f"loket {role}" in cmdline(p) and p != old]

        wait_for(replaced, timeout=90, interval=0.2)

    def accepted():
        try:
            return post_message(base, "6281300", "halo").status_code == 200
        except httpx.HTTPError:
            return False

    wait_for(accepted, timeout=120, interval=0.5)
    wait_for(lambda: [m for m in graph.messages() if m["to"] == "6281300"], timeout=90)


@pytest.mark.skipif(not os.path.exists("/proc/self/task"), reason="reads children from /proc")
def test_a_rolling_restart_under_load_refuses_no_webhook_and_answers_each_once(served):
    """SIGHUP to `loket serve` (what `systemctl reload` sends): gunicorn reloads its processes
    while webhooks keep coming, the worker is replaced; nothing refused, nothing answered twice."""
    base, graph, server = served
    [web] = [p for p in children(server.pid) if "loket web" in cmdline(p)]
    [worker] = [p for p in children(server.pid) if "loket worker" in cmdline(p)]
    old_web_processes = set(children(web))
    rate, seconds = 15, 8
    citizens = [f"62877{n:05d}" for n in range(rate * seconds)]
    outcomes: list = [None] * len(citizens)

    def send(index: int) -> None:
        try:
            outcomes[index] = post_message(base, citizens[index], "halo").status_code
        except httpx.HTTPError as error:
            outcomes[index] = type(error).__name__

    started = time.monotonic()
    with ThreadPoolExecutor(8) as pool:
        for index in range(len(citizens)):
            time.sleep(max(0.0, started + index / rate - time.monotonic()))
            if index == rate * 2:
                os.kill(server.pid, signal.SIGHUP)
            pool.submit(send, index)
    assert Counter(outcomes) == Counter({200: len(citizens)})
    wait_for(lambda: set(children(web)).isdisjoint(old_web_processes), timeout=60, interval=0.2)
    assert [p for p in children(server.pid) if "loket web" in cmdline(p)] == [web]
    wait_for(
        lambda: [p for p in children(server.pid) if "loket worker" in cmdline(p) and p != worker],
        timeout=60,
    )
    wait_for(lambda: {m["to"] for m in graph.messages()} >= set(citizens), timeout=240)
    time.sleep(2)  # anything that would answer twice does it now
    per_citizen = Counter(m["to"] for m in graph.messages())
    assert len({per_citizen[c] for c in citizens}) == 1  # the same answer for all: none twice
