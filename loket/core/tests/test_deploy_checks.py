"""`loket check --deploy` names everything production lacks, in Indonesian and English.

Each check passes on a complete production configuration and fails, alone, when its one
setting is taken away. The subprocess tests run the real command the docs tell people to run.
"""

import os
import secrets
import subprocess
import sys
import time

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.core.checks import run_checks

from loket.core.deploy import BACKUP_MAX_AGE_HOURS, backup_problems, deploy_problems

pytestmark = pytest.mark.filterwarnings("ignore")


def complete(tmp_path) -> tuple[dict, dict]:
    """Settings and environment of a production install with nothing missing."""
    backups = tmp_path / "backups"
    backups.mkdir(exist_ok=True)
    (backups / "loket-20261129-020000.tar.gz").write_bytes(b"archive")
    values = {name: getattr(settings, name) for name in ("MIDDLEWARE", "LOKET_CSP")} | {
        "LOKET_ENV": "production",
        "SECRET_KEY": "s" * 60,
        "LOKET_ENCRYPTION_KEYS": [Fernet.generate_key().decode()],
        "ALLOWED_HOSTS": ["loket.example.go.id"],
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "DEBUG": False,
        "LOKET_PUBLIC_URL": "https://loket.example.go.id",
        "WHATSAPP_APP_SECRET": "app-secret",
        "WHATSAPP_VERIFY_TOKEN": "verify",
        "WHATSAPP_ACCESS_TOKEN": "EAAG-token",
        "WHATSAPP_PHONE_NUMBER_ID": "123456789012345",
        "SIMULATOR_ENABLED": False,
    }
    environ = {"LOKET_METRICS_TOKEN": "m" * 32, "LOKET_BACKUP_DIR": str(backups)}
    return values, environ


def base_env(*dropped_prefixes: str) -> dict[str, str]:
    """This process's environment without what a session may have set for other tests (the
    browser tests' DJANGO_ALLOW_ASYNC_UNSAFE, itself a deploy error) or what the test sets."""
    dropped = ("DJANGO_ALLOW_ASYNC_UNSAFE", *dropped_prefixes)
    return {k: v for k, v in os.environ.items() if not k.startswith(dropped)}


def ids(problems) -> list[str]:
    return [p.id for p in problems]


def test_a_complete_production_configuration_has_no_problem(tmp_path):
    values, environ = complete(tmp_path)
    assert deploy_problems(values, environ) == []


BROKEN = [
    ("loket.E100", {"LOKET_ENV": "demo"}, {}),
    ("loket.E101", {"SECRET_KEY": ""}, {}),
    ("loket.E102", {"LOKET_ENCRYPTION_KEYS": []}, {}),
    ("loket.E102", {"LOKET_ENCRYPTION_KEYS": ["not-a-fernet-key"]}, {}),
    ("loket.E103", {"ALLOWED_HOSTS": ["*"]}, {}),
    ("loket.E103", {"ALLOWED_HOSTS": []}, {}),
    ("loket.E104", {"SECURE_SSL_REDIRECT": False}, {}),
    ("loket.E105", {"SECURE_HSTS_SECONDS": 3600}, {}),
    ("loket.E106", {"CSRF_COOKIE_SECURE": False}, {}),
    ("loket.E107", {"DEBUG": True}, {}),
    ("loket.E108", {"LOKET_CSP": "script-src 'self' 'unsafe-inline'"}, {}),
    ("loket.E110", {"LOKET_PUBLIC_URL": "http://loket.example.go.id"}, {}),
    ("loket.E111", {"WHATSAPP_APP_SECRET": ""}, {}),
    ("loket.E112", {"WHATSAPP_VERIFY_TOKEN": ""}, {}),
    ("loket.E113", {"WHATSAPP_ACCESS_TOKEN": ""}, {}),
    ("loket.E114", {"WHATSAPP_PHONE_NUMBER_ID": ""}, {}),
    ("loket.W116", {}, {"LOKET_METRICS_TOKEN": ""}),
    ("loket.W117", {}, {"LOKET_BACKUP_DIR": ""}),
]


