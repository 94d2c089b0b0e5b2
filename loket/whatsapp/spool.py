"""Accepting on SQLite: the verified body into a spool directory; only workers write the database.

SQLite lets one connection write at a time. A worker answering a batch holds that lock for tens
of milliseconds, and a webhook that had to INSERT its message waited behind it: at 50 messages
a second the acknowledgement's p99 was 5 s, and at 150 a second Meta's requests timed out. So
on SQLite (WHATSAPP_INBOUND_SPOOL, on by default there) the webhook does not touch the
database. It writes the body whose signature it checked to a file in the spool directory
(WHATSAPP_INBOUND_SPOOL_DIR, default `DATA_DIR/inbound-spool/`) under a temporary name and
renames it (a file is whole or absent), wakes the workers and answers 200.

A worker moves the spooled deliveries into the database (`ingest`: the same `views.store` the
PostgreSQL path runs, in one transaction) and only then deletes the files. A worker killed in
between leaves them; the next ingest stores them again, and the unique WhatsApp ids make that
a no-op: nothing lost, nothing twice. Names sort by arrival, so messages keep their order.

Durability is the database's own on SQLite (WAL, synchronous=NORMAL): a renamed file, like a
committed row, survives the death of any process; neither is flushed to the disk before the
answer, so a power cut can lose the last moments of both.
"""

import contextlib
import fcntl
import itertools
import logging
import os
import time
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction

logger = logging.getLogger(__name__)

MAX_FILES_PER_INGEST = 500
STALE_TEMPORARY_SECONDS = 3600
_counter = itertools.count()


def enabled() -> bool:
    return settings.WHATSAPP_INBOUND_SPOOL and connection.vendor == "sqlite"


def directory() -> Path:
    return Path(settings.WHATSAPP_INBOUND_SPOOL_DIR)


def put(body: bytes) -> None:
    """Keeps one verified delivery for the workers (raises OSError: the webhook answers 503)."""
    spool = directory()
    spool.mkdir(mode=0o700, parents=True, exist_ok=True)
    name = f"{time.time_ns():020d}-{os.getpid()}-{next(_counter):08d}.json"
    temporary = spool / f".tmp-{name}"
    with open(temporary, "wb") as f:
        f.write(body)
    os.rename(temporary, spool / name)


def waiting() -> int:
    """Deliveries spooled and not ingested yet."""
    try:
        return sum(1 for name in os.listdir(directory()) if not name.startswith("."))
    except FileNotFoundError:
        return 0


def ingest() -> int:
    """Stores the spooled deliveries (oldest first, up to MAX_FILES_PER_INGEST) in one
    transaction, then deletes their files; returns how many. One worker at a time: another
    that finds the spool locked leaves it to that one."""
    spool = directory()
    if not spool.is_dir():
        return 0
    with open(spool / ".lock", "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return 0
        names = sorted(n for n in os.listdir(spool) if not n.startswith("."))
        names = names[:MAX_FILES_PER_INGEST]
        if names:
            _store(spool, names)
        _clean_temporary(spool)
        return len(names)


def _store(spool: Path, names: list[str]) -> None:
    from loket.whatsapp import payload
    from loket.whatsapp.views import parse, store

    merged = payload.Batch()
    for name in names:
        with contextlib.suppress(FileNotFoundError):
            merged.extend(parse((spool / name).read_bytes()))
    with transaction.atomic():
        store(merged)
    for name in names:  # stored: a worker killed before this line stores them again, a no-op
        with contextlib.suppress(FileNotFoundError):
            (spool / name).unlink()


def _clean_temporary(spool: Path) -> None:
    """Files a web process left half-written when it died (never acknowledged)."""
    old = time.time() - STALE_TEMPORARY_SECONDS
    for path in spool.glob(".tmp-*"):
        with contextlib.suppress(FileNotFoundError):
            if path.stat().st_mtime < old:
                path.unlink()
                logger.warning("inbound spool: removed an unfinished file %s", path.name)
