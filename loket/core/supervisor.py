"""`loket serve`'s process supervisor: starts the web server and the task workers as child
processes and restarts any that dies (with a growing pause if it keeps dying at once).

SIGTERM or Ctrl+C stops them all: each child gets SIGTERM (workers finish or hand back their
task), then SIGKILL after `grace` seconds.
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

    def stop(self, *_args) -> None:
        self.stopping.set()

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
        for child in self.children:
            child.start()
        try:
            while not self.stopping.wait(self.tick):
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
