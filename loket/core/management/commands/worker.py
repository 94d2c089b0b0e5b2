import os

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import DatabaseError
from django.utils.module_loading import import_string

from loket.core.leases import Heartbeat, hand_back, new_worker_id
from loket.core.models import WorkerLease
from loket.core.tasks import PeriodicRunner, make_worker


class Command(BaseCommand):
    help = "Runs background tasks (replies, notifications) and periodic jobs. Start one or many."

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval",
            type=float,
            default=None,
            help="Seconds between looks at an idle queue (woken at once when work comes; "
            "default LOKET_WORKER_IDLE_MS).",
        )
        parser.add_argument(
            "--batch",
            action="store_true",
            help="Exit when the queue is empty (for tests and scripts).",
        )
        parser.add_argument(
            "--no-periodic", action="store_true", help="Do not run periodic jobs in this process."
        )
        parser.add_argument(
            "--nice",
            type=int,
            default=0,
            help="Lower this process's CPU priority by this much (`loket serve`: 10, so that "
            "accepting webhooks is never starved by answering them).",
        )

    def handle(self, *args, **options):
        if options["nice"] > 0:
            os.nice(options["nice"])
        if not options["batch"]:
            for path in settings.LOKET_WORKER_WARMUP:
                import_string(path)()
        worker_id = new_worker_id()
        heartbeat = Heartbeat(worker_id)
        heartbeat.start()
        runner = None
        if not options["no_periodic"] and not options["batch"]:
            runner = PeriodicRunner()
            runner.start()
        worker = make_worker(
            worker_id,
            batch=options["batch"],
            interval=options["interval"] or settings.LOKET_WORKER_IDLE_SECONDS,
            startup_delay=not options["batch"],
        )
        worker.configure_signals()
        try:
            worker.run_forever()
        finally:
            # SIGTERM lets the running task finish; anything still claimed goes back to the queue.
            worker.reset_signals()
            if runner:
                runner.stop()
            heartbeat.stop()
            try:
                hand_back(worker_id)
                WorkerLease.objects.filter(worker_id=worker_id).delete()
            except DatabaseError:
                pass  # the lease expires and reclaim_orphans hands the tasks back
