"""Background work helpers on the Django Tasks API: retry with backoff, periodic jobs."""

import logging
import random
import threading
import time
from datetime import timedelta

from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


def backoff_seconds(attempt: int, base: float = 2.0, cap: float = 600.0) -> float:
    """Exponential backoff with full jitter: attempt 1 -> up to 2 s, 2 -> 4 s, ... capped."""
    return random.uniform(0.5, 1.0) * min(cap, base**attempt)


def enqueue_after(task, delay_seconds: float, *args, **kwargs):
    """Enqueue `task` to run no earlier than `delay_seconds` from now (the retry helper)."""
    run_after = timezone.now() + timedelta(seconds=delay_seconds)
    return task.using(run_after=run_after).enqueue(*args, **kwargs)


class PeriodicRunner(threading.Thread):
    """Runs the jobs in settings.LOKET_PERIODIC_JOBS from the worker process: no cron.

    Each job must be safe to run twice at once (two workers each run their own runner): jobs
    claim rows with conditional updates, so doubled runners do the work once.
    """

    def __init__(self, jobs=None, tick: float = 1.0) -> None:
        super().__init__(name="loket-periodic", daemon=True)
        self.jobs = [
            (import_string(path), every)
            for path, every in (jobs if jobs is not None else settings.LOKET_PERIODIC_JOBS)
        ]
        self.tick = tick
        self.stopped = threading.Event()

    def run_due(self, last_run: dict, now: float) -> None:
        for func, every in self.jobs:
            if now - last_run.get(func, 0.0) < every:
                continue
            last_run[func] = now
            try:
                func()
            except Exception:
                logger.exception("periodic job %s failed", func.__qualname__)
            finally:
                close_old_connections()

    def run(self) -> None:
        last_run: dict = {}
        while not self.stopped.is_set():
            self.run_due(last_run, time.monotonic())
            self.stopped.wait(self.tick)

    def stop(self) -> None:
        self.stopped.set()


def make_worker(
    worker_id: str, *, batch: bool = False, interval: float = 0.2, startup_delay: bool = False
):
    """A (leased) django-tasks-db worker over every queue of the default backend."""
    from loket.core.leases import LeasedWorker

    return LeasedWorker(
        queue_names=["*"],
        interval=interval,
        batch=batch,
        backend_name="default",
        startup_delay=startup_delay,
        max_tasks=None,
        worker_id=worker_id[:64],
        excluded_queue_names=[],
    )
