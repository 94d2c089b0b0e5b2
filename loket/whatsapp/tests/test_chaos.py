"""Chaos: workers SIGKILLed while they answer a backlog; every citizen is answered exactly once.

Real worker processes (`loket worker`) on the test database, the real fake Graph API counting
the replies. Each kill lands while a worker is inside a batch of messages (in the handler,
before the batch's transaction commits); a replacement worker is started as `loket serve` would.
"""

import os
import signal
import time
from collections import Counter
from pathlib import Path

from django_tasks_db.models import DBTaskResult

from loket.conftest import Citizen, wait_for
from loket.core.testing import spawn_worker, stop, worker_env
from loket.whatsapp.models import InboundMessage, OutboundMessage

CITIZENS = 30
KILLS = 3


def replies(graph) -> Counter:
    return Counter(
        body["text"]["body"].removeprefix("balasan ")
        for body in graph.messages()
        if body.get("type") == "text" and body["text"]["body"].startswith("balasan ")
    )


def a_worker_inside_a_batch(marks: Path, killed: set[int]) -> int | None:
    """A live worker that began a message less than 0.2 s ago: it is inside its batch's
    transaction (each message takes 0.5 s), with the rest of the batch still to do."""
    now = time.time()
    for mark in marks.iterdir():
        pid = int(mark.name.split("-", 1)[0])
        if pid not in killed and now - mark.stat().st_mtime < 0.2:
            return pid
    return None


def test_sigkilled_workers_lose_no_citizen_and_answer_none_twice(
    transactional_db, client, office, fake_graph, tmp_path
):
    for n in range(CITIZENS):
        assert Citizen(client, wa_id=f"62812000{n:04d}").says("halo").status_code == 200
    env = worker_env(
        fake_graph.url,
        WHATSAPP_INBOUND_HANDLER="loket.whatsapp.tests.chaos.slow_echo",
        LOKET_CHAOS_HANDLER_SECONDS="0.5",
        LOKET_CHAOS_MARK_DIR=str(tmp_path),
        WHATSAPP_INBOUND_BATCH="6",
        WHATSAPP_INBOUND_BATCH_SQLITE="6",
    )
    workers = [spawn_worker(env), spawn_worker(env)]
    killed: set[int] = set()
    try:
        while len(killed) < KILLS:
            victim = wait_for(
                lambda: a_worker_inside_a_batch(tmp_path, killed), timeout=120, interval=0.01
            )
            os.kill(victim, signal.SIGKILL)
            killed.add(victim)
            for worker in [w for w in workers if w.pid == victim]:
                worker.wait(timeout=10)
                workers.remove(worker)
                workers.append(spawn_worker(env))
        ids = set(InboundMessage.objects.values_list("wa_message_id", flat=True))
        wait_for(lambda: set(replies(fake_graph)) == ids, timeout=120, interval=0.2)
        # Let anything that could still send twice do so before counting.
        wait_for(
            lambda: (
                not DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).exists()
                and not OutboundMessage.objects.filter(status__in=["queued", "sending"]).exists()
            ),
            timeout=60,
            interval=0.2,
        )
        time.sleep(1)
    finally:
        stop(workers)
    counts = replies(fake_graph)
    assert len(killed) == KILLS
    assert len(counts) == CITIZENS
    assert set(counts.values()) == {1}, {k: v for k, v in counts.items() if v != 1}
    assert set(InboundMessage.objects.values_list("state", flat=True)) == {"done"}
