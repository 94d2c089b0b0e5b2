"""Leased tasks: a task whose worker died is handed back and run again, whatever its kind."""

import os
import signal
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from loket.conftest import wait_for
from loket.core import leases
from loket.core.models import WorkerLease
from loket.core.testing import pid_of, spawn_worker, stop, worker_env
from loket.core.tests.sleepy import sleepy


def running_as(worker_ids: list[str], started_ago: float) -> DBTaskResult:
    result = sleepy.enqueue(0, "x")
    DBTaskResult.objects.filter(pk=result.id).update(
        status="RUNNING",
        worker_ids=worker_ids,
        started_at=timezone.now() - timedelta(seconds=started_ago),
    )
    return DBTaskResult.objects.get(pk=result.id)


@pytest.mark.django_db
def test_only_the_tasks_of_workers_that_stopped_heartbeating_are_handed_back(settings):
    settings.LOKET_TASK_LEASE_SECONDS = 30
    settings.LOKET_TASK_MAX_RUNS = 3
    leases.renew("alive")
    WorkerLease.objects.create(worker_id="dead", heartbeat_at=timezone.now() - timedelta(minutes=5))
    of_live = running_as(["alive"], 600)
    of_dead = running_as(["dead"], 600)
    of_unknown = running_as(["never-registered"], 600)
    just_started = running_as(["never-registered"], 1)
    poison = running_as(["a", "b", "dead"], 600)

    assert leases.reclaim_orphans() == 2

    def status(task):
        return DBTaskResult.objects.get(pk=task.pk).status

    assert status(of_live) == "RUNNING"
    assert status(of_dead) == "READY"
    assert status(of_unknown) == "READY"
    assert status(just_started) == "RUNNING"  # its worker may not have heartbeaten yet
    assert status(poison) == "FAILED"
    assert "died 3 times" in DBTaskResult.objects.get(pk=poison.pk).traceback


@pytest.mark.django_db
def test_a_worker_hands_back_its_tasks_when_it_stops():
    mine = running_as(["me"], 0)
    other = running_as(["other"], 0)
    assert leases.hand_back("me") == 1
    assert DBTaskResult.objects.get(pk=mine.pk).status == "READY"
    assert DBTaskResult.objects.get(pk=other.pk).status == "RUNNING"


def test_a_task_of_a_sigkilled_worker_runs_again_on_another(transactional_db, fake_graph):
    env = worker_env(fake_graph.url)
    result = sleepy.enqueue(3, "done")
    first = spawn_worker(env)
    workers = [first]
    try:
        task = wait_for(
            lambda: DBTaskResult.objects.filter(pk=result.id, status="RUNNING").first(), 120
        )
        os.kill(pid_of(task.worker_ids[-1]), signal.SIGKILL)
        first.wait(timeout=10)
        workers.append(spawn_worker(env))
        done = wait_for(
            lambda: DBTaskResult.objects.filter(pk=result.id, status="SUCCESSFUL").first(), 60
        )
        assert done.return_value == "done"
        assert len(done.worker_ids) == 2
    finally:
        stop(workers)


def test_sigterm_lets_the_running_task_finish(transactional_db, fake_graph):
    result = sleepy.enqueue(2, "finished")
    worker = spawn_worker(worker_env(fake_graph.url))
    try:
        wait_for(lambda: DBTaskResult.objects.filter(pk=result.id, status="RUNNING").exists(), 120)
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=20) == 0
        done = DBTaskResult.objects.get(pk=result.id)
        assert (done.status, done.return_value) == ("SUCCESSFUL", "finished")
        assert not WorkerLease.objects.exists()
    finally:
        stop([worker])
