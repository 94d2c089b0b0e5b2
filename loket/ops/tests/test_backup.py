"""Backups that restore: the drill (back up a populated office, restore elsewhere, read it all
back), and the refusals (non-empty target, wrong or missing key, damaged archive)."""

import io
import json
import os
import secrets
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection

from loket.core.testing import database_url
from loket.ops import backup, restore
from loket.ops.inventory import inventory

INVENTORY = (
    "import json, django; django.setup(); "
    "from loket.ops.inventory import inventory; print(json.dumps(inventory()))"
)


def loket(env: dict, *argv: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "loket", *argv], env=env, capture_output=True, text=True, timeout=600
    )


def env_for(database: str, data_dir: Path) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "loket.settings",
        "LOKET_ENV": "test",
        "DATABASE_URL": database,
        "LOKET_DATA_DIR": str(data_dir),
        "LOKET_ENCRYPTION_KEY": ",".join(django_settings.LOKET_ENCRYPTION_KEYS),
        "SECRET_KEY": django_settings.SECRET_KEY,
    }
    env.pop("LOKET_BACKUP_DIR", None)
    return env


def use_storage(settings, private: Path) -> None:
    private.mkdir(parents=True, exist_ok=True)
    settings.MEDIA_ROOT = private
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": private},
        },
    }


