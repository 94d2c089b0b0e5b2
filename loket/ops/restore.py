"""`loket restore FILE`: an archive of `loket backup` into an empty database and data directory.

In order, changing nothing until the archive is known good:
1. the target must be empty (no table in the database, no file in the private storage), unless
   `force` (then both are erased first);
2. the manifest is read: format, database kind, and the key check value against every key of
   LOKET_ENCRYPTION_KEY: a wrong or missing key stops here with a clear message;
3. every member is extracted into a staging directory next to the storage and its SHA-256
   compared with the manifest;
4. the database is loaded (SQLite's backup API / `pg_restore --single-transaction`), the rows
   per table compared with the manifest; the files moved into place;
5. a sample of encrypted values and files is decrypted with the current key.
"""

import json
import os
import secrets
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.db import connection, models
from django.db.migrations.executor import MigrationExecutor
from django.db.models.functions import Cast

from loket.core.crypto import DecryptionError, decrypt_bytes, decrypt_text, lookup_hashes
from loket.core.rotation import sealed_models
from loket.ops.backup import (
    FILES,
    FORMAT,
    KEY_CHECK_TEXT,
    MANIFEST,
    BackupError,
    Say,
    _quiet,
    media_root,
    pg_env,
    pg_tool,
    sha256_file,
    table_counts,
)

SAMPLE_ROWS = 3
SAMPLE_FILES = 5


class RestoreError(BackupError):
    """The restore refused or failed; the message says why and what to do."""


def database_contents() -> tuple[int, int]:
    """(tables, rows) of the target database."""
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        return len(tables), sum(table_counts(cursor, tables).values())


def stored_file_count() -> int:
    root = media_root()
    return sum(1 for p in root.rglob("*") if p.is_file()) if root.exists() else 0


def check_empty(force: bool) -> None:
    tables, rows = database_contents()
    files = stored_file_count()
    if (tables or files) and not force:
        raise RestoreError(
            f"Tujuan tidak kosong: basis data berisi {tables} tabel ({rows} baris) dan "
            f"{media_root()} berisi {files} berkas. Pulihkan ke basis data baru (createdb, "
            "tanpa `loket migrate`) dan direktori data baru, atau pakai --force untuk "
            "MENGHAPUS isinya.\n"
            f"Target not empty: the database has {tables} tables ({rows} rows) and "
            f"{media_root()} holds {files} files. Restore into a new database (created, not "
            "migrated) and a new data directory, or pass --force to ERASE them."
        )


def read_manifest(archive: Path) -> dict:
    try:
        with tarfile.open(archive, "r:gz") as tar:
            handle = tar.extractfile(MANIFEST)
            manifest = json.loads(handle.read()) if handle else None
    except (OSError, tarfile.TarError, KeyError, EOFError, ValueError) as error:
        raise RestoreError(
            f"{archive}: bukan arsip `loket backup` yang utuh / not a complete `loket backup` "
            f"archive ({type(error).__name__}: {error})"
        ) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise RestoreError(
            f"{archive}: unknown archive format {manifest and manifest.get('format')}"
        )
    return manifest


def check_key(manifest: dict) -> None:
    if manifest["key_check"] in lookup_hashes(KEY_CHECK_TEXT):
        return
    if not os.environ.get("LOKET_ENCRYPTION_KEY", "").strip():
        raise RestoreError(
            "LOKET_ENCRYPTION_KEY belum diisi: set kunci enkripsi instalasi yang dicadangkan "
            "sebelum memulihkan. / LOKET_ENCRYPTION_KEY is not set: set the encryption key of the "
            "backed-up installation before restoring (without it no document can be read)."
        )
    raise RestoreError(
        "Kunci LOKET_ENCRYPTION_KEY salah: cadangan ini dibuat dengan kunci lain. / "
        "Wrong LOKET_ENCRYPTION_KEY: this backup was made with another key (none of the "
        "configured keys matches the archive's key check). Nothing was restored."
    )


def _plain_members(tar: tarfile.TarFile) -> list[tarfile.TarInfo]:
    """Regular files and directories with relative paths that stay inside the target."""
    members = tar.getmembers()
    for member in members:
        parts = Path(member.name).parts
        if not (member.isfile() or member.isdir()) or member.name.startswith("/") or ".." in parts:
            raise RestoreError(f"archive member refused: {member.name!r}")
    return members


def extract(archive: Path, manifest: dict, staging: Path, say: Say) -> None:
    expected = {manifest["database"]["member"]: manifest["database"]["sha256"]}
    expected.update({FILES + name: f["sha256"] for name, f in manifest["files"].items()})
    with tarfile.open(archive, "r:gz") as tar:
        if hasattr(tarfile, "data_filter"):  # 3.11.4+: no absolute paths, links or devices
            tar.extractall(staging, filter="data")
        else:  # Debian 12 ships 3.11.2: the same refusals, by hand
            tar.extractall(staging, members=_plain_members(tar))  # noqa: S202 (members checked)
    found = {p.relative_to(staging).as_posix() for p in staging.rglob("*") if p.is_file()} - {
        MANIFEST
    }
    if found != set(expected):
        missing, extra = sorted(set(expected) - found), sorted(found - set(expected))
        raise RestoreError(
            f"archive members differ from its manifest: missing {missing[:5]}, extra {extra[:5]}"
        )
    for done, (name, digest) in enumerate(sorted(expected.items()), start=1):
        if sha256_file(staging / name) != digest:
            raise RestoreError(f"checksum mismatch: {name} is damaged; nothing was restored")
        if done % 1000 == 0 or done == len(expected):
            say(f"  checksums: {done}/{len(expected)} ok")


