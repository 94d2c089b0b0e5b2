import os
import socket

from django.core.management.base import BaseCommand

from loket.core.tasks import PeriodicRunner, make_worker


class Command(BaseCommand):
    help = "Runs background tasks (replies, notifications) and periodic jobs. Start one or many."

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval", type=float, default=0.2, help="Seconds to wait when the queue is empty."
        )
        parser.add_argument(
            "--batch",
            action="store_true",
            help="Exit when the queue is empty (for tests and scripts).",
        )
        parser.add_argument(
            "--no-periodic", action="store_true", help="Do not run periodic jobs in this process."
        )

    def handle(self, *args, **options):
        runner = None
        if not options["no_periodic"] and not options["batch"]:
            runner = PeriodicRunner()
            runner.start()
        worker = make_worker(
            f"{socket.gethostname()}-{os.getpid()}",
            batch=options["batch"],
            interval=options["interval"],
            startup_delay=not options["batch"],
        )
        worker.configure_signals()
        try:
            worker.run()
        finally:
            if runner:
                runner.stop()
