import os
import subprocess
import sys

from django.conf import settings
from django.core.management.base import BaseCommand

from loket.core.server import run_gunicorn


class Command(BaseCommand):
    help = "Runs the web server and a task worker together: one command for one machine."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=None)
        parser.add_argument("--threads", type=int, default=4)
        parser.add_argument("--task-workers", type=int, default=1)

    def handle(self, *args, **o):
        base = f"http://{o['host']}:{o['port']}"
        self.stdout.write(f"Loket berjalan di {base}/  (staf: {base}/staf/)")
        if settings.SIMULATOR_ENABLED:
            self.stdout.write(f"Simulator WhatsApp: {base}/simulator/")
        demo_login = settings.DATA_DIR / "demo_login.txt"
        if demo_login.exists():
            self.stdout.write(f"Login staf demo: {demo_login.read_text().strip()}")
        workers = [
            subprocess.Popen([sys.executable, "-m", "loket", "worker"])  # noqa: S603
            for _ in range(o["task_workers"])
        ]
        try:
            run_gunicorn(o["host"], o["port"], o["workers"], o["threads"])
        finally:
            for worker in workers:
                worker.terminate()
            for worker in workers:
                worker.wait(timeout=10)
