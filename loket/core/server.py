"""The production web server (gunicorn) started from Python, so `loket web` needs no extra file.

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
