"""The production web server started from Python, so `loket web` needs no extra file:
gunicorn (threads) or granian (a Rust HTTP server calling the same WSGI application), chosen by
LOKET_WEB_SERVER. docs/benchmarks.md ("Issue 14") compares them on this machine.

One process per core (each with a few threads): the webhook's request is short (one INSERT), and
more processes than cores only add context switches on a machine shared with the workers.
SIGHUP reloads gracefully: the listening socket stays open, new processes start on the new code,
the old ones finish their requests (graceful_timeout) and exit.
"""

import os

from gunicorn.app.base import BaseApplication


class _Gunicorn(BaseApplication):
    def __init__(self, options: dict) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from loket.wsgi import application

        return application


def run_gunicorn(host: str, port: int, workers: int | None, threads: int) -> None:
    _Gunicorn(
        {
            "bind": f"{host}:{port}",
            "workers": workers or os.cpu_count() or 1,
            "threads": threads,
            "worker_class": "gthread" if threads > 1 else "sync",
            "accesslog": os.environ.get("LOKET_ACCESS_LOG") or None,
            "timeout": 60,
            "graceful_timeout": 10,
            "max_requests": 100_000,
            "max_requests_jitter": 10_000,
        }
    ).run()


def run_granian(host: str, port: int, workers: int | None, threads: int) -> None:
    """granian: HTTP parsing and connections in Rust, `threads` Python threads per process.

    SIGHUP respawns the processes one at a time on the new code while the listening socket
    stays open (no refused request); a process that dies is started again."""
    from granian import Granian
    from granian.constants import Interfaces

    Granian(
        "loket.wsgi:application",
        address=host,
        port=port,
        interface=Interfaces.WSGI,
        workers=workers or os.cpu_count() or 1,
        blocking_threads=threads,
        backlog=2048,
        respawn_failed_workers=True,
        respawn_interval=1.0,
        workers_kill_timeout=10,
        log_access=bool(os.environ.get("LOKET_ACCESS_LOG")),
    ).serve()


SERVERS = {"gunicorn": run_gunicorn, "granian": run_granian}
