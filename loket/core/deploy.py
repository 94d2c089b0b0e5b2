"""What production must have: one list of problems, each in Indonesian and English.

Two users, one source:
- settings.py refuses to start with LOKET_ENV=production when a *security* problem is found
  (`production_problems`, checked on the final settings at import; no Django import here);
- `loket check --deploy` reports *everything* missing for production (`deploy_problems`: the
  security problems plus Meta's settings, metrics and backups) as system checks with stable ids
  (loket/core/checks.py; the office's phone number id is checked by the catalog app).

Each problem reads "Indonesian — English", so the IT person sees both whatever their language.
"""

import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CSP_MIDDLEWARE = "loket.core.middleware.ContentSecurityPolicyMiddleware"
SIZE_MIDDLEWARE = "loket.core.middleware.RequestSizeLimitMiddleware"
# A daily backup (deploy/systemd/loket-backup.timer) plus two hours of slack.
BACKUP_MAX_AGE_HOURS = 26
BACKUP_PATTERN = "loket-*.tar.gz"


@dataclass(frozen=True)
class Problem:
    id: str  # the system check id, stable: docs and scripts may name it
    indonesian: str
    english: str
    error: bool = True  # False: a warning (`loket check --deploy --fail-level WARNING` fails)

    def __str__(self) -> str:
        return f"{self.indonesian} — {self.english}"


def production_problems(s: dict[str, Any]) -> list[Problem]:
    """Security problems: with any of these, LOKET_ENV=production refuses to start."""
    problems = []
    if not s.get("SECRET_KEY"):
        problems.append(
            Problem(
                "loket.E101",
                "SECRET_KEY belum diisi (buat dengan: loket generate-key)",
                "SECRET_KEY must be set when LOKET_ENV=production (make one with: "
                "loket generate-key)",
            )
        )
    keys = s.get("LOKET_ENCRYPTION_KEYS") or []
    if not keys:
        problems.append(
            Problem(
                "loket.E102",
                "LOKET_ENCRYPTION_KEY belum diisi: data pribadi tidak bisa dienkripsi "
                "(buat dengan: loket generate-key)",
                "LOKET_ENCRYPTION_KEY must be set when LOKET_ENV=production (make one with: "
                "loket generate-key)",
            )
        )
    elif not all(_is_fernet_key(k) for k in keys):
        problems.append(
            Problem(
                "loket.E102",
                "LOKET_ENCRYPTION_KEY tidak sah: setiap kunci harus keluaran loket generate-key",
                "LOKET_ENCRYPTION_KEY is not valid: each key must come from loket generate-key",
            )
        )
    hosts = s.get("ALLOWED_HOSTS") or []
    if not hosts or "*" in hosts:
        problems.append(
            Problem(
                "loket.E103",
                "ALLOWED_HOSTS harus menyebut nama situs (mis. loket.disdukcapil.go.id), bukan '*'",
                "ALLOWED_HOSTS must name the site's hosts (e.g. loket.disdukcapil.go.id), not '*'",
            )
        )
    if not s.get("SECURE_SSL_REDIRECT"):
        problems.append(
            Problem(
                "loket.E104",
                "SECURE_SSL_REDIRECT harus hidup: data warga hanya lewat HTTPS",
                "SECURE_SSL_REDIRECT must be on: citizens' data only over HTTPS",
            )
        )
    if (s.get("SECURE_HSTS_SECONDS") or 0) < 86400:
        problems.append(
            Problem(
                "loket.E105",
                "SECURE_HSTS_SECONDS minimal 86400 (satu hari; bawaan satu tahun)",
                "SECURE_HSTS_SECONDS must be at least 86400 (one day; default one year)",
            )
        )
    if not s.get("SESSION_COOKIE_SECURE") or not s.get("CSRF_COOKIE_SECURE"):
        problems.append(
            Problem(
                "loket.E106",
                "SESSION_COOKIE_SECURE dan CSRF_COOKIE_SECURE harus hidup",
                "SESSION_COOKIE_SECURE and CSRF_COOKIE_SECURE must be on",
            )
        )
    if s.get("DEBUG"):
        problems.append(
            Problem("loket.E107", "DEBUG harus mati", "DEBUG must be off"),
        )
    middleware = s.get("MIDDLEWARE") or []
    if CSP_MIDDLEWARE not in middleware or "'unsafe-inline'" in _script_src(s.get("LOKET_CSP")):
        problems.append(
            Problem(
                "loket.E108",
                "Content-Security-Policy harus hidup, tanpa skrip inline",
                "the Content-Security-Policy must be on, with no inline scripts",
            )
        )
    if SIZE_MIDDLEWARE not in middleware:
        problems.append(
            Problem(
                "loket.E109",
                "batas ukuran kiriman harus hidup",
                "the request size limit must be on",
            )
        )
    if not str(s.get("LOKET_PUBLIC_URL", "")).startswith("https://"):
        problems.append(
            Problem(
                "loket.E110",
                "LOKET_PUBLIC_URL harus alamat https:// (tautan yang dikirim ke warga)",
                "LOKET_PUBLIC_URL must be an https:// address",
            )
        )
    return problems


