"""Settings, all from the environment.

Every default needs no server (SQLite, Celery's filesystem broker, mail written to files),
so a fresh clone runs with nothing configured. Production sets DATABASE_URL,
CELERY_BROKER_URL, EMAIL_* and turns DEBUG off, which makes SECRET_KEY and ALLOWED_HOSTS
mandatory. Bad values stop start-up with a message instead of being guessed around.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str | None = None) -> str | None:
    """Read NAME, or the contents of the file named by NAME_FILE (for secrets)."""
    file_var = os.environ.get(f"{name}_FILE")
    if file_var:
        try:
            return Path(file_var).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE={file_var!r} cannot be read: {exc}") from exc
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = env(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = env(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = env(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


VAR_DIR = Path(env("VAR_DIR", str(BASE_DIR / "var")) or BASE_DIR / "var")
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", True)

SECRET_KEY = env("SECRET_KEY") or ""
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
if not DEBUG:
    if not SECRET_KEY:
        raise ImproperlyConfigured(
            "DEBUG is off but SECRET_KEY is not set: set SECRET_KEY (or SECRET_KEY_FILE) to a long random value."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "DEBUG is off but ALLOWED_HOSTS is empty: set ALLOWED_HOSTS to the comma-separated "
            "host names the site is served under."
        )
else:
    # Development only: a fixed key so sessions survive restarts of `make run`.
    SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-do-not-use-in-production"
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["localhost", "127.0.0.1", "[::1]", "testserver"]

CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = (env("SITE_URL", "http://127.0.0.1:8000") or "").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "viewflow",
    "viewflow.workflow",
    "directory",
    "registers",
    "memos",
    "directives",
    "workflow",
    "documents",
    "notifications",
    "api",
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

ROOT_URLCONF = "config.urls"

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
                "notifications.context_processors.unread",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# --- Database -----------------------------------------------------------------------------
DATABASE_URL = env("DATABASE_URL")
if DATABASE_URL:
    try:
        DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    except Exception as exc:  # dj_database_url raises bare ValueErrors with poor messages
        raise ImproperlyConfigured(f"DATABASE_URL cannot be parsed: {exc}") from exc
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "db.sqlite3"),
            "OPTIONS": {
                # IMMEDIATE takes the write lock at BEGIN, so two writers queue on the busy
                # timeout instead of one failing with "database is locked" mid-transaction.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
            "TEST": {"NAME": str(VAR_DIR / "test.sqlite3")},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

# --- Language and time --------------------------------------------------------------------
LANGUAGE_CODE = "th"
LANGUAGES = [("th", _("Thai"))]
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

# --- Files --------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")) or VAR_DIR / "media")
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": env("STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage")},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Attachments (สิ่งที่ส่งมาด้วย): what offices actually exchange, and a ceiling that keeps
# a scanned annex possible while refusing a video by mistake.
ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024)
ATTACHMENT_EXTENSIONS = env_list(
    "ATTACHMENT_EXTENSIONS", ["pdf", "docx", "doc", "xlsx", "xls", "odt", "ods", "jpg", "jpeg", "png"]
)

# --- Documents ----------------------------------------------------------------------------
DOCUMENT_FONT_FAMILY = env("DOCUMENT_FONT_FAMILY", "TH SarabunPSK") or "TH SarabunPSK"
DOCUMENT_EMBLEM_PATH = env("DOCUMENT_EMBLEM_PATH", "") or ""
PREVIEW_FONT_FAMILY = env("PREVIEW_FONT_FAMILY", "Laksaman") or "Laksaman"
SOFFICE_BINARY = env("SOFFICE_BINARY", "soffice") or "soffice"

# --- Celery -------------------------------------------------------------------------------
BROKER_DIR = VAR_DIR / "broker"
CELERY_BROKER_URL = env("CELERY_BROKER_URL", "filesystem://") or "filesystem://"
if CELERY_BROKER_URL.startswith("filesystem://"):
    for sub in ("queue", "processed", "control"):
        (BROKER_DIR / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "store_processed": False,
        # Otherwise kombu writes its broadcast (pidbox) files into the current directory.
        "control_folder": str(BROKER_DIR / "control"),
    }
else:
    # Fail fast when the broker is down at commit time: the outbox sweep delivers later,
    # so a request must not hang for kombu's default retry schedule.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "max_retries": 1,
        "interval_start": 0,
        "interval_step": 0.2,
        # A broker host that does not answer at all must not hold a request for long either.
        "socket_connect_timeout": 2,
        "socket_timeout": 5,
    }
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_TIMEOUT = env_int("CELERY_BROKER_CONNECTION_TIMEOUT", 2)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {}

# --- Email --------------------------------------------------------------------------------
EMAIL_BACKEND = (
    env("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
    or "django.core.mail.backends.filebased.EmailBackend"
)
EMAIL_FILE_PATH = str(VAR_DIR / "mail")
EMAIL_HOST = env("EMAIL_HOST", "localhost") or "localhost"
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "") or ""
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "") or ""
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "saraban@localhost") or "saraban@localhost"
# Seconds between e-mail attempts (1, 5, 15 min, 1 h, 4 h); one failure more marks it failed.
NOTIFICATION_RETRY_DELAYS = env_list("NOTIFICATION_RETRY_DELAYS", ["60", "300", "900", "3600", "14400"])

# --- Reminders ----------------------------------------------------------------------------
# Public holidays (ISO dates, comma-separated in the environment) do not count as working
# days for review reminders. The cabinet announces each year's list, substitution days
# included, so it is configured rather than computed; the weekend is always excluded.
PUBLIC_HOLIDAYS = env_list("PUBLIC_HOLIDAYS", [])
for _day in PUBLIC_HOLIDAYS:
    try:
        date.fromisoformat(_day)
    except ValueError:
        raise ImproperlyConfigured(f"PUBLIC_HOLIDAYS must list ISO dates (YYYY-MM-DD), got {_day!r}") from None
# Working days a review task may wait before its holder is reminded, per urgency class:
# ด่วนที่สุด the same working day, ด่วนมาก 1, ด่วน 2, ปกติ 3. Environment form:
# REVIEW_REMINDER_DAYS="most_urgent:0,very_urgent:1,urgent:2,normal:3" (any subset).
REVIEW_REMINDER_DAYS = {"most_urgent": 0, "very_urgent": 1, "urgent": 2, "normal": 3}
for _item in env_list("REVIEW_REMINDER_DAYS", []):
    _name, _sep, _days = _item.partition(":")
    if _name.strip() not in REVIEW_REMINDER_DAYS or not _days.strip().isdigit():
        raise ImproperlyConfigured(
            f"REVIEW_REMINDER_DAYS items must be <class>:<days> with class one of "
            f"{', '.join(REVIEW_REMINDER_DAYS)}, got {_item!r}"
        )
    REVIEW_REMINDER_DAYS[_name.strip()] = int(_days)

# --- Viewflow -----------------------------------------------------------------------------
VIEWFLOW: dict[str, object] = {}

# --- REST API -----------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DATE_FORMAT": "iso-8601",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO") or "INFO"},
}
