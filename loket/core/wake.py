"""Waking idle workers the moment there is work, instead of polling.

PostgreSQL: `NOTIFY loket_wake` inside the transaction that stores the work (delivered when it
commits, to workers on any machine) and `LISTEN loket_wake` on a worker's own connection.
SQLite (one machine by nature): a worker binds a Unix datagram socket in a directory named
after the database file; a committed enqueue sends one byte to each socket there. A worker
that sleeps through a lost wake-up still polls every LOKET_WORKER_IDLE_SECONDS.
"""

import contextlib
import hashlib
import logging
import os
import select
import socket
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction

logger = logging.getLogger(__name__)

CHANNEL = "loket_wake"
TASKS = "t"  # a task was enqueued: look at the task queue
INBOUND = "i"  # a citizen's message was stored: the inbound pump has work


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def socket_dir() -> Path:
    """Short (Unix socket paths are limited to ~100 bytes) and the same for every process."""
    name = str(Path(connection.settings_dict["NAME"]).resolve())
    digest = hashlib.blake2b(name.encode(), digest_size=6).hexdigest()
    return Path(tempfile.gettempdir()) / f"loket-wake-{digest}"


def notify(kind: str = TASKS) -> None:
    """Wakes the workers once the current transaction commits (at once outside one)."""
    if _is_postgres():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_notify(%s, %s)", [CHANNEL, kind])
    else:
        transaction.on_commit(lambda: _send_datagrams(kind.encode()))


def notify_sql(kind: str = TASKS) -> tuple[str, list] | None:
    """PostgreSQL: the SELECT that wakes the workers, to run inside the caller's own statement
    (`core.bulk.insert_rows(then=...)`); None elsewhere (call `notify`)."""
    return ("SELECT pg_notify(%s, %s)", [CHANNEL, kind]) if _is_postgres() else None


def notify_now(kind: str = TASKS) -> None:
    """Wakes the workers at once, for work already stored outside the database (on SQLite
    without opening a connection: the inbound spool)."""
    if _is_postgres():
        notify(kind)
    else:
        _send_datagrams(kind.encode())


def _send_datagrams(payload: bytes = TASKS.encode()) -> None:
    directory = socket_dir()
    try:
        names = os.listdir(directory)
    except FileNotFoundError:
        return
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.setblocking(False)
        for name in names:
            path = directory / name
            try:
                sock.sendto(payload, str(path))
            except (ConnectionRefusedError, FileNotFoundError):
                with contextlib.suppress(OSError):
                    path.unlink()  # a worker that died without cleaning up
            except (BlockingIOError, OSError):
                pass  # its buffer is full: it has wake-ups enough


def on_task_enqueued(sender, **kwargs) -> None:
    """django-tasks signal: every task enqueued wakes the workers (connected in CoreConfig)."""
    try:
        notify()
    except Exception:  # never fail an enqueue for a wake-up: the workers poll anyway
        logger.warning("could not wake the workers", exc_info=True)


class Waiter:
    """A worker's side: `wait(seconds)` returns early when woken."""

    def __init__(self) -> None:
        self.kinds: set[str] = set()
        self.pg = None
        self.sock: socket.socket | None = None
        self.path: Path | None = None
        if _is_postgres():
            import psycopg

            params = connection.get_connection_params()
            self.pg = psycopg.connect(autocommit=True, **params)
            self.pg.execute(f"LISTEN {CHANNEL}")
        else:
            directory = socket_dir()
            directory.mkdir(mode=0o700, exist_ok=True)
            self.path = directory / f"{os.getpid()}.sock"
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()
            self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
            self.sock.bind(str(self.path))
            self.sock.setblocking(False)

    def fileno(self) -> int:
        return self.pg.fileno() if self.pg is not None else self.sock.fileno()

    def wait(self, seconds: float) -> bool:
        """Sleeps up to `seconds`; True if woken. Swallows every pending wake-up; `kinds` then
        holds what they were for (TASKS, INBOUND)."""
        self.kinds: set[str] = set()
        try:
            ready, _, _ = select.select([self.fileno()], [], [], seconds)
        except InterruptedError:
            return False
        if not ready:
            return False
        self.drain()
        return True

    def pending(self) -> set[str]:
        """What the wake-ups that came meanwhile were for, read without sleeping."""
        self.kinds = set()
        self.drain()
        return self.kinds

    def drain(self) -> None:
        if self.pg is not None:
            for notice in self.pg.notifies(timeout=0):
                self.kinds.add(notice.payload or TASKS)
            return
        with contextlib.suppress(BlockingIOError):
            while payload := self.sock.recv(64):
                self.kinds.add(payload.decode(errors="replace") or TASKS)

    def close(self) -> None:
        if self.pg is not None:
            with contextlib.suppress(Exception):
                self.pg.close()
        if self.sock is not None:
            self.sock.close()
            with contextlib.suppress(OSError):
                self.path.unlink()


def idle_seconds() -> float:
    return settings.LOKET_WORKER_IDLE_SECONDS
