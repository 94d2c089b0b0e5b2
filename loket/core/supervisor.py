"""`loket serve`'s process supervisor: starts the web server and the task workers as child
processes and restarts any that dies (with a growing pause if it keeps dying at once).

SIGTERM or Ctrl+C stops them all: each child gets SIGTERM (workers finish or hand back their
task), then SIGKILL after `grace` seconds.

SIGHUP is a rolling restart (an upgrade): the web server reloads gracefully (gunicorn keeps its
listening socket, starts new processes on the new code and lets the old ones finish their
requests: no webhook is refused), then the workers are replaced one at a time.
"""

import logging
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field

logger = logging.getLogger(__name__)


@dataclass
class Child:
    name: str
    argv: list[str]
    reload_signal: int | None = None  # reloads itself on this signal (gunicorn: SIGHUP)
    process: subprocess.Popen | None = None
    started: float = 0.0
    restarts: int = 0
    pause: float = 0.0
    exited_at: float | None = None
    history: list[int] = field(default_factory=list)  # pids, oldest first

    def start(self) -> None:
        self.process = subprocess.Popen(self.argv)  # noqa: S603
        self.started = time.monotonic()
        self.history.append(self.process.pid)


class Supervisor:
    def __init__(self, children: list[Child], grace: float = 20.0, tick: float = 0.5) -> None:
        self.children = children
        self.grace = grace
        self.tick = tick
        self.stopping = threading.Event()
        self.reloading = False

    def stop(self, *_args) -> None:
        self.stopping.set()

    def request_reload(self, *_args) -> None:
        self.reloading = True
        self.stopping.set()  # wakes the loop; cleared again by reload()

    def reload(self) -> None:
        """Reloads the children that can reload in place; restarts the others one by one."""
        self.reloading = False
        self.stopping.clear()
        logger.warning("rolling restart")
        for child in self.children:
            if not child.process or child.process.poll() is not None:
                continue
            if child.reload_signal is not None:
                child.process.send_signal(child.reload_signal)
                continue
            child.process.send_signal(signal.SIGTERM)
            try:
                child.process.wait(timeout=self.grace)
            except subprocess.TimeoutExpired:
                child.process.kill()
                child.process.wait()
            child.exited_at = None
            child.start()

    def check(self) -> None:
        """Restarts every child that exited; one that keeps dying young waits longer each time."""
        now = time.monotonic()
        for child in self.children:
            code = child.process.poll() if child.process else 0
            if code is None:
                continue
            if child.exited_at is None:
                child.exited_at = now
                young = now - child.started < 10
                child.pause = min(max(child.pause * 2, 1.0), 30.0) if young else 0.0
                logger.error(
                    "%s (pid %s) exited with %s: restarting in %.0f s",
                    child.name,
                    child.process.pid if child.process else "-",
                    code,
                    child.pause,
                )
            if now - child.exited_at >= child.pause:
                child.exited_at = None
                child.restarts += 1
                child.start()

    def run(self) -> None:
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
        signal.signal(signal.SIGHUP, self.request_reload)
        for child in self.children:
            child.start()
        try:
            while True:
                if self.stopping.wait(self.tick):
                    if not self.reloading:
                        break
                    self.reload()
                self.check()
        finally:
            self.shutdown()

    def shutdown(self) -> None:
        running = [c.process for c in self.children if c.process and c.process.poll() is None]
        for process in running:
            process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + self.grace
        for process in running:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def loket_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "loket", *args]