@pytest.mark.parametrize(("check_id", "values", "environ"), BROKEN)
def test_each_missing_piece_is_named_alone(tmp_path, check_id, values, environ):
    good_values, good_environ = complete(tmp_path)
    problems = deploy_problems(good_values | values, good_environ | environ)
    assert ids(problems) == [check_id]
    text = str(problems[0])
    indonesian, english = text.split(" — ")
    assert indonesian and english and indonesian != english


def test_the_size_limit_middleware_must_be_on(tmp_path):
    values, environ = complete(tmp_path)
    values["MIDDLEWARE"] = [m for m in values["MIDDLEWARE"] if "RequestSizeLimit" not in m]
    assert ids(deploy_problems(values, environ)) == ["loket.E109"]


def test_the_simulator_counts_as_missing_meta(tmp_path):
    values, environ = complete(tmp_path)
    problems = deploy_problems(values | {"SIMULATOR_ENABLED": True}, environ)
    # the simulator fills Meta's settings with its own values: none of them counts
    assert ids(problems) == ["loket.E111", "loket.E112", "loket.E113", "loket.E114", "loket.E115"]


def test_a_backup_older_than_a_day_and_two_hours_is_not_recent(tmp_path):
    values, environ = complete(tmp_path)
    backup = tmp_path / "backups" / "loket-20261129-020000.tar.gz"
    now = backup.stat().st_mtime
    assert backup_problems(values, environ, now=now + (BACKUP_MAX_AGE_HOURS - 1) * 3600) == []
    stale = backup_problems(values, environ, now=now + (BACKUP_MAX_AGE_HOURS + 1) * 3600)
    assert ids(stale) == ["loket.W118"]
    assert "loket-20261129-020000.tar.gz" in str(stale[0])
    # a newer backup makes it recent again; other files in the directory do not count
    (tmp_path / "backups" / "notes.txt").write_text("not a backup")
    newer = tmp_path / "backups" / "loket-20261130-020000.tar.gz"
    newer.write_bytes(b"archive")
    later = now + (BACKUP_MAX_AGE_HOURS + 1) * 3600
    os.utime(newer, (later - 60, later - 60))
    assert backup_problems(values, environ, now=later) == []


def test_an_empty_or_missing_backup_directory_is_named(tmp_path):
    values, environ = complete(tmp_path)
    empty = tmp_path / "empty"
    empty.mkdir()
    assert ids(backup_problems(values, environ | {"LOKET_BACKUP_DIR": str(empty)})) == [
        "loket.W118"
    ]
    gone = str(tmp_path / "nowhere")
    assert ids(backup_problems(values, environ | {"LOKET_BACKUP_DIR": gone})) == ["loket.W118"]


def test_the_checks_are_registered_for_deploy_only(db, settings):
    settings.SIMULATOR_ENABLED = True
    normal = {e.id for e in run_checks()}
    deploy = {e.id for e in run_checks(include_deployment_checks=True)}
    assert not any(i.startswith("loket.E1") or i.startswith("loket.W1") for i in normal)
    assert {"loket.E100", "loket.E115", "loket.W121"} <= deploy


def test_every_office_needs_its_phone_number_id(db):
    from loket.catalog.checks import offices_have_numbers
    from loket.catalog.models import Office

    assert ids(offices_have_numbers(None)) == ["loket.W121"]
    Office.objects.create(name="Kota Balikpapan", slug="bpn", region_code="64.71", city_name="Bpn")
    Office.objects.create(
        name="Kota Samarinda",
        slug="smd",
        region_code="64.72",
        city_name="Samarinda",
        phone_number_id="200000000000002",
    )
    problems = offices_have_numbers(None)
    assert ids(problems) == ["loket.W119"]
    assert "Kota Balikpapan" in problems[0].msg and "Samarinda" not in problems[0].msg
    Office.objects.filter(slug="bpn").update(phone_number_id="200000000000001")
    assert offices_have_numbers(None) == []


