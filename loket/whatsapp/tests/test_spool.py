"""SQLite's accepting through the inbound spool: the webhook never waits for the write lock.

The suite runs with the spool off (tests read what a webhook stored at once); here it is on, as
in every SQLite installation.
"""

import os
import shutil
import sqlite3
import time

import pytest
from django.conf import settings
from django.db import connection

from loket.conftest import Citizen, run_tasks, sent_texts, wait_for
from loket.core.models import WorkerLease
from loket.core.testing import spawn_worker, stop, worker_env
from loket.whatsapp import spool
from loket.whatsapp.models import InboundMessage, RejectedWebhookItem
from loket.whatsapp.signature import sign


@pytest.fixture
def spooling(settings, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the spool is SQLite's way of accepting")
    settings.WHATSAPP_INBOUND_SPOOL = True
    settings.WHATSAPP_INBOUND_SPOOL_DIR = tmp_path / "inbound-spool"
    return tmp_path / "inbound-spool"


def spooled(directory) -> list:
    return sorted(p for p in directory.iterdir() if not p.name.startswith("."))


def test_the_webhook_spools_and_a_worker_stores_and_answers(
    db, client, office, fake_graph, spooling
):
    budi = Citizen(client, wa_id="6281234511111")
    assert budi.says("mau bikin akta kelahiran anak").status_code == 200
    assert len(spooled(spooling)) == 1
    assert not InboundMessage.objects.exists()  # the database is the workers' to write
    run_tasks()
    assert InboundMessage.objects.get().state == "done"
    assert "Akta Kelahiran" in sent_texts(fake_graph, "6281234511111")[0]
    assert spooled(spooling) == []


def test_a_worker_killed_after_storing_leaves_nothing_twice(
    db, client, office, fake_graph, spooling, tmp_path
):
    budi = Citizen(client, wa_id="6281234522222")
    budi.says("mau bikin kk baru")
    budi.says("sama akta lahir")
    saved = tmp_path / "saved"
    shutil.copytree(spooling, saved)
    run_tasks()
    # The state a worker killed between its commit and deleting the files leaves behind:
    for path in spooled(saved):
        shutil.copy(path, spooling / path.name)
    run_tasks()
    assert InboundMessage.objects.count() == 2
    assert len(sent_texts(fake_graph, "6281234522222")) == 2  # each answered once
    assert spooled(spooling) == []


def test_a_redelivery_and_an_unreadable_body_are_handled_as_without_the_spool(
    db, client, office, spooling
):
    budi = Citizen(client, wa_id="6281234533333")
    budi.says("halo")
    (first,) = spooled(spooling)
    raw = first.read_bytes()
    for _ in range(2):  # Meta delivers the same body again
        client.post(
            "/webhooks/whatsapp/",
            raw,
            content_type="application/json",
            HTTP_X_HUB_SIGNATURE_256=sign(raw, settings.WHATSAPP_APP_SECRET),
        )
    broken = b'{"object": "whatsapp_business_account", "entry": ['
    client.post(
        "/webhooks/whatsapp/",
        broken,
        content_type="application/json",
        HTTP_X_HUB_SIGNATURE_256=sign(broken, settings.WHATSAPP_APP_SECRET),
    )
    assert spool.ingest() >= 2
    assert InboundMessage.objects.count() == 1
    assert RejectedWebhookItem.objects.filter(kind="body").count() == 1


def test_the_webhook_answers_at_once_while_a_worker_holds_the_write_lock(
    transactional_db, client, office, spooling
):
    holder = sqlite3.connect(connection.settings_dict["NAME"], timeout=1)
    holder.execute("BEGIN IMMEDIATE")  # what a worker's batch does for tens of milliseconds
    try:
        started = time.monotonic()
        response = Citizen(client, wa_id="6281234544444").says("halo")
        took = time.monotonic() - started
    finally:
        holder.rollback()
        holder.close()
    assert response.status_code == 200
    assert took < 0.5  # without the spool it waits for the lock (busy timeout: 20 s)
    assert len(spooled(spooling)) == 1


def test_half_written_files_are_never_stored_and_are_cleaned_after_an_hour(db, office, spooling):
    spooling.mkdir(parents=True)
    unfinished = spooling / ".tmp-00000000000000000001-1-00000000.json"
    unfinished.write_bytes(b'{"object": "whatsapp_busi')
    assert spool.ingest() == 0
    assert unfinished.exists()
    old = time.time() - spool.STALE_TEMPORARY_SECONDS - 60
    os.utime(unfinished, (old, old))
    spool.ingest()
    assert not unfinished.exists()
    assert not RejectedWebhookItem.objects.exists()


def test_a_sleeping_worker_process_is_woken_by_a_spooled_message(
    transactional_db, client, office, fake_graph, spooling
):
    env = worker_env(
        fake_graph.url,
        WHATSAPP_INBOUND_SPOOL="true",
        WHATSAPP_INBOUND_SPOOL_DIR=str(spooling),
        WHATSAPP_INBOUND_HANDLER="loket.whatsapp.tests.chaos.slow_echo",
        LOKET_CHAOS_HANDLER_SECONDS="0",
    )
    worker = spawn_worker(env, interval=60)  # a reply in time can only come from a wake-up
    try:
        wait_for(WorkerLease.objects.exists, timeout=240, interval=0.1)
        time.sleep(3)
        assert Citizen(client, wa_id="6281234555555").says("halo").status_code == 200
        wait_for(lambda: fake_graph.messages(), timeout=45, interval=0.05)
        assert spooled(spooling) == []
        assert InboundMessage.objects.get().state == "done"
    finally:
        stop([worker])
