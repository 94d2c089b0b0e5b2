from django.core.management.base import BaseCommand

from loket.core.server import run_gunicorn


class Command(BaseCommand):
    help = (
        "Runs the web server only (gunicorn). Use with one or more `loket worker`. "
        "SIGHUP reloads it gracefully (new code, no refused request)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--workers", type=int, default=None, help="Web processes (default: one per core)."
        )
        parser.add_argument("--threads", type=int, default=4)

    def handle(self, *args, **o):
        run_gunicorn(o["host"], o["port"], o["workers"], o["threads"])
