import os
import signal

from django.conf import settings
from django.core.management.base import BaseCommand

from loket.core.supervisor import Child, Supervisor, loket_command

WORKER_NICE = 10


class Command(BaseCommand):
    help = (
        "Runs the web server and task worker(s) together, restarting any that dies: "
        "one command for one machine. SIGHUP: rolling restart (graceful web reload, then the "
        "workers one by one)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument(
            "--workers", type=int, default=None, help="Web processes (default: one per core)."
        )
        parser.add_argument("--threads", type=int, default=4)
        parser.add_argument(
            "--task-workers",
            type=int,
            default=None,
            help="Task worker processes (default: one per core).",
        )

    def handle(self, *args, **o):
        base = f"http://{o['host']}:{o['port']}"
        self.stdout.write(f"Loket berjalan di {base}/  (staf: {base}/staf/)")
        if settings.SIMULATOR_ENABLED:
            self.stdout.write(f"Simulator WhatsApp: {base}/simulator/")
        demo_login = settings.DATA_DIR / "demo_login.txt"
        if demo_login.exists():
            self.stdout.write(f"Login staf demo: {demo_login.read_text().strip()}")
        self.stdout.flush()
        cores = os.cpu_count() or 1
        web = ["web", "--host", o["host"], "--port", str(o["port"]), "--threads", str(o["threads"])]
        web += ["--workers", str(o["workers"] or cores)]
        children = [Child("web", loket_command(*web), reload_signal=signal.SIGHUP)]
        # Workers run at a lower CPU priority: on a machine they share with the web server, a
        # flood of messages must never slow the acknowledgements Meta times out on; the
        # answers catch up (docs/benchmarks.md, issue 14).
        children += [
            Child(f"worker-{n + 1}", loket_command("worker", "--nice", str(WORKER_NICE)))
            for n in range(o["task_workers"] or cores)
        ]
        Supervisor(children).run()