@pytest.fixture
def empty_target(tmp_path):
    """A new, empty database of the kind the suite runs on: a SQLite file or a PG database."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    name = f"loket_drill_{secrets.token_hex(4)}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE {name}")
    yield database_url().rsplit("/", 1)[0] + f"/{name}"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def populate() -> None:
    """The project's own seeding: the demo office with its applications and their uploaded
    documents, then a few days of history (chats, bot turns, bookings, queue, piket)."""
    from loket.catalog.models import Office
    from loket.reports.history import seed_history

    call_command("seed_demo", stdout=io.StringIO())
    seed_history(Office.objects.get(slug="balikpapan"), days=4, scale=0.3)


@pytest.mark.django_db(transaction=True)
def test_restore_drill_every_record_and_document_readable(tmp_path, settings, empty_target):
    from loket.applications.models import Application, Document
    from loket.appointments.models import Booking
    from loket.whatsapp.models import InboundMessage, OutboundMessage

    source = tmp_path / "source"
    use_storage(settings, source / "private")
    populate()
    assert Application.objects.count() > 10 and Document.objects.exists()
    assert InboundMessage.objects.exists() and OutboundMessage.objects.exists()
    assert Booking.objects.exists()
    before = json.loads(json.dumps(inventory()))
    assert len(before["files"]) >= 2  # the demo applications' uploaded documents

    archive = tmp_path / "backups" / "office.tar.gz"
    made = loket(env_for(database_url(), source), "backup", "--out", str(archive))
    assert made.returncode == 0, made.stderr
    assert "files:" in made.stdout and archive.exists()
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))
    # no key, no secret, no other file of the data directory in the archive
    assert not [n for n in names if "key" in n or "secret" in n or "demo_login" in n]
    assert set(names) == {"manifest.json", manifest["database"]["member"]} | {
        f"files/{name}" for name in before["files"]
    }
    raw = archive.read_bytes()
    for key in settings.LOKET_ENCRYPTION_KEYS:
        assert key.encode() not in raw
    assert manifest["database"]["tables"]["applications_application"] == Application.objects.count()

    target = tmp_path / "restored"
    restored = loket(env_for(empty_target, target), "restore", str(archive))
    assert restored.returncode == 0, restored.stderr
    assert "as in the manifest" in restored.stdout and "migrations up to date" in restored.stdout

    read_back = subprocess.run(
        [sys.executable, "-c", INVENTORY],
        env=env_for(empty_target, target),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert read_back.returncode == 0, read_back.stderr
    after = json.loads(read_back.stdout.strip().splitlines()[-1])
    assert after["tables"] == before["tables"]
    assert after["files"] == before["files"]

    again = loket(env_for(empty_target, target), "restore", str(archive))
    assert again.returncode != 0 and "Target not empty" in again.stderr


def test_a_wrong_or_missing_key_is_named_before_anything_is_restored(settings, monkeypatch):
    original = list(settings.LOKET_ENCRYPTION_KEYS)
    manifest = {"key_check": backup.key_check()}
    restore.check_key(manifest)  # the same key: fine
    settings.LOKET_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    monkeypatch.setenv("LOKET_ENCRYPTION_KEY", settings.LOKET_ENCRYPTION_KEYS[0])
    with pytest.raises(restore.RestoreError, match="Wrong LOKET_ENCRYPTION_KEY"):
        restore.check_key(manifest)
    monkeypatch.delenv("LOKET_ENCRYPTION_KEY")
    with pytest.raises(restore.RestoreError, match="LOKET_ENCRYPTION_KEY is not set"):
        restore.check_key(manifest)
    # a rotated installation (new key first, the backup's key after it) still restores
    settings.LOKET_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), *original]
    monkeypatch.setenv("LOKET_ENCRYPTION_KEY", ",".join(settings.LOKET_ENCRYPTION_KEYS))
    restore.check_key(manifest)


@pytest.mark.django_db
def test_a_non_empty_target_is_refused_with_a_clear_message():
    with pytest.raises(restore.RestoreError) as refused:
        restore.check_empty(force=False)
    assert "Target not empty" in str(refused.value) and "--force" in str(refused.value)


def _archive_with(tmp_path: Path, members: dict[str, bytes], manifest: dict) -> Path:
    path = tmp_path / "a.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        for name, data in [*members.items(), ("manifest.json", json.dumps(manifest).encode())]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def test_a_damaged_archive_is_refused_before_the_database_is_touched(tmp_path):
    import hashlib

    good = b"database bytes"
    manifest = {
        "format": backup.FORMAT,
        "database": {"member": "database.sqlite3", "sha256": hashlib.sha256(good).hexdigest()},
        "files": {"a/b.bin": {"sha256": hashlib.sha256(b"token").hexdigest()}},
    }
    damaged = _archive_with(
        tmp_path, {"database.sqlite3": good, "files/a/b.bin": b"tokeN"}, manifest
    )
    staging = tmp_path / "staging"
    staging.mkdir()
    assert restore.read_manifest(damaged)["format"] == backup.FORMAT
    with pytest.raises(restore.RestoreError, match="checksum mismatch: files/a/b.bin"):
        restore.extract(damaged, manifest, staging, print)
    (tmp_path / "cut.tar.gz").write_bytes(damaged.read_bytes()[:40])
    with pytest.raises(restore.RestoreError, match="not a complete"):
        restore.read_manifest(tmp_path / "cut.tar.gz")


def test_retention_keeps_the_newest_n_archives_and_nothing_else(tmp_path):
    names = [f"loket-202611{day:02d}-020000.tar.gz" for day in range(1, 11)]
    for name in [*names, "notes.txt", "loket-20261101-020000.tar.gz.partial"]:
        (tmp_path / name).write_text("x")
    removed = backup.prune(tmp_path, keep=7)
    assert [p.name for p in removed] == names[:3]
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == sorted([*names[3:], "notes.txt", "loket-20261101-020000.tar.gz.partial"])
    with pytest.raises(backup.BackupError):
        backup.prune(tmp_path, keep=0)


@pytest.mark.django_db(transaction=True)
def test_backup_dir_names_archives_by_time_and_applies_keep(tmp_path, settings):
    use_storage(settings, tmp_path / "private")
    (tmp_path / "daily").mkdir()
    for day in range(1, 4):
        (tmp_path / "daily" / f"loket-200001{day:02d}-000000.tar.gz").write_text("old")
    made = loket(
        {**env_for(database_url(), tmp_path), "LOKET_BACKUP_DIR": str(tmp_path / "daily")},
        "backup",
        "--keep",
        "2",
    )
    assert made.returncode == 0, made.stderr
    left = sorted(p.name for p in (tmp_path / "daily").iterdir())
    assert left[0] == "loket-20000103-000000.tar.gz" and len(left) == 2
    assert backup.ARCHIVE_NAME.match(left[1]) and "retention: removed" in made.stdout
    assert restore.read_manifest(tmp_path / "daily" / left[1])["database"]["tables"]
