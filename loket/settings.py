"""Loket's settings: everything comes from the environment, through a few strict helpers.

Embedded default (no variables set): SQLite under LOKET_DATA_DIR, the database task queue and
the built-in WhatsApp simulator. Production: set LOKET_ENV=production and the variables that
`loket check --deploy` asks for.
"""

import ipaddress
import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool = False) -> bool:
    value = env_str(name)
    if not value:
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = env_str(name)
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


LOKET_ENV = env_str("LOKET_ENV", "demo")
if LOKET_ENV not in ("demo", "production", "test"):
    raise ImproperlyConfigured("LOKET_ENV must be demo, production or test")
PRODUCTION = LOKET_ENV == "production"

# Everything Loket writes (database, documents, keys, temporary uploads) is for its own user
# only: files 0600, directories 0700.
os.umask(0o077)
DATA_DIR = Path(env_str("LOKET_DATA_DIR", "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True, mode=0o700)


def _demo_secret(filename: str, factory) -> str:
    """A secret generated once and kept in LOKET_DATA_DIR: for the demo only."""
    path = DATA_DIR / filename
    if not path.exists():
        path.write_text(factory())
        path.chmod(0o600)
    return path.read_text().strip()


# Production without its keys is refused at the end of this file, with every other problem.
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY and not PRODUCTION:
    SECRET_KEY = _demo_secret("secret_key", lambda: secrets.token_urlsafe(50))

# Key for personal data at rest (NIK, KK, documents): a Fernet key (urlsafe base64, 32 bytes).
# Several keys separated by commas rotate: the first encrypts, all decrypt.
LOKET_ENCRYPTION_KEYS = [k.strip() for k in env_str("LOKET_ENCRYPTION_KEY").split(",") if k]
if not LOKET_ENCRYPTION_KEYS and not PRODUCTION:
    from cryptography.fernet import Fernet

    LOKET_ENCRYPTION_KEYS = [_demo_secret("encryption_key", lambda: Fernet.generate_key().decode())]

DEBUG = env_bool("DEBUG", False)
# Production names its hosts; the demo and tests answer any (see the production checks below).
ALLOWED_HOSTS = [
    h.strip() for h in env_str("ALLOWED_HOSTS", "" if PRODUCTION else "*").split(",") if h.strip()
]
LOKET_PUBLIC_URL = env_str(
    "LOKET_PUBLIC_URL", f"http://127.0.0.1:{env_str('PORT', '8000')}"
).rstrip("/")
CSRF_TRUSTED_ORIGINS = [LOKET_PUBLIC_URL]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "loket.core",
    "loket.catalog",
    "loket.staff",
    "loket.whatsapp",
    "loket.nlu",
    "loket.bot",
    "loket.inbox",
    "loket.broadcasts",
    "loket.roster",
    "loket.applications",
    "loket.doccheck",
    "loket.appointments",
    "loket.simulator",
    "loket.reports",
    "loket.ops",
]

MIDDLEWARE = [
    "loket.core.metrics.WebhookMetricsMiddleware",  # webhook results for /metrics
    "loket.core.middleware.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "loket.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "loket.core.locale.LanguageMiddleware",  # Indonesian; a citizen's chat choice on their links
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "loket.staff.security.StaffSessionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "loket.core.middleware.PersonalPagesMiddleware",  # no-store on personal and staff pages
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "loket.urls"
WSGI_APPLICATION = "loket.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "loket.staff.context_processors.staff_nav",
            ],
        },
    },
    {  # plain-text messages (WhatsApp): no HTML escaping
        "NAME": "text",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {"autoescape": False},
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'loket.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"
        ),
    }
    # Tests use a file, not shared-cache memory: the live server's threads then wait for a lock
    # (WAL, busy timeout) instead of failing at once with "database table is locked".
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
if LOKET_ENV == "test":  # hashing test personas' passwords need not be slow
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "/staf/masuk/"
LOGIN_REDIRECT_URL = "/staf/"

