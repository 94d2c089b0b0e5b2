"""Leased tasks: a task whose worker stopped heartbeating is handed back to the queue and run again.

django-tasks-db marks a claimed task RUNNING and never looks at it again: a worker killed with
SIGKILL (OOM killer, a lost machine, a deploy) left it RUNNING forever. Here every worker renews
a lease row (`WorkerLease`) from a thread; a periodic job in every worker puts the RUNNING tasks
of workers whose lease expired back to READY, where any worker claims them again. Task bodies are
idempotent (they claim their rows with conditional updates), so a second run does the missing
work once. A task that killed its worker `LOKET_TASK_MAX_RUNS` times is marked failed instead.
"""

import contextlib
import logging
import os
import socket
import threading
import time
from datetime import timedelta

from django.conf import settings
from django.db import close_old_connections, connection
from django.db.utils import DatabaseError, InterfaceError, OperationalError
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.management.commands import db_worker
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from loket.core import wake
from loket.core.models import WorkerLease
from loket.core.wake import Waiter

logger = logging.getLogger(__name__)

READY, RUNNING, FAILED = "READY", "RUNNING", "FAILED"
DB_DOWN = (OperationalError, InterfaceError)
# A worker busy with inbound messages looks at the task queue at most this often: a task's own
# wake-up (read between batches), or an idle poll, sends it there at once; this catches the
# tasks that come due without one (delayed retries).
TASK_LOOK_SECONDS = 1.0


def new_worker_id() -> str:
    return f"{socket.gethostname()[:40]}-{os.getpid()}-{int(time.time()) % 100000}"[:64]


def renew(worker_id: str) -> None:
    now = timezone.now()
    if not WorkerLease.objects.filter(worker_id=worker_id).update(heartbeat_at=now):
        WorkerLease.objects.update_or_create(
            worker_id=worker_id,
            defaults={"heartbeat_at": now, "hostname": socket.gethostname(), "pid": os.getpid()},
        )