def _check_deploy(env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "loket", "check", "--deploy"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_on_an_empty_production_env_lists_everything_in_both_languages(tmp_path):
    env = base_env("WHATSAPP_", "LOKET_", "SECRET_", "ALLOWED_", "DATABASE_")
    env |= {"LOKET_ENV": "production", "LOKET_DATA_DIR": str(tmp_path)}
    result = _check_deploy(env)
    assert result.returncode == 1
    for expected in (
        "(loket.E101) SECRET_KEY belum diisi",
        "SECRET_KEY must be set",
        "(loket.E102) LOKET_ENCRYPTION_KEY belum diisi",
        "(loket.E103) ALLOWED_HOSTS harus menyebut",
        "(loket.E110) LOKET_PUBLIC_URL harus alamat https://",
        "(loket.E111) WHATSAPP_APP_SECRET belum diisi",
        "(loket.E112) WHATSAPP_VERIFY_TOKEN",
        "(loket.E113) WHATSAPP_ACCESS_TOKEN",
        "(loket.E114) WHATSAPP_PHONE_NUMBER_ID",
        "(loket.W116) LOKET_METRICS_TOKEN belum diisi",
        "LOKET_BACKUP_DIR",
        "offices cannot be read",  # no migrate yet: said, not a crash
    ):
        assert expected in result.stderr, expected
    # any other command still refuses to start, with the same list
    other = subprocess.run(
        [sys.executable, "-m", "loket", "check"], env=env, capture_output=True, text=True
    )
    assert other.returncode != 0
    assert "Loket menolak berjalan di produksi — Loket refuses to start in production" in (
        other.stderr
    )


def test_check_deploy_passes_on_a_complete_install(tmp_path):
    backups = tmp_path / "backups"
    backups.mkdir()
    fresh = backups / time.strftime("loket-%Y%m%d-%H%M%S.tar.gz")
    fresh.write_bytes(b"archive")
    env = {
        **base_env("WHATSAPP_", "LOKET_"),
        "LOKET_ENV": "production",
        "LOKET_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'loket.sqlite3'}",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "LOKET_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "LOKET_PUBLIC_URL": "https://loket.example.go.id",
        "ALLOWED_HOSTS": "loket.example.go.id",
        "WHATSAPP_APP_SECRET": "app-secret",
        "WHATSAPP_VERIFY_TOKEN": "verify",
        "WHATSAPP_ACCESS_TOKEN": "EAAG-token",
        "WHATSAPP_PHONE_NUMBER_ID": "123456789012345",
        "LOKET_METRICS_TOKEN": "m" * 32,
        "LOKET_BACKUP_DIR": str(backups),
    }
    for name in ("SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SESSION_COOKIE_SECURE", "DEBUG"):
        env.pop(name, None)
    migrate = subprocess.run(
        [sys.executable, "-m", "loket", "migrate", "-v", "0"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert migrate.returncode == 0, migrate.stderr
    code = (
        "from loket.catalog.models import Office\n"
        "Office.objects.create(name='Kota Balikpapan', slug='bpn', region_code='64.71',"
        " city_name='Balikpapan', phone_number_id='123456789012345')"
    )
    subprocess.run(
        [sys.executable, "-m", "loket", "shell", "-c", code], env=env, check=True, timeout=120
    )
    result = subprocess.run(
        [sys.executable, "-m", "loket", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "loket." not in result.stderr + result.stdout


def test_generate_key_needs_no_settings_and_writes_nothing(tmp_path):
    env = base_env("LOKET_")
    run = [sys.executable, "-m", "loket", "generate-key"]
    fernet = subprocess.run(run, env=env, cwd=tmp_path, capture_output=True, text=True, check=True)
    Fernet(fernet.stdout.strip().encode())  # a valid LOKET_ENCRYPTION_KEY
    secret = subprocess.run(
        [*run, "--secret-key"], env=env, cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert len(secret.stdout.strip()) >= 50 and len(set(secret.stdout.strip())) >= 5
    assert list(tmp_path.iterdir()) == []  # no ./var with demo secrets where it was run
