"""Backups that restore: one tar.gz with the database, the stored files and a manifest.

The archive holds
- `database.sqlite3` (SQLite's online backup API: a consistent copy while Loket runs) or
  `database.pgdump` (`pg_dump --format=custom` on a snapshot exported by this process, so the
  table counts of the manifest are those of the dump);
- `files/…`: every file of the private storage (MEDIA_ROOT) as stored, i.e. still encrypted;
- `manifest.json` (last): format, Loket version, the migrations applied, rows per table,
  SHA-256 of every member, and a keyed check value of the encryption key (an HMAC, from which
  the key cannot be recovered) so that `loket restore` says at once when the key is wrong.

Never in the archive: SECRET_KEY, LOKET_ENCRYPTION_KEY or any other file of LOKET_DATA_DIR
(the demo keeps its generated keys there). Keep the keys apart from the backups
(docs/operations.md): an archive without its key is unreadable, which is the point.
"""

import datetime as dt
import hashlib
import io
import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder

from loket.core.crypto import lookup_hash

FORMAT = 1
MANIFEST = "manifest.json"
FILES = "files/"
KEY_CHECK_TEXT = "loket-backup-key-check"
ARCHIVE_NAME = re.compile(r"^loket-\d{8}-\d{6}\.tar\.gz$")
CHUNK = 1024 * 1024

Say = Callable[[str], None]


class BackupError(Exception):
    """The backup could not be made (the message says why); no archive was left behind."""


def _quiet(text: str) -> None:
    pass


def loket_version() -> str:
    try:
        return version("loket")
    except PackageNotFoundError:  # running from a source tree without installing
        return "unknown"


def media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def key_check() -> str:
    """A keyed hash of a fixed text under the current key: equal only for the same key."""
    return lookup_hash(KEY_CHECK_TEXT)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def database_vendor() -> str:
    return connection.vendor  # "sqlite" or "postgresql"


def pg_env() -> dict[str, str]:
    """The libpq environment for pg_dump / pg_restore: the password never on a command line."""
    db = connection.settings_dict
    env = {**os.environ, "PGDATABASE": db["NAME"]}
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if db.get(key):
            env[var] = str(db[key])
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    if (db.get("OPTIONS") or {}).get("sslmode"):
        env["PGSSLMODE"] = db["OPTIONS"]["sslmode"]
    return env


def pg_tool(name: str) -> str:
    """pg_dump / pg_restore: LOKET_PG_BIN (a directory) first, else the PATH."""
    directory = os.environ.get("LOKET_PG_BIN", "").strip()
    found = str(Path(directory) / name) if directory else shutil.which(name)
    if not found or not Path(found).exists():
        raise BackupError(
            f"{name} tidak ditemukan / not found: install the PostgreSQL client "
            f"(apt install postgresql-client) or set LOKET_PG_BIN"
        )
    return found


def table_counts(cursor, tables: list[str]) -> dict[str, int]:
    quote = connection.ops.quote_name
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 - our own table names
        counts[table] = cursor.fetchone()[0]
    return counts


def applied_migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        applied.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(applied.items())}


