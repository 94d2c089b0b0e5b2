"""Loket's settings: everything comes from the environment, through a few strict helpers.

Embedded default (no variables set): SQLite under LOKET_DATA_DIR, the database task queue and
the built-in WhatsApp simulator. Production: set LOKET_ENV=production and the variables that
`loket check --deploy` asks for.
"""

import os
import secrets
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

DATA_DIR = Path(env_str("LOKET_DATA_DIR", "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _demo_secret(filename: str, factory) -> str:
    """A secret generated once and kept in LOKET_DATA_DIR: for the demo only."""
    path = DATA_DIR / filename
    if not path.exists():
        path.write_text(factory())
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when LOKET_ENV=production")
    SECRET_KEY = _demo_secret("secret_key", lambda: secrets.token_urlsafe(50))

# Key for personal data at rest (NIK, KK, documents): a Fernet key (urlsafe base64, 32 bytes).
# Several keys separated by commas rotate: the first encrypts, all decrypt.
LOKET_ENCRYPTION_KEYS = [k for k in env_str("LOKET_ENCRYPTION_KEY").split(",") if k]
if not LOKET_ENCRYPTION_KEYS:
    if PRODUCTION:
        raise ImproperlyConfigured(
            "LOKET_ENCRYPTION_KEY must be set when LOKET_ENV=production "
            "(make one with: loket generate-key)"
        )
    from cryptography.fernet import Fernet

    LOKET_ENCRYPTION_KEYS = [_demo_secret("encryption_key", lambda: Fernet.generate_key().decode())]

DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = [h for h in env_str("ALLOWED_HOSTS", "*").split(",") if h]
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
    "loket.appointments",
    "loket.simulator",
    "loket.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
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

if PRODUCTION:
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- WhatsApp Cloud API -------------------------------------------------------------------
WHATSAPP_APP_SECRET = env_str("WHATSAPP_APP_SECRET")
WHATSAPP_VERIFY_TOKEN = env_str("WHATSAPP_VERIFY_TOKEN")
WHATSAPP_ACCESS_TOKEN = env_str("WHATSAPP_ACCESS_TOKEN")
WHATSAPP_PHONE_NUMBER_ID = env_str("WHATSAPP_PHONE_NUMBER_ID")
WHATSAPP_API_VERSION = env_str("WHATSAPP_API_VERSION", "v23.0")
WHATSAPP_TIMEOUT_SECONDS = float(env_str("WHATSAPP_TIMEOUT_SECONDS", "10"))
WHATSAPP_MAX_ATTEMPTS = env_int("WHATSAPP_MAX_ATTEMPTS", 8)
# Who gets each stored inbound message: the channel knows no bot, only this dotted path.
WHATSAPP_INBOUND_HANDLER = env_str("WHATSAPP_INBOUND_HANDLER", "loket.bot.conversation.handle")

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

# --- Bot and links ---------------------------------------------------------------------------
LOKET_LINK_MAX_AGE_DAYS = env_int("LOKET_LINK_MAX_AGE_DAYS", 7)
LOKET_NLU_THRESHOLD = float(env_str("LOKET_NLU_THRESHOLD", "0.5"))
# Called by the bot before anything else, in order; one returning True has answered the message.
LOKET_BOT_PRE_HANDLERS = [
    "loket.broadcasts.hooks.pre_handle",  # opt-out ("berhenti") and "mau dapat info"
    "loket.inbox.media.pre_handle",  # citizens' photos and documents: fetched by the worker
]

# --- Broadcasts: the WhatsApp number's limits (see docs/broadcasts.md) ------------------------
LOKET_BROADCAST_RATE_PER_SECOND = env_int("LOKET_BROADCAST_RATE_PER_SECOND", 20)
LOKET_BROADCAST_MAX_IN_FLIGHT_SECONDS = env_int("LOKET_BROADCAST_MAX_IN_FLIGHT_SECONDS", 3)
LOKET_BROADCAST_DAILY_NEW_CONTACTS = env_int("LOKET_BROADCAST_DAILY_NEW_CONTACTS", 250)

# Periodic work run by `loket worker` (dotted path, seconds between runs). No cron needed.
LOKET_PERIODIC_JOBS = [
    ("loket.whatsapp.outbox.enqueue_due", 5),
    ("loket.whatsapp.inbound.enqueue_unprocessed", 30),
    ("loket.broadcasts.sending.send_due", 1),
    ("loket.inbox.media.enqueue_missing", 60),
    ("loket.roster.planning.lock_past_days", 3600),
    ("loket.appointments.jobs.sync_slots", 600),
    ("loket.appointments.jobs.send_reminders", 300),
    ("loket.appointments.jobs.expire", 60),
    ("loket.reports.summary.send_due", 300),
]
# The kepala's daily WhatsApp summary goes out at this local hour (0-23).
LOKET_REPORT_SUMMARY_HOUR = env_int("LOKET_REPORT_SUMMARY_HOUR", 16)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {
        "handlers": ["console"],
        "level": env_str("LOG_LEVEL", "WARNING" if LOKET_ENV == "test" else "INFO"),
    },
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