class Heartbeat(threading.Thread):
    """Renews the worker's lease every LOKET_TASK_HEARTBEAT_SECONDS; survives a database outage."""

    def __init__(self, worker_id: str) -> None:
        super().__init__(name="loket-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                renew(self.worker_id)
            except DatabaseError:
                logger.warning("heartbeat of %s failed: database unreachable", self.worker_id)
                connection.close()
            self.stopped.wait(settings.LOKET_TASK_HEARTBEAT_SECONDS)
        connection.close()

    def stop(self) -> None:
        self.stopped.set()


def _orphans(now) -> list[DBTaskResult]:
    lease = timedelta(seconds=settings.LOKET_TASK_LEASE_SECONDS)
    live = set(
        WorkerLease.objects.filter(heartbeat_at__gte=now - lease).values_list(
            "worker_id", flat=True
        )
    )
    running = DBTaskResult.objects.filter(status=RUNNING, started_at__lt=now - lease)
    return [
        task
        for task in running.only("id", "worker_ids", "started_at")
        if not task.worker_ids or task.worker_ids[-1] not in live
    ]


def reclaim_orphans() -> int:
    """Periodic job: RUNNING tasks of dead workers go back to READY (or FAILED after too many)."""
    now = timezone.now()
    reclaimed = 0
    for task in _orphans(now):
        rows = DBTaskResult.objects.filter(pk=task.pk, status=RUNNING, started_at=task.started_at)
        if len(task.worker_ids) >= settings.LOKET_TASK_MAX_RUNS:
            rows.update(
                status=FAILED,
                finished_at=now,
                exception_class_path="loket.core.leases.WorkerLost",
                traceback=f"the task's worker died {len(task.worker_ids)} times while running it",
            )
            logger.error("task %s killed its worker %s times", task.pk, len(task.worker_ids))
            continue
        if rows.update(status=READY, started_at=None):
            reclaimed += 1
            logger.warning(
                "task %s handed back: worker %s stopped heartbeating",
                task.pk,
                (task.worker_ids or ["?"])[-1],
            )
    WorkerLease.objects.filter(heartbeat_at__lt=now - timedelta(days=1)).delete()
    return reclaimed


def hand_back(worker_id: str) -> int:
    """Puts this worker's RUNNING tasks back to READY (a worker stopping or recovering)."""
    mine = [
        task.pk
        for task in DBTaskResult.objects.filter(status=RUNNING).only("id", "worker_ids")
        if task.worker_ids and task.worker_ids[-1] == worker_id
    ]
    return DBTaskResult.objects.filter(pk__in=mine, status=RUNNING).update(
        status=READY, started_at=None
    )


class LeasedWorker(Worker):
    """The django-tasks-db worker, made to survive a database outage and to hand back on exit.

    A task interrupted by a second SIGTERM or Ctrl+C is handed back instead of marked failed;
    a lost database connection is waited out (the task it interrupted is handed back).
    """

    def run_task(self, db_task_result: DBTaskResult) -> None:
        from django_tasks_db.compat import TaskContext, task_finished, task_started

        try:
            self.running_task = True
            task = db_task_result.task
            result = db_task_result.task_result
            backend_type = type(task.get_backend())
            task_started.send(sender=backend_type, task_result=result)
            if task.takes_context:
                value = task.call(TaskContext(task_result=result), *result.args, **result.kwargs)
            else:
                value = task.call(*result.args, **result.kwargs)
            db_task_result.set_successful(value)
            task_finished.send(sender=backend_type, task_result=db_task_result.task_result)
        except (SystemExit, KeyboardInterrupt, *DB_DOWN):
            # Interrupted, or the database went away: not the task's fault. Hand it back
            # (when the database is reachable; else reclaim_orphans does it after the lease).
            with contextlib.suppress(DatabaseError):
                hand_back(self.worker_id)
            raise
        except Exception as error:
            db_task_result.set_failed(error)
            logger.exception("task %s failed", db_task_result.id)
        finally:
            self.running_task = False
            self._run_tasks += 1

    def run(self) -> None:
        """The loop: one task, a batch of each pump's work (inbound messages), and when there is
        nothing to do a sleep that a wake-up (loket.core.wake) ends at once.

        SIGTERM during a batch lets it finish (and its replies go out); in a sleep it exits.
        """
        pumps = [import_string(path) for path in settings.LOKET_WORKER_PUMPS]
        waiter = None
        looked_at_tasks = 0.0
        try:
            while self.running:
                db_worker.close_old_connections()
                # One task first: a reply queued earlier (say, staff's) goes out before the
                # bot's answers to later messages. A wake-up for inbound messages alone does
                # not send the worker to the task queue more than every TASK_LOOK_SECONDS.
                done = 0
                now = time.monotonic()
                if self.batch or now - looked_at_tasks >= TASK_LOOK_SECONDS:
                    done = self.run_one_task()
                    looked_at_tasks = 0.0 if done else now
                if not self.running:
                    return
                self.running_task = True
                try:
                    for pump in pumps:
                        done += pump()
                finally:
                    self.running_task = False
                if done:
                    if waiter is not None and wake.TASKS in waiter.pending():
                        looked_at_tasks = 0.0  # busy, but a task was queued: look at once
                    continue
                if self.batch:
                    return
                if waiter is None:
                    waiter = Waiter()
                    continue  # look once more: work may have come before we listened
                waiter.wait(self.interval)
                if wake.INBOUND not in waiter.kinds or wake.TASKS in waiter.kinds:
                    looked_at_tasks = 0.0  # a task, or the poll: look at the task queue
        finally:
            if waiter is not None:
                waiter.close()

    def run_one_task(self) -> int:
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        # From before the claim: a SIGTERM between the claim's commit and the task's start lets
        # the task run to its end (it used to hand it back, unstarted).
        self.running_task = True
        try:
            with exclusive_transaction(tasks.db):
                try:
                    task_result = tasks.get_locked()
                    if task_result is not None:
                        task_result.claim(self.worker_id)
                except OperationalError as error:
                    if not is_locked_database_exception(error):
                        raise
                    return 0
            if task_result is None:
                return 0
            self.run_task(task_result)
            return 1
        finally:
            self.running_task = False

    def run_forever(self) -> None:
        delay = 0.5
        while True:
            try:
                self.run()
                return
            except DB_DOWN as error:
                if not self.running:
                    return
                logger.warning("worker %s: database unreachable (%s)", self.worker_id, error)
                close_old_connections()
                connection.close()
                time.sleep(delay)
                delay = min(delay * 2, 10.0)
                try:
                    hand_back(self.worker_id)
                except DatabaseError:
                    continue
                delay = 0.5
