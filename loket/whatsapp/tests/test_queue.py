"""The inbound queue with real worker processes: order per citizen, wake-ups, a graceful stop.

Real `loket worker` processes on the test database (SQLite or PostgreSQL), the fake Graph API
counting replies in the order they arrive.
"""

import signal
import time
from collections import Counter

from loket.conftest import Citizen, wait_for
from loket.core.models import WorkerLease
from loket.core.testing import spawn_worker, stop, worker_env
from loket.whatsapp.models import InboundMessage


def answered(graph) -> list[str]:
    """The wamids answered, in the order the replies reached the Graph API."""
    return [
        body["text"]["body"].removeprefix("balasan ")
        for body in graph.messages()
        if body.get("type") == "text" and body["text"]["body"].startswith("balasan ")
    ]


def test_two_workers_handle_each_citizen_in_the_order_written(
    transactional_db, client, office, fake_graph
):
    citizens = [Citizen(client, wa_id=f"6281300{n:03d}") for n in range(6)]
    for round_ in range(5):
        for citizen in citizens:
            assert citizen.says(f"pesan {round_}").status_code == 200
    env = worker_env(
        fake_graph.url,
        WHATSAPP_INBOUND_HANDLER="loket.whatsapp.tests.chaos.slow_echo",
        LOKET_CHAOS_HANDLER_SECONDS="0.05",
        WHATSAPP_INBOUND_BATCH="4",
        WHATSAPP_INBOUND_BATCH_SQLITE="4",
    )
    workers = [spawn_worker(env), spawn_worker(env)]
    try:
        wait_for(lambda: len(answered(fake_graph)) >= 30, timeout=180, interval=0.2)
    finally:
        stop(workers)
    order = answered(fake_graph)
    assert Counter(order) == Counter(InboundMessage.objects.values_list("wa_message_id", flat=True))
    assert set(Counter(order).values()) == {1}
    for citizen in citizens:
        mine = InboundMessage.objects.filter(sender_wa_id=citizen.wa_id)
        written = list(mine.order_by("id").values_list("wa_message_id", flat=True))
        handled = list(mine.order_by("processed_at").values_list("wa_message_id", flat=True))
        assert handled == written
        assert set(mine.values_list("state", flat=True)) == {"done"}


def test_an_idle_worker_is_woken_by_a_webhook_not_by_its_poll(
    transactional_db, client, office, fake_graph
):
    env = worker_env(
        fake_graph.url, WHATSAPP_INBOUND_HANDLER="loket.whatsapp.tests.chaos.slow_echo"
    )
    env["LOKET_CHAOS_HANDLER_SECONDS"] = "0"
    worker = spawn_worker(env, interval=60)  # a reply in time can only come from a wake-up
    try:
        wait_for(WorkerLease.objects.exists, timeout=240, interval=0.1)
        time.sleep(5)  # past its first look at the queue: asleep now
        for n in range(3):
            started = time.monotonic()
            assert Citizen(client, wa_id=f"62813990{n}").says("halo").status_code == 200
            wait_for(lambda n=n: len(answered(fake_graph)) > n, timeout=45, interval=0.05)
            assert time.monotonic() - started < 45  # inside the 60 s poll
    finally:
        stop([worker])


def test_sigterm_lets_a_worker_finish_its_batch(
    transactional_db, client, office, fake_graph, tmp_path
):
    for n in range(5):
        assert Citizen(client, wa_id=f"62813500{n}").says("halo").status_code == 200
    env = worker_env(
        fake_graph.url,
        WHATSAPP_INBOUND_HANDLER="loket.whatsapp.tests.chaos.slow_echo",
        LOKET_CHAOS_HANDLER_SECONDS="0.4",
        LOKET_CHAOS_MARK_DIR=str(tmp_path),
    )
    worker = spawn_worker(env)
    try:
        wait_for(lambda: list(tmp_path.iterdir()), timeout=120, interval=0.01)
        worker.send_signal(signal.SIGTERM)  # inside the batch of 5 (2 s of handler time)
        assert worker.wait(timeout=60) == 0
    finally:
        stop([worker])
    assert Counter(answered(fake_graph)) == Counter(
        {m: 1 for m in InboundMessage.objects.values_list("wa_message_id", flat=True)}
    )
    assert set(InboundMessage.objects.values_list("state", flat=True)) == {"done"}
