"""The database and stored documents are readable by Loket's own user only (0600)."""

import os
import stat
import subprocess
import sys

import pytest

from loket.applications.files import store_encrypted


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.mark.django_db
def test_a_stored_document_is_0600(settings):
    name = store_encrypted("modes", b"rahasia")
    assert mode(settings.MEDIA_ROOT / name) == 0o600
    assert mode((settings.MEDIA_ROOT / name).parent) == 0o700


def test_a_new_sqlite_database_and_the_demo_keys_are_0600(tmp_path):
    data = tmp_path / "data"
    env = {**os.environ, "LOKET_ENV": "demo", "LOKET_DATA_DIR": str(data)}
    env.pop("DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "-m", "loket", "migrate", "-v0"], env=env, check=True, timeout=300
    )
    assert mode(data) == 0o700
    assert mode(data / "loket.sqlite3") == 0o600
    assert mode(data / "secret_key") == 0o600
    assert mode(data / "encryption_key") == 0o600


def test_an_old_world_readable_database_is_closed_at_start(tmp_path):
    from types import SimpleNamespace

    from loket.core.apps import _restrict_data_files

    database = tmp_path / "loket.sqlite3"
    for path in (database, tmp_path / "loket.sqlite3-wal", tmp_path / "secret_key"):
        path.write_bytes(b"")
        path.chmod(0o644)
    settings = SimpleNamespace(
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(database)}},
        DATA_DIR=tmp_path,
    )
    _restrict_data_files(settings)
    assert mode(database) == mode(tmp_path / "loket.sqlite3-wal") == 0o600
    assert mode(tmp_path / "secret_key") == 0o600