def deploy_problems(s: dict[str, Any], environ: dict[str, str] | None = None) -> list[Problem]:
    """Everything missing for production: what `loket check --deploy` reports."""
    environ = dict(os.environ if environ is None else environ)
    problems = []
    if s.get("LOKET_ENV") != "production":
        problems.append(
            Problem(
                "loket.E100",
                "LOKET_ENV belum production: kunci demo dan simulator yang dipakai",
                "LOKET_ENV is not production: demo keys and the simulator are in use",
            )
        )
    problems += production_problems(s)
    problems += _whatsapp_problems(s)
    if s.get("SIMULATOR_ENABLED"):
        problems.append(
            Problem(
                "loket.E115",
                "simulator WhatsApp masih hidup: pesan warga tidak sampai ke Meta",
                "the WhatsApp simulator is on: messages never reach Meta",
            )
        )
    if not _setting_or_env(s, environ, "LOKET_METRICS_TOKEN"):
        problems.append(
            Problem(
                "loket.W116",
                "LOKET_METRICS_TOKEN belum diisi: /metrics tertutup untuk Prometheus",
                "LOKET_METRICS_TOKEN is not set: /metrics is closed to Prometheus",
                error=False,
            )
        )
    problems += backup_problems(s, environ)
    return problems


def backup_problems(
    s: dict[str, Any], environ: dict[str, str], now: float | None = None
) -> list[Problem]:
    """LOKET_BACKUP_DIR is set and holds a backup younger than BACKUP_MAX_AGE_HOURS."""
    directory = _setting_or_env(s, environ, "LOKET_BACKUP_DIR")
    if not directory:
        return [
            Problem(
                "loket.W117",
                "LOKET_BACKUP_DIR belum diisi: tidak ada cadangan harian",
                "LOKET_BACKUP_DIR is not set: no daily backups",
                error=False,
            )
        ]
    newest = newest_backup(Path(directory))
    now = time.time() if now is None else now
    if newest is None or now - newest.stat().st_mtime > BACKUP_MAX_AGE_HOURS * 3600:
        seen = f" (terakhir/last: {newest.name})" if newest else ""
        return [
            Problem(
                "loket.W118",
                f"tidak ada cadangan dalam {BACKUP_MAX_AGE_HOURS} jam terakhir di {directory}"
                f"{seen}: periksa loket-backup.timer",
                f"no backup younger than {BACKUP_MAX_AGE_HOURS} hours in {directory}: check "
                "loket-backup.timer",
                error=False,
            )
        ]
    return []


def newest_backup(directory: Path) -> Path | None:
    try:
        files = [p for p in directory.glob(BACKUP_PATTERN) if p.is_file()]
    except OSError:
        return None
    return max(files, key=lambda p: p.stat().st_mtime, default=None)


def _whatsapp_problems(s: dict[str, Any]) -> list[Problem]:
    simulated = s.get("SIMULATOR_ENABLED")
    wanted = [
        ("loket.E111", "WHATSAPP_APP_SECRET", "App Secret", "webhook tidak bisa diverifikasi",
         "incoming webhooks cannot be verified"),
        ("loket.E112", "WHATSAPP_VERIFY_TOKEN", "verify token", "Meta tidak bisa memasang webhook",
         "Meta cannot verify the webhook URL"),
        ("loket.E113", "WHATSAPP_ACCESS_TOKEN", "access token", "balasan tidak bisa dikirim",
         "replies cannot be sent"),
        ("loket.E114", "WHATSAPP_PHONE_NUMBER_ID", "phone number id",
         "nomor kantor tidak dikenal", "the office's number is unknown"),
    ]  # fmt: skip
    problems = []
    for check_id, name, _what, why_id, why_en in wanted:
        if simulated or not s.get(name):
            problems.append(
                Problem(
                    check_id,
                    f"{name} belum diisi (dari Meta): {why_id}",
                    f"{name} is not set (from Meta): {why_en}",
                )
            )
    return problems


def _setting_or_env(s: dict[str, Any], environ: dict[str, str], name: str) -> str:
    return str(s.get(name) or environ.get(name, "")).strip()


def _is_fernet_key(key: str) -> bool:
    from cryptography.fernet import Fernet

    try:
        Fernet(key.encode())
    except (ValueError, TypeError):
        return False
    return True


def _script_src(policy: str | None) -> str:
    for part in (policy or "").split(";"):
        if part.strip().startswith("script-src"):
            return part
    return "'unsafe-inline'"  # no script-src at all: as open as inline