# Staff sign-in (loket/staff/security.py, docs/security.md): throttled by django-axes, a TOTP
# second factor by django-otp, sessions that end after a working day or when idle.
AUTHENTICATION_BACKENDS = [
    "loket.staff.security.ThrottledBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("LOKET_LOGIN_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOKET_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # either one reaching the limit locks
AXES_CLIENT_IP_CALLABLE = "loket.core.clientip.client_ip"
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
LOKET_OTP_REQUIRED_ROLES = [
    r for r in env_str("LOKET_OTP_REQUIRED_ROLES", "admin,kepala").split(",") if r.strip()
]
OTP_TOTP_ISSUER = env_str("LOKET_OTP_ISSUER", "Loket Disdukcapil")
SESSION_COOKIE_AGE = env_int("LOKET_SESSION_MAX_AGE_SECONDS", 10 * 3600)
LOKET_SESSION_IDLE_SECONDS = env_int("LOKET_SESSION_IDLE_SECONDS", 30 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# who chose which language in the chat (the bot owns it); citizen pages follow it
LOKET_CONTACT_LANGUAGE = "loket.bot.language.contact_language"
TIME_ZONE = env_str("TIME_ZONE", "Asia/Makassar")  # WITA, Balikpapan
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": DATA_DIR / "private"},
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
MEDIA_ROOT = DATA_DIR / "private"  # never served by the web server: documents go through views

# Limits checked before anything is parsed (see docs/security.md).
LOKET_MAX_REQUEST_BYTES = env_int("LOKET_MAX_REQUEST_BYTES", 64 * 1024 * 1024)
LOKET_MAX_IMAGE_PIXELS = env_int("LOKET_MAX_IMAGE_PIXELS", 40_000_000)
# The automatic check of a document photo (docs/applications.md): seconds the worker may spend.
LOKET_DOCCHECK_SECONDS = env_int("LOKET_DOCCHECK_SECONDS", 20)
# Scripts only from our static files or with the request's nonce; styles may be inline (the
# templates carry small <style> blocks). "frame-ancestors 'none'": no page of Loket in a frame.
LOKET_CSP = (
    "default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # form fields (files excepted): Django's 2.5 MB
DATA_UPLOAD_MAX_NUMBER_FIELDS = 500
DATA_UPLOAD_MAX_NUMBER_FILES = 20
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

# Reverse proxies whose X-Forwarded-For is believed (addresses or networks, comma separated).
LOKET_TRUSTED_PROXIES = [p for p in env_str("LOKET_TRUSTED_PROXIES").split(",") if p.strip()]
for _proxy in LOKET_TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy.strip(), strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"LOKET_TRUSTED_PROXIES: {_proxy!r} is not an IP address or network"
        ) from None

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [
        r"^healthz$",
        r"^ping$",
        r"^metrics$",
    ]  # the load balancer's plain-HTTP probe
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
# Loket usually lives on one subdomain of the regency's domain, whose other subdomains are not the
# office's to force onto HTTPS (nor to preload): Django's two reminders would only be noise in
# `loket check --deploy`, which must come out clean on a good install.
SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021"]

# --- WhatsApp Cloud API -------------------------------------------------------------------
WHATSAPP_APP_SECRET = env_str("WHATSAPP_APP_SECRET")
WHATSAPP_VERIFY_TOKEN = env_str("WHATSAPP_VERIFY_TOKEN")
WHATSAPP_ACCESS_TOKEN = env_str("WHATSAPP_ACCESS_TOKEN")
WHATSAPP_PHONE_NUMBER_ID = env_str("WHATSAPP_PHONE_NUMBER_ID")
# The WhatsApp Business Account (WABA) of the number: templates are listed and created there.
WHATSAPP_BUSINESS_ACCOUNT_ID = env_str("WHATSAPP_BUSINESS_ACCOUNT_ID")
# Account-level webhook changes (same endpoint, same signature) and who applies them.
WHATSAPP_ACCOUNT_CHANGE_HANDLERS = {
    "phone_number_quality_update": "loket.whatsapp.account.number_quality_update",
    "message_template_status_update": "loket.broadcasts.metasync.template_status_update",
    "message_template_quality_update": "loket.broadcasts.metasync.template_quality_update",
}
WHATSAPP_API_VERSION = env_str("WHATSAPP_API_VERSION", "v23.0")
WHATSAPP_TIMEOUT_SECONDS = float(env_str("WHATSAPP_TIMEOUT_SECONDS", "10"))
WHATSAPP_MAX_ATTEMPTS = env_int("WHATSAPP_MAX_ATTEMPTS", 8)
# Who gets each stored inbound message: the channel knows no bot, only this dotted path.
# Per-contact rate limit: past N messages in the window, one polite notice then silence.
WHATSAPP_RATE_LIMIT_MESSAGES = env_int("WHATSAPP_RATE_LIMIT_MESSAGES", 20)
WHATSAPP_RATE_LIMIT_WINDOW_SECONDS = env_int("WHATSAPP_RATE_LIMIT_WINDOW_SECONDS", 60)
WHATSAPP_RATE_LIMIT_MUTE_SECONDS = env_int("WHATSAPP_RATE_LIMIT_MUTE_SECONDS", 600)
# A send whose worker died between claiming and recording it is retried after this long.
WHATSAPP_SENDING_STALE_SECONDS = env_int("WHATSAPP_SENDING_STALE_SECONDS", 120)
WHATSAPP_INBOUND_HANDLER = env_str("WHATSAPP_INBOUND_HANDLER", "loket.bot.conversation.handle")
# Entered around each batch a worker answers: the handler's reads of catalog and policy are
# made once per batch instead of once per message (loket/core/memo.py).
WHATSAPP_INBOUND_BATCH_CONTEXT = "loket.bot.conversation.answering"

# The simulator: on only for the embedded default, never with a real token or in production.
SIMULATOR_ENABLED = (
    not PRODUCTION and not WHATSAPP_ACCESS_TOKEN and env_bool("LOKET_SIMULATOR", True)
)
SIMULATOR_PHONE_NUMBER_ID = "100000000000001"
SIMULATOR_DISPLAY_NUMBER = "+62 542 000 0001"
if SIMULATOR_ENABLED:
    WHATSAPP_APP_SECRET = WHATSAPP_APP_SECRET or _demo_secret(
        "simulator_app_secret", lambda: secrets.token_hex(16)
    )
    WHATSAPP_VERIFY_TOKEN = WHATSAPP_VERIFY_TOKEN or "loket-simulator"
    WHATSAPP_ACCESS_TOKEN = "simulator-token"
    WHATSAPP_GRAPH_URL = env_str("WHATSAPP_GRAPH_URL", f"{LOKET_PUBLIC_URL}/simulator/graph")
    WHATSAPP_PHONE_NUMBER_ID = WHATSAPP_PHONE_NUMBER_ID or SIMULATOR_PHONE_NUMBER_ID
else:
    WHATSAPP_GRAPH_URL = env_str("WHATSAPP_GRAPH_URL", "https://graph.facebook.com")
WHATSAPP_GRAPH_URL = WHATSAPP_GRAPH_URL.rstrip("/")

# Who sees what in the Django admin (staff of an office: their office only; see core.admin_scope)
LOKET_ADMIN_SCOPE = "loket.staff.access.admin_scope"

# --- Bot and links ---------------------------------------------------------------------------
LOKET_LINK_MAX_AGE_DAYS = env_int("LOKET_LINK_MAX_AGE_DAYS", 7)
# The bot asks back below the threshold or when the first two intents are closer than the
# margin (calibrated on held-out training lines: docs/nlu.md).
LOKET_NLU_THRESHOLD = float(env_str("LOKET_NLU_THRESHOLD", "0.6"))
LOKET_NLU_MARGIN = float(env_str("LOKET_NLU_MARGIN", "0.2"))
# Off: the TF-IDF model alone (0.2 ms instead of ~20 ms a message; see docs/nlu.md).
LOKET_NLU_EMBEDDINGS = env_bool("LOKET_NLU_EMBEDDINGS", True)
# Called by the bot before anything else, in order; one returning True has answered the message.
LOKET_BOT_PRE_HANDLERS = [
    "loket.broadcasts.hooks.pre_handle",  # opt-out ("berhenti") and "mau dapat info"
    "loket.inbox.media.pre_handle",  # citizens' photos and documents: fetched by the worker
    "loket.applications.revoke.pre_handle",  # "batal link": revokes the contact's personal links
]

# --- Appointments: what one WhatsApp number (one booking link) may book --------------------
LOKET_BOOKING_MAX_ACTIVE = env_int("LOKET_BOOKING_MAX_ACTIVE", 3)
LOKET_BOOKING_MAX_PER_DAY = env_int("LOKET_BOOKING_MAX_PER_DAY", 6)

# --- Broadcasts: the WhatsApp number's limits (see docs/broadcasts.md) ------------------------
LOKET_BROADCAST_RATE_PER_SECOND = env_int("LOKET_BROADCAST_RATE_PER_SECOND", 20)
LOKET_BROADCAST_MAX_IN_FLIGHT_SECONDS = env_int("LOKET_BROADCAST_MAX_IN_FLIGHT_SECONDS", 3)
LOKET_BROADCAST_DAILY_NEW_CONTACTS = env_int("LOKET_BROADCAST_DAILY_NEW_CONTACTS", 250)
# Finished documents go to the citizen as a WhatsApp document (media upload) while the 24-hour
# window is open; off: the link message only (see docs/whatsapp.md). Off by default with the
# simulator, whose Graph API has no media upload.
LOKET_WHATSAPP_DOCUMENTS = env_bool("LOKET_WHATSAPP_DOCUMENTS", not SIMULATOR_ENABLED)

# --- Task workers: leases (see docs/reliability.md) -------------------------------------------
LOKET_TASK_LEASE_SECONDS = env_int("LOKET_TASK_LEASE_SECONDS", 30)
LOKET_TASK_HEARTBEAT_SECONDS = max(0.2, LOKET_TASK_LEASE_SECONDS / 6)
LOKET_TASK_MAX_RUNS = env_int("LOKET_TASK_MAX_RUNS", 5)
# Workers sleep until woken (PostgreSQL LISTEN/NOTIFY, a local socket on SQLite) and poll this
# often anyway (delayed retries, a lost wake-up). See docs/reliability.md.
LOKET_WORKER_IDLE_SECONDS = env_int("LOKET_WORKER_IDLE_MS", 2000) / 1000
# The web server behind `loket web`/`loket serve`: "gunicorn" or "granian" (core/server.py).
LOKET_WEB_SERVER = env_str("LOKET_WEB_SERVER", "gunicorn")
if LOKET_WEB_SERVER not in ("gunicorn", "granian"):
    raise ImproperlyConfigured("LOKET_WEB_SERVER must be gunicorn or granian")
# Work a worker takes in batches before the task queue: inbound messages (the bot's replies).
LOKET_WORKER_PUMPS = ["loket.whatsapp.inbound.pump"]
# Run once when a worker starts, before it listens: the first citizen after a deploy must not
# wait for the NLU model to load (scikit-learn and the model: ~3 s).
LOKET_WORKER_WARMUP = [] if LOKET_ENV == "test" else ["loket.nlu.warm_up"]
WHATSAPP_INBOUND_BATCH = env_int("WHATSAPP_INBOUND_BATCH", 50)
WHATSAPP_INBOUND_BATCH_SQLITE = env_int("WHATSAPP_INBOUND_BATCH_SQLITE", 25)
# Under load a batch that follows a small one waits until this long after it started, so that
# messages are answered in batches (see whatsapp.inbound._gather); 0: never wait (the test
# suite's default: its tests answer a message at a time).
WHATSAPP_INBOUND_GATHER_SECONDS = (
    env_int("WHATSAPP_INBOUND_GATHER_MS", 0 if LOKET_ENV == "test" else 100) / 1000
)
# SQLite only: webhooks write verified bodies to DATA_DIR/inbound-spool and workers store them
# (loket/whatsapp/spool.py), so a webhook never waits for SQLite's one write lock. Off in the
# test suite by default (tests read what a webhook stored at once); its own tests turn it on.
WHATSAPP_INBOUND_SPOOL = env_bool("WHATSAPP_INBOUND_SPOOL", LOKET_ENV != "test")
WHATSAPP_INBOUND_SPOOL_DIR = Path(
    env_str("WHATSAPP_INBOUND_SPOOL_DIR") or DATA_DIR / "inbound-spool"
).resolve()
WHATSAPP_SEND_CONCURRENCY = env_int("WHATSAPP_SEND_CONCURRENCY", 8)

# Periodic work run by `loket worker` (dotted path, seconds between runs). No cron needed.
LOKET_PERIODIC_JOBS = [
    ("loket.core.leases.reclaim_orphans", max(1, LOKET_TASK_LEASE_SECONDS // 3)),
    ("loket.whatsapp.outbox.enqueue_due", 5),
    ("loket.whatsapp.inbound.enqueue_unprocessed", 30),
    ("loket.broadcasts.sending.send_due", 1),
    ("loket.inbox.media.enqueue_missing", 60),
    ("loket.doccheck.checks.enqueue_stale", 60),
    ("loket.roster.planning.lock_past_days", 3600),
    ("loket.appointments.jobs.sync_slots", 600),
    ("loket.appointments.jobs.send_reminders", 300),
    ("loket.appointments.jobs.expire", 60),
    ("loket.reports.summary.send_due", 300),
]
# The kepala's daily WhatsApp summary goes out at this local hour (0-23).
LOKET_REPORT_SUMMARY_HOUR = env_int("LOKET_REPORT_SUMMARY_HOUR", 16)

# --- Observability (docs/operations.md) -------------------------------------------------------
# GET /metrics (Prometheus) answers only `Authorization: Bearer <this token>`; unset: 404.
LOKET_METRICS_TOKEN = env_str("LOKET_METRICS_TOKEN")
# Each process adds its in-memory counts (webhook refusals, reply latency) to the database this
# often (0: never, the scraping process shows its own counts only: the tests' default).
LOKET_METRICS_FLUSH_SECONDS = env_int(
    "LOKET_METRICS_FLUSH_SECONDS", 0 if LOKET_ENV == "test" else 10
)
# /healthz: the task queue is "down" when its oldest due task waited longer than this.
LOKET_HEALTH_MAX_TASK_AGE_SECONDS = env_int("LOKET_HEALTH_MAX_TASK_AGE_SECONDS", 300)
# json: one JSON object per log line (for journald/Loki/ELK); default: readable text.
LOKET_LOG_FORMAT = env_str("LOKET_LOG_FORMAT", "text").lower()
if LOKET_LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured("LOKET_LOG_FORMAT must be text or json")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "loket.core.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOKET_LOG_FORMAT == "json" else "plain",
        }
    },
    "root": {
        "handlers": ["console"],
        "level": env_str("LOG_LEVEL", "WARNING" if LOKET_ENV == "test" else "INFO"),
    },
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Refuse to start insecure: one clear message listing everything to fix. `loket check --deploy`
# (loket/__main__.py sets the flag; no variable can) loads anyway and reports each problem with
# the rest of what production lacks (loket/core/checks.py).
if PRODUCTION:
    import loket
    from loket.core.deploy import production_problems

    _problems = production_problems(globals())
    if _problems and not getattr(loket, "DEPLOY_CHECK", False):
        raise ImproperlyConfigured(
            "Loket menolak berjalan di produksi — Loket refuses to start in production:\n- "
            + "\n- ".join(str(p) for p in _problems)
        )