def _erase_database() -> None:
    if connection.vendor == "sqlite":
        path = Path(connection.settings_dict["NAME"])
        connection.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    else:
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
        connection.close()


def load_database(dump: Path, vendor: str) -> None:
    if vendor == "sqlite":
        target = Path(connection.settings_dict["NAME"])
        connection.close()
        source, copy = sqlite3.connect(dump), sqlite3.connect(target)
        try:
            source.backup(copy, pages=4096)
        finally:
            copy.close()
            source.close()
        return
    connection.close()
    result = subprocess.run(  # noqa: S603 - fixed argv, no shell
        [
            pg_tool("pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={connection.settings_dict['NAME']}",
            str(dump),
        ],
        env=pg_env(),
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise RestoreError(f"pg_restore failed: {result.stderr.strip()[-2000:]}")


def place_files(staging: Path, say: Say) -> int:
    root = media_root()
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    moved = 0
    source = staging / FILES.rstrip("/")
    if source.exists():
        for path in sorted(p for p in source.rglob("*") if p.is_file()):
            target = root / path.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            os.replace(path, target)
            os.chmod(target, 0o600)
            moved += 1
    say(f"  files: {moved} in {root}")
    return moved


def sample_decrypt() -> tuple[int, int]:
    """Decrypts a few stored values of every encrypted column and a few files with the current
    keys; raises RestoreError naming what no key opens."""
    values = 0
    for sealed in sealed_models():
        for name in sealed.encrypted:
            raw = (
                sealed.model._base_manager.annotate(loket_raw_token=Cast(name, models.TextField()))
                .exclude(loket_raw_token="")
                .exclude(loket_raw_token__isnull=True)
                .order_by("pk")
                .values_list("pk", "loket_raw_token")[:SAMPLE_ROWS]
            )
            for pk, token in raw:
                try:
                    decrypt_text(token)
                except DecryptionError:
                    raise RestoreError(
                        f"Kunci saat ini tidak membuka data / the current key does not decrypt "
                        f"{sealed.label}.{name} #{pk}: set LOKET_ENCRYPTION_KEY to the backed-up "
                        "installation's key(s)."
                    ) from None
                values += 1
    files = 0
    root = media_root()
    paths = sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []
    step = max(len(paths) // SAMPLE_FILES, 1)
    for path in paths[::step][:SAMPLE_FILES]:
        try:
            decrypt_bytes(path.read_bytes())
        except DecryptionError:
            raise RestoreError(
                f"Kunci saat ini tidak membuka berkas / the current key does not decrypt {path}"
            ) from None
        files += 1
    return values, files


def migration_advice() -> str:
    executor = MigrationExecutor(connection)
    applied = set(executor.loader.applied_migrations)
    unknown = sorted(applied - set(executor.loader.disk_migrations))
    if unknown:
        return (
            f"the backup comes from a newer Loket ({len(unknown)} migrations unknown to this "
            f"version, e.g. {unknown[0][0]}.{unknown[0][1]}): install that version to serve it"
        )
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        return f"{len(plan)} migrations of this version not yet applied: run `loket migrate`"
    return "migrations up to date"


def restore(archive: Path, force: bool = False, say: Say = _quiet) -> dict:
    archive = Path(archive)
    if not archive.is_file():
        raise RestoreError(f"{archive}: tidak ada / does not exist")
    check_empty(force)
    manifest = read_manifest(archive)
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        raise RestoreError(
            f"the archive holds a {vendor} database but DATABASE_URL points at "
            f"{connection.vendor}: restore into the same kind of database"
        )
    check_key(manifest)
    say(f"Arsip / archive: Loket {manifest['loket_version']}, dibuat {manifest['created_at']}")
    root = media_root()
    root.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    staging = root.parent / f".restore-{secrets.token_hex(4)}"
    staging.mkdir(mode=0o700)
    try:
        extract(archive, manifest, staging, say)
        if force:
            _erase_database()
            shutil.rmtree(root, ignore_errors=True)
        say("  database: loading…")
        load_database(staging / manifest["database"]["member"], vendor)
        with connection.cursor() as cursor:
            counts = table_counts(cursor, connection.introspection.table_names(cursor))
        if counts != manifest["database"]["tables"]:
            differ = sorted(
                t
                for t in set(counts) | set(manifest["database"]["tables"])
                if counts.get(t) != manifest["database"]["tables"].get(t)
            )
            raise RestoreError(f"rows per table differ from the manifest: {differ[:10]}")
        say(f"  database: {sum(counts.values())} rows in {len(counts)} tables, as in the manifest")
        files = place_files(staging, say)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    values, sampled = sample_decrypt()
    say(f"  key: {values} encrypted values and {sampled} files decrypted with the current key")
    advice = migration_advice()
    say(f"Selesai / done: {advice}")
    return {"rows": sum(counts.values()), "tables": len(counts), "files": files, "advice": advice}
