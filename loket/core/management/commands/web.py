from django.conf import settings
from django.core.management.base import BaseCommand

from loket.core.server import SERVERS


class Command(BaseCommand):
    help = (
        "Runs the web server only (LOKET_WEB_SERVER: gunicorn or granian). Use with one or "
        "more `loket worker`. "
        "SIGHUP reloads it gracefully (new code, no refused request)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--workers", type=int, default=None, help="Web processes (default: one per core)."
        )
        parser.add_argument("--threads", type=int, default=4)
        parser.add_argument(
            "--server", choices=sorted(SERVERS), default=None, help="Default LOKET_WEB_SERVER."
        )

    def handle(self, *args, **o):
        run = SERVERS[o["server"] or settings.LOKET_WEB_SERVER]
        run(o["host"], o["port"], o["workers"], o["threads"])
