"""LOKET_ENV=production refuses to start insecure, with one message that lists what to fix."""

import os
import subprocess
import sys

from cryptography.fernet import Fernet

# Any command but `check --deploy` (which lists the problems instead: test_deploy_checks.py)
CHECK = [sys.executable, "-m", "loket", "check", "--fail-level", "ERROR"]


def production_env(tmp_path, **extra) -> dict:
    env = {
        **os.environ,
        "LOKET_ENV": "production",
        "LOKET_DATA_DIR": str(tmp_path),
        "SECRET_KEY": "k" * 60,
        "LOKET_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "LOKET_PUBLIC_URL": "https://loket.example.go.id",
        "ALLOWED_HOSTS": "loket.example.go.id",
    }
    for name in ("SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SESSION_COOKIE_SECURE", "DEBUG"):
        env.pop(name, None)
    env.update(extra)
    return env


def run(env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(CHECK, env=env, capture_output=True, text=True, timeout=120)


def test_production_without_hosts_refuses_to_start(tmp_path):
    env = production_env(tmp_path)
    env.pop("ALLOWED_HOSTS")
    result = run(env)
    assert result.returncode != 0
    assert "Loket refuses to start in production" in result.stderr
    assert "ALLOWED_HOSTS must name the site's hosts" in result.stderr
    assert "'*'" in result.stderr
    assert run(production_env(tmp_path, ALLOWED_HOSTS="*")).returncode != 0


def test_production_refuses_plain_http_weak_hsts_and_open_cookies(tmp_path):
    env = production_env(
        tmp_path,
        SECURE_SSL_REDIRECT="false",
        SECURE_HSTS_SECONDS="0",
        SESSION_COOKIE_SECURE="false",
        LOKET_PUBLIC_URL="http://loket.example.go.id",
    )
    result = run(env)
    assert result.returncode != 0
    for expected in (
        "SECURE_SSL_REDIRECT must be on",
        "SECURE_HSTS_SECONDS must be at least",
        "SESSION_COOKIE_SECURE and CSRF_COOKIE_SECURE must be on",
        "LOKET_PUBLIC_URL must be an https:// address",
    ):
        assert expected in result.stderr


def test_production_with_everything_set_starts_secure(tmp_path):
    code = (
        "from django.conf import settings as s\n"
        "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE,"
        " s.CSRF_COOKIE_SECURE, s.ALLOWED_HOSTS)"
    )
    result = subprocess.run(
        [sys.executable, "-m", "loket", "shell", "-c", code],
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == (
        "True 31536000 True True ['loket.example.go.id']"
    )


def test_the_deploy_rules_refuse_inline_scripts_in_the_policy():
    from django.conf import settings

    from loket.core.deploy import production_problems

    good = {name: getattr(settings, name) for name in ("MIDDLEWARE", "LOKET_CSP")} | {
        "ALLOWED_HOSTS": ["loket.example.go.id"],
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "LOKET_PUBLIC_URL": "https://loket.example.go.id",
    }
    good |= {"SECRET_KEY": "s" * 60, "LOKET_ENCRYPTION_KEYS": settings.LOKET_ENCRYPTION_KEYS}
    assert production_problems(good) == []
    loose = good | {"LOKET_CSP": "default-src 'self'; script-src 'self' 'unsafe-inline'"}
    (problem,) = production_problems(loose)
    assert problem.id == "loket.E108"
    assert str(problem).endswith("the Content-Security-Policy must be on, with no inline scripts")


def test_pages_carry_the_content_security_policy(client, db):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy
    assert "'unsafe-inline'" not in policy.split("script-src", 1)[1].split(";", 1)[0]
    assert "frame-ancestors 'none'" in policy
    assert response["X-Content-Type-Options"] == "nosniff"