def _dump_sqlite(target: Path, say: Say) -> dict[str, int]:
    source_path = connection.settings_dict["NAME"]
    # A connection of our own: Django's may be inside a transaction; the backup API copies a
    # consistent state page by page while other processes keep writing.
    source = sqlite3.connect(source_path, timeout=30)
    copy = sqlite3.connect(target)
    try:

        def progress(status: int, remaining: int, total: int) -> None:
            if total and remaining % 20000 < 4096:
                say(f"  database: {total - remaining}/{total} pages")

        source.backup(copy, pages=4096, progress=progress)
        tables = [
            row[0]
            for row in copy.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        cursor = copy.cursor()
        return table_counts(cursor, tables)
    finally:
        copy.close()
        source.close()


def _dump_postgresql(target: Path, say: Say) -> dict[str, int]:
    pg_dump = pg_tool("pg_dump")
    # One REPEATABLE READ transaction exports its snapshot: pg_dump dumps exactly what the
    # counts below see, however busy the database is.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        counts = table_counts(cursor, connection.introspection.table_names(cursor))
        say(f"  database: {sum(counts.values())} rows in {len(counts)} tables; pg_dump…")
        result = subprocess.run(  # noqa: S603 - fixed argv, no shell
            [
                pg_dump,
                "--format=custom",
                "--compress=6",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                f"--file={target}",
            ],
            env=pg_env(),
            capture_output=True,
            text=True,
        )
    if result.returncode != 0:
        raise BackupError(f"pg_dump failed: {result.stderr.strip()[-2000:]}")
    return counts


class _Hashing(io.RawIOBase):
    """Reads a file for tarfile while computing its SHA-256."""

    def __init__(self, handle) -> None:
        self.handle, self.digest = handle, hashlib.sha256()

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        block = self.handle.read(size)
        self.digest.update(block)
        return block


def _add(tar: tarfile.TarFile, path: Path, name: str) -> tuple[str, int]:
    with path.open("rb") as handle:
        info = tar.gettarinfo(fileobj=handle, arcname=name)
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        info.mode = 0o600
        hashing = _Hashing(handle)
        tar.addfile(info, hashing)
    return hashing.digest.hexdigest(), info.size


def stored_files() -> list[Path]:
    root = media_root()
    if not root.exists():
        return []
    return sorted(
        p for p in root.rglob("*") if p.is_file() and not p.name.endswith((".rotating", ".tmp"))
    )


def make_backup(out: Path, say: Say = _quiet) -> dict:
    """Writes the archive to `out` (atomically: `out` appears complete or not at all)."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    vendor = database_vendor()
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"database {vendor} is not supported by loket backup")
    partial = out.with_name(out.name + ".partial")
    with tempfile.TemporaryDirectory(prefix=".loket-backup-", dir=out.parent) as work:
        member = "database.sqlite3" if vendor == "sqlite" else "database.pgdump"
        dump = Path(work) / member
        say(f"Mencadangkan basis data ({vendor})… / backing up the database")
        counts = (_dump_sqlite if vendor == "sqlite" else _dump_postgresql)(dump, say)
        manifest = {
            "format": FORMAT,
            "loket_version": loket_version(),
            "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "hostname": socket.gethostname(),
            "database": {"vendor": vendor, "member": member, "tables": counts},
            "migrations": applied_migrations(),
            "key_check": key_check(),
            "files": {},
        }
        files = stored_files()
        say(f"  database: {dump.stat().st_size / 1e6:.1f} MB; {len(files)} stored files next")
        try:
            with tarfile.open(partial, "w:gz", compresslevel=6) as tar:
                digest, size = _add(tar, dump, member)
                manifest["database"].update(sha256=digest, bytes=size)
                root = media_root()
                total = 0
                for done, path in enumerate(files, start=1):
                    name = path.relative_to(root).as_posix()
                    try:
                        digest, size = _add(tar, path, FILES + name)
                    except FileNotFoundError:  # deleted since listed: not in the database either
                        continue
                    manifest["files"][name] = {"sha256": digest, "bytes": size}
                    total += size
                    if done % 500 == 0 or done == len(files):
                        say(f"  files: {done}/{len(files)} ({total / 1e6:.1f} MB)")
                raw = json.dumps(manifest, indent=1, sort_keys=True).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mode, info.mtime = len(raw), 0o600, int(time.time())
                tar.addfile(info, io.BytesIO(raw))
            with partial.open("rb") as handle:
                os.fsync(handle.fileno())
            os.replace(partial, out)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    manifest["archive_bytes"] = out.stat().st_size
    manifest["seconds"] = round(time.monotonic() - started, 2)
    say(
        f"Selesai / done: {out} ({manifest['archive_bytes'] / 1e6:.1f} MB, "
        f"{sum(counts.values())} rows, {len(manifest['files'])} files, "
        f"{manifest['seconds']:.1f} s)"
    )
    return manifest


def archive_name(now: dt.datetime | None = None) -> str:
    now = now or dt.datetime.now(dt.UTC)
    return f"loket-{now:%Y%m%d-%H%M%S}.tar.gz"


def prune(directory: Path, keep: int) -> list[Path]:
    """Deletes the oldest `loket-YYYYmmdd-HHMMSS.tar.gz` beyond the newest `keep`."""
    if keep < 1:
        raise BackupError("--keep must be at least 1")
    archives = sorted(p for p in Path(directory).iterdir() if ARCHIVE_NAME.match(p.name))
    removed = archives[: max(len(archives) - keep, 0)]
    for path in removed:
        path.unlink()
    return removed


def backup_to_dir(directory: Path, keep: int, say: Say = _quiet) -> tuple[Path, list[Path]]:
    """A daily backup: a new timestamped archive in `directory`, the oldest beyond `keep` gone."""
    if keep < 1:
        raise BackupError("--keep must be at least 1")
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    out = directory / archive_name()
    make_backup(out, say)
    removed = prune(directory, keep)
    for path in removed:
        say(f"  retention: removed {path.name}")
    return out, removed
