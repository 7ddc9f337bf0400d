"""Settings, all from the environment.

Every default needs no server (SQLite, Celery's filesystem broker, mail written to files),
so a fresh clone runs with nothing configured. Production sets DATABASE_URL,
CELERY_BROKER_URL, EMAIL_* and turns DEBUG off, which makes SECRET_KEY and ALLOWED_HOSTS
mandatory. Bad values stop start-up with a message instead of being guessed around.
"""

from __future__ import annotations

import os
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from csp import constants as csp
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from django_guid.integrations import CeleryIntegration

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

# The key of the audit chains' HMAC (audit.chain). It lives outside the database, so that
# someone with SQL access alone cannot write a chain that verifies. Losing it makes every
# chain unverifiable; changing it needs a migration that re-seals them.
AUDIT_HMAC_KEY = env("AUDIT_HMAC_KEY") or ""
if not AUDIT_HMAC_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DEBUG is off but AUDIT_HMAC_KEY is not set: set AUDIT_HMAC_KEY (or AUDIT_HMAC_KEY_FILE) to a long "
            "random value kept outside the database, e.g. python -c 'import secrets; print(secrets.token_hex(32))'."
        )
    # Development only: derived from SECRET_KEY, so a fresh clone's chains verify.
    AUDIT_HMAC_KEY = "dev-only-audit-key:" + SECRET_KEY
elif len(AUDIT_HMAC_KEY) < 32 or AUDIT_HMAC_KEY == SECRET_KEY:
    raise ImproperlyConfigured("AUDIT_HMAC_KEY must be at least 32 characters and differ from SECRET_KEY.")

CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# Links in mail point here. Unset: the address `make run` serves on, following PORT.
SITE_URL = (env("SITE_URL", f"http://127.0.0.1:{env('PORT', '8000')}") or "").rstrip("/")
if not SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(f"SITE_URL must start with http:// or https://, got {SITE_URL!r}")

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
    "drf_spectacular_sidecar",  # Swagger UI and ReDoc as static files (no CDN)
    "csp",  # django-csp: its system checks and the nonce
    "viewflow",
    "viewflow.workflow",
    "pgtrigger",  # append-only event tables: UPDATE and DELETE refused in PostgreSQL
    "pghistory",  # history of directory changes (directory.models.history), PostgreSQL triggers
    "accounts.apps.AxesConfig",  # django-axes, with a Thai name in the admin
    "accounts",
    "directory",
    "ops",  # working-day calendar, health checks, request ids, backup and restore
    "django_guid",  # request ids in the logs, carried into Celery tasks (ops.logs)
    "health_check",  # its `manage.py health_check <url name>` probe (container HEALTHCHECK)
    "registers",
    "audit",
    "memos",
    "directives",
    "letters",
    "search",  # one search over memos, circulars and letters (search/)
    "workflow",
    "documents",
    "notifications",
    "api",
]

MIDDLEWARE = [
    # Outermost, so that every response carries it (a 400 for a bad Host, the https redirect).
    "accounts.middleware.PermissionsPolicyMiddleware",
    # The request id is set before anything below logs (ops.logs).
    "django_guid.middleware.guid_middleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every page (CONTENT_SECURITY_POLICY below; config/csp.py).
    "config.csp.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.SessionIdleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
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

# --- Authentication -----------------------------------------------------------------------
# django-axes checks every authenticate() call before the backends that verify credentials,
# so a sign-in method added later (OIDC, a second factor) is throttled the same way.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Messages come out in Thai from accounts/locale (Django's Thai catalogue lacks them).
PASSWORD_MIN_LENGTH = env_int("PASSWORD_MIN_LENGTH", 10)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "accounts.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

# Lockout after wrong passwords. A whole office usually reaches the server from one NAT
# address, so an address alone is never locked: LOGIN_FAILURE_LIMIT wrong passwords lock one
# user name from one address, and LOGIN_FAILURE_LIMIT_PER_USER from any number of addresses
# lock the user name everywhere (a guessing attack spread over many machines).
# accounts.lockout.TieredDatabaseHandler applies the two limits.
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_FAILURE_LIMIT_PER_USER = env_int("LOGIN_FAILURE_LIMIT_PER_USER", 20)
if AXES_FAILURE_LIMIT < 1 or LOGIN_FAILURE_LIMIT_PER_USER < AXES_FAILURE_LIMIT:
    raise ImproperlyConfigured(
        "LOGIN_FAILURE_LIMIT must be at least 1 and LOGIN_FAILURE_LIMIT_PER_USER at least "
        f"LOGIN_FAILURE_LIMIT, got {AXES_FAILURE_LIMIT} and {LOGIN_FAILURE_LIMIT_PER_USER}"
    )
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username"]
AXES_HANDLER = "accounts.lockout.TieredDatabaseHandler"
# Minutes a lockout lasts, counted from the failure that caused it; 0 keeps it until an
# administrator unlocks (admin: การพยายามเข้าสู่ระบบ, or `manage.py axes_reset_username`).
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 15)
if LOGIN_LOCKOUT_MINUTES < 0:
    raise ImproperlyConfigured(f"LOGIN_LOCKOUT_MINUTES must be 0 or more, got {LOGIN_LOCKOUT_MINUTES}")
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_LOCKOUT_MINUTES) if LOGIN_LOCKOUT_MINUTES else None
# Attempts refused during a lockout neither extend it nor count towards the per-user limit:
# otherwise one machine could turn its own lockout into a lockout of the user everywhere.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "accounts.client.client_ip"
AXES_USERNAME_CALLABLE = "accounts.client.client_username"
# accounts.LoginEvent is the record of sign-ins and sign-outs; axes keeps only the counters.
AXES_DISABLE_ACCESS_LOG = True
# Masked in axes' stored form data and logs (the password always is).
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "csrfmiddlewaretoken"]
# No start-up banner on every manage.py command (it would also misname the two limits).
AXES_VERBOSE = False
# Reverse proxies in front of the application that append to X-Forwarded-For (nginx with
# $proxy_add_x_forwarded_for counts as 1). 0: the client address is REMOTE_ADDR.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# Sessions end after SESSION_COOKIE_AGE seconds without a request (8 hours: one working
# day). accounts.middleware.SessionIdleMiddleware renews the expiry at most once every
# SESSION_REFRESH_SECONDS, instead of a database write on every request.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
SESSION_REFRESH_SECONDS = env_int("SESSION_REFRESH_SECONDS", 300)
if SESSION_COOKIE_AGE <= SESSION_REFRESH_SECONDS:
    raise ImproperlyConfigured(
        f"SESSION_COOKIE_AGE ({SESSION_COOKIE_AGE}) must be longer than SESSION_REFRESH_SECONDS "
        f"({SESSION_REFRESH_SECONDS})"
    )
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", False)

# --- HTTPS and browser policies -----------------------------------------------------------
# Served over https (SITE_URL says so): Secure cookies, HSTS and a redirect from http. Each
# can still be set on its own. Behind a reverse proxy that terminates TLS, set
# SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO,https" (and make the proxy overwrite that
# header), or the redirect loops.
HTTPS = SITE_URL.startswith("https://")
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", HTTPS)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", HTTPS)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", HTTPS)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 60 * 60 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", HTTPS)
# Only a flag in the header: nothing is submitted to the browsers' preload list, which takes
# registrable domains (example.go.th), never a host below one.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", HTTPS)
_proxy_header = env_list("SECURE_PROXY_SSL_HEADER", [])
if _proxy_header:
    if len(_proxy_header) != 2 or not _proxy_header[0].startswith("HTTP_"):
        raise ImproperlyConfigured(
            'SECURE_PROXY_SSL_HEADER must be "HTTP_<HEADER>,<value>", e.g. "HTTP_X_FORWARDED_PROTO,https", '
            f"got {env('SECURE_PROXY_SSL_HEADER')!r}"
        )
    SECURE_PROXY_SSL_HEADER = (_proxy_header[0], _proxy_header[1])
# Features the product never uses are switched off for every page (and anything injected).
PERMISSIONS_POLICY = (
    env(
        "PERMISSIONS_POLICY",
        "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()",
    )
    or ""
)

# Content Security Policy (django-csp): scripts and styles only from our own static files, so
# that text a user typed can never run or restyle a page even if it escaped the templates.
# No 'unsafe-inline' and no 'unsafe-eval': the templates carry no inline script, handler
# attribute (onclick=…), <style> block or style="…" attribute (static/js, static/css hold
# them; tests/test_csp.py scans for them). A per-response nonce admits the one <style> that
# is not ours to move, Turbo's progress bar, which reads it from <meta name="csp-nonce">
# (templates/viewflow/base.html). Images may be data: URLs (icons in viewflow's Material
# CSS). config/csp.py adds the hashes of viewflow's fixed style attributes on viewflow's own
# operator pages, and sends the PDF preview without a policy (Chrome's PDF viewer).
# CSP_REPORT_ONLY=1 sends the same policy as Content-Security-Policy-Report-Only (to try a
# change on a live site first); CSP_REPORT_URI names where browsers report.
# (No setting of ours is named CSP_*: django-csp takes any such name for a pre-4.0 setting.)
_csp_report_only = env_bool("CSP_REPORT_ONLY", False)
_csp_directives: dict[str, Any] = {
    "default-src": [csp.SELF],
    "script-src": [csp.SELF],
    "style-src": [csp.SELF, csp.NONCE],
    "img-src": [csp.SELF, "data:"],
    "font-src": [csp.SELF],
    "connect-src": [csp.SELF],
    "object-src": [csp.NONE],
    "base-uri": [csp.SELF],
    "form-action": [csp.SELF],
    "frame-ancestors": [csp.NONE],
}
if HTTPS:
    _csp_directives["upgrade-insecure-requests"] = True
if env("CSP_REPORT_URI"):
    _csp_directives["report-uri"] = [env("CSP_REPORT_URI")]
if _csp_report_only:
    CONTENT_SECURITY_POLICY: dict[str, Any] | None = None
    CONTENT_SECURITY_POLICY_REPORT_ONLY: dict[str, Any] | None = {"DIRECTIVES": _csp_directives}
else:
    CONTENT_SECURITY_POLICY = {"DIRECTIVES": _csp_directives}
    CONTENT_SECURITY_POLICY_REPORT_ONLY = None

# --- Language and time --------------------------------------------------------------------
LANGUAGE_CODE = "th"
LANGUAGES = [("th", _("Thai"))]
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

# --- Files --------------------------------------------------------------------------------
STATIC_URL = "/static/"
# `manage.py collectstatic` writes here; with DEBUG off whitenoise serves only what is here.
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")) or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")) or VAR_DIR / "media")
MEDIA_URL = "/media/"  # never routed: stored files leave only through access-checked views
# Behind nginx: the internal location that maps to MEDIA_ROOT (e.g. "/_protected/"); the
# views then answer with X-Accel-Redirect and nginx sends the bytes. Empty: Django streams.
FILES_X_ACCEL_PREFIX = env("FILES_X_ACCEL_PREFIX", "") or ""
STORAGES = {
    "default": {"BACKEND": env("STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage")},
    # Production: hashed names (cached for good by browsers) and pre-compressed files,
    # made by collectstatic. Development serves straight from the apps' folders instead.
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "config.staticfiles.StaticFilesStorage"
    },
}
# Attachments (สิ่งที่ส่งมาด้วย): what offices actually exchange, and a ceiling that keeps
# a scanned annex possible while refusing a video by mistake.
ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024)
ATTACHMENT_EXTENSIONS = env_list(
    "ATTACHMENT_EXTENSIONS", ["pdf", "docx", "doc", "xlsx", "xls", "odt", "ods", "jpg", "jpeg", "png"]
)

# Received letters (letters app): scans of paper letters and their enclosures, PDF/JPEG/PNG.
# Per file and per letter, stated on the booking form; OCR of the scans (ocrmypdf, Thai).
LETTER_FILE_MAX_BYTES = env_int("LETTER_FILE_MAX_BYTES", 20 * 1024 * 1024)
LETTER_TOTAL_MAX_BYTES = env_int("LETTER_TOTAL_MAX_BYTES", 50 * 1024 * 1024)
OCRMYPDF_BINARY = env("OCRMYPDF_BINARY", "ocrmypdf") or "ocrmypdf"
LETTER_OCR_TIMEOUT_SECONDS = env_int("LETTER_OCR_TIMEOUT_SECONDS", 600)

# --- e-CMS (letters/ecms: the government hub for letters between agencies) ------------------
# The hub's SOAP address ("" = the exchange is off: nothing is polled, sending says so in Thai).
ECMS_HUB_URL = env("ECMS_HUB_URL", "") or ""
ECMS_TIMEOUT = env_int("ECMS_TIMEOUT", 30)  # seconds, for connecting and for each read
# The largest file (main letter or one enclosure) taken from the hub, decoded.
ECMS_MAX_BYTES = env_int("ECMS_MAX_BYTES", ATTACHMENT_MAX_BYTES)
# ... and all of one letter's files together.
ECMS_MAX_LETTER_BYTES = env_int("ECMS_MAX_LETTER_BYTES", 3 * ECMS_MAX_BYTES)
ECMS_POLL_BATCH = env_int("ECMS_POLL_BATCH", 50)  # letters taken per poll at most
# Which unit receives letters sent to which of our organisation codes: "ORGCODE=unit-key,...".
ECMS_UNITS: dict[str, str] = {}
for _pair in env_list("ECMS_UNITS", []):
    _org, _sep, _unit = _pair.partition("=")
    if not (_sep and _org.strip() and _unit.strip()):
        raise ImproperlyConfigured(f"ECMS_UNITS must be ORGCODE=unit-key pairs separated by commas, got {_pair!r}")
    ECMS_UNITS[_org.strip()] = _unit.strip()

# --- Documents ----------------------------------------------------------------------------
DOCUMENT_FONT_FAMILY = env("DOCUMENT_FONT_FAMILY", "TH SarabunPSK") or "TH SarabunPSK"
DOCUMENT_EMBLEM_PATH = env("DOCUMENT_EMBLEM_PATH", "") or ""
PREVIEW_FONT_FAMILY = env("PREVIEW_FONT_FAMILY", "Laksaman") or "Laksaman"
SOFFICE_BINARY = env("SOFFICE_BINARY", "soffice") or "soffice"
# The layout pass that writes continuation markers ("/ข้อ ๒...") into each stored version
# (documents/continuation.py); line spacing and the emblem's distance from the top edge.
DOCUMENT_PAGE_MARKS = env_bool("DOCUMENT_PAGE_MARKS", True)
DOCUMENT_LINE_SPACING = float(env("DOCUMENT_LINE_SPACING", "0.9") or "0.9")
DOCUMENT_EMBLEM_TOP_CM = float(env("DOCUMENT_EMBLEM_TOP_CM", "1.5") or "1.5")
# The warm converter (documents/converter.py): its instances' ports on this host, how long a
# preview waits for a free one before one soffice converts it, and whether a worker starts
# the pool when none answers. UNOSERVER_PORTS=none: no warm converter, one soffice a preview.
UNOSERVER_PORTS = env("UNOSERVER_PORTS", "2003,2005") or "2003,2005"
UNOSERVER_WAIT_SECONDS = float(env("UNOSERVER_WAIT_SECONDS", "5") or "5")
UNOSERVER_START_WITH_WORKER = env_bool("UNOSERVER_START_WITH_WORKER", True)

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
        # kombu polls the folder, and sleeps this long whenever the worker's prefetch window
        # is full, not only when the queue is empty: at kombu's default of 1 s a worker of 2
        # processes cleared a burst at under 2 tasks/s (bench/b8_burst.py). A listing of
        # the folder ten times a second costs nothing noticeable when idle.
        "polling_interval": 0.1,
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
# One message per process at a time on a network broker, so that several workers share a
# burst fairly. The filesystem broker (one machine, one worker) takes a few more per
# process: each refill of the window waits for the next poll.
CELERY_WORKER_PREFETCH_MULTIPLIER = env_int(
    "CELERY_WORKER_PREFETCH_MULTIPLIER", 4 if CELERY_BROKER_URL.startswith("filesystem://") else 1
)
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
# The outboxes' other timings (outbox/engine.py validates them at start-up). Unset: the
# engine's defaults, a 60 s lease renewed during the work (longer for slow mail servers).
if env("DOCUMENT_RENDER_RETRY_DELAYS"):
    DOCUMENT_RENDER_RETRY_DELAYS = env_list("DOCUMENT_RENDER_RETRY_DELAYS", [])
if env("DOCUMENT_RENDER_LEASE_SECONDS"):
    DOCUMENT_RENDER_LEASE_SECONDS = env_int("DOCUMENT_RENDER_LEASE_SECONDS", 60)
# The continuation-marker step after a version is stored (documents/tasks.py): 30 s, 2 min,
# 10 min and a 300 s lease (one LibreOffice layout) unless set.
if env("DOCUMENT_MARK_RETRY_DELAYS"):
    DOCUMENT_MARK_RETRY_DELAYS = env_list("DOCUMENT_MARK_RETRY_DELAYS", [])
if env("DOCUMENT_MARK_LEASE_SECONDS"):
    DOCUMENT_MARK_LEASE_SECONDS = env_int("DOCUMENT_MARK_LEASE_SECONDS", 300)
if env("NOTIFICATION_SENDING_LEASE_SECONDS"):
    NOTIFICATION_SENDING_LEASE_SECONDS = env_int("NOTIFICATION_SENDING_LEASE_SECONDS", 60)

# --- Letters by e-mail (letters/mail) -----------------------------------------------------
# The mailboxes themselves are rows in the admin (กล่องจดหมายรับหนังสือ); each names the
# environment variable of the worker that holds its password: never in the database.
# A message larger than this stays unseen in the mailbox, listed in the admin.
MAIL_MESSAGE_MAX_BYTES = env_int("MAIL_MESSAGE_MAX_BYTES", 60 * 1024 * 1024)
# One attachment (default: the upload limit) and how many of one message are taken in; an
# attachment over a limit is left out and named in the item's remarks.
MAIL_ATTACHMENT_MAX_BYTES = env_int("MAIL_ATTACHMENT_MAX_BYTES", ATTACHMENT_MAX_BYTES)
MAIL_ATTACHMENT_MAX_COUNT = env_int("MAIL_ATTACHMENT_MAX_COUNT", 20)
MAIL_IMAP_TIMEOUT = env_int("MAIL_IMAP_TIMEOUT", 30)
# Messages taken from one mailbox per poll (a minute); the rest at the next polls.
MAIL_POLL_BATCH = env_int("MAIL_POLL_BATCH", 100)
# A PEM file of the certificate authorities trusted for IMAP over TLS (an office's own CA).
MAIL_IMAP_CA_FILE = env("MAIL_IMAP_CA_FILE", "") or ""
# Seconds between attempts of a reply that tells a sender its เลขรับ.
MAIL_REPLY_RETRY_DELAYS = env_list("MAIL_REPLY_RETRY_DELAYS", ["60", "300", "1800", "3600", "14400"])

# --- Reminders ----------------------------------------------------------------------------
# Working days (ops.workdays): Monday to Friday less the Thai public holidays from the
# `holidays` package (HOLIDAY_CATEGORIES of its TH calendar, comma-separated) and the days
# off an administrator adds (admin: วันหยุดเพิ่มเติม). PUBLIC_HOLIDAYS (ISO dates,
# comma-separated) adds more days off from the environment.
HOLIDAY_CATEGORIES = env_list("HOLIDAY_CATEGORIES", ["public", "government"])
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

# --- Health ---------------------------------------------------------------------------------
# /health/ (ops.health, no login): database, cache, Celery broker, stored files, converter.
# HEALTH_CHECK_CONVERTER=false where no LibreOffice is installed on purpose (no PDF preview);
# UNOSERVER_ADDRESS ("host:port") checks a unoserver instead of the program;
# HEALTH_CHECK_WORKERS=true also asks a Celery worker to answer.
HEALTH_CHECK_CONVERTER = env_bool("HEALTH_CHECK_CONVERTER", True)
HEALTH_CHECK_WORKERS = env_bool("HEALTH_CHECK_WORKERS", False)
UNOSERVER_ADDRESS = env("UNOSERVER_ADDRESS", "") or ""
# A load balancer probing over plain http must get the answer, not the https redirect.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]

# --- Viewflow -----------------------------------------------------------------------------
VIEWFLOW: dict[str, object] = {}

# --- REST API -----------------------------------------------------------------------------
# Tokens first: an anonymous request is answered 401 with `WWW-Authenticate: Bearer`. The
# session (the web app) is checked for CSRF on every unsafe method.
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    # Per token (per user for a session). The default cache is per process: with several
    # web processes, point CACHES at Redis for one shared count.
    "DEFAULT_THROTTLE_RATES": {"token": env("API_THROTTLE_RATE", "120/minute")},
    "EXCEPTION_HANDLER": "api.problems.exception_handler",
    "DATE_FORMAT": "iso-8601",
    "DATETIME_FORMAT": "iso-8601",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "API ระบบสารบรรณอิเล็กทรอนิกส์",
    "DESCRIPTION": (
        "บันทึกข้อความ งาน (กล่องงาน ลงนาม เกษียน ส่งคืน สั่งการ ลงทะเบียนรับ) เอกสาร หนังสือเวียน ทะเบียน และทำเนียบ "
        "ผ่านบริการและการตรวจสิทธิ์ชุดเดียวกับหน้าจอ ผู้ใช้ได้ผ่าน API เท่าที่หน้าจอให้เท่านั้น\n\n"
        "ยืนยันตัวตนด้วยเซสชัน (พร้อมรหัส CSRF ในส่วนหัว X-CSRFToken) หรือโทเคนที่ผู้ดูแลระบบออกให้ "
        "(Authorization: Bearer srb_…) วันที่และเวลาเป็น ISO 8601 ปีในเส้นทางทะเบียนและตัวกรอง year เป็นปี พ.ศ. "
        "ข้อผิดพลาดตอบเป็น application/problem+json (RFC 9457) มี detail ภาษาไทย และ code ที่คงที่"
    ),
    "VERSION": "1.0.0",
    # Swagger UI and ReDoc served from our own static files (drf-spectacular-sidecar), not a CDN:
    # an office network may not reach one, and CSP admits scripts from 'self' only.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "MemoStateEnum": "memos.models.MemoState",
        "SecrecyEnum": "memos.models.Secrecy",
        "WritableSecrecyEnum": "api.serializers.WRITABLE_SECRECY",
        "CircularStateEnum": "directives.models.DirectiveState",
        "DistributionStateEnum": "directives.models.DistributionState",
        "ReportStatusEnum": "directives.models.ReportStatus",
        "TaskKindEnum": "workflow.models.TaskKind",
        "UnitKindEnum": "directory.models.UnitKind",
        "IncomingStateEnum": "letters.models.IncomingState",
        "LetterChannelEnum": "letters.models.Channel",
        "OutgoingStateEnum": "letters.outgoing_models.OutgoingState",
        "SendChannelEnum": "letters.outgoing_models.SendChannel",
    },
    "DISABLE_ERRORS_AND_WARNINGS": False,
    # api/converters.py: what the paths accept.
    "PATH_CONVERTER_OVERRIDES": {
        "api_id": {"type": "integer", "minimum": 0, "maximum": 2**31 - 1},
        "api_series": {"type": "string", "enum": ["send", "circular", "receive"]},
        "api_year": {"type": "integer", "minimum": 1000, "maximum": 9999, "description": "ปี พ.ศ. เช่น 2569"},
    },
}

# --- Logging --------------------------------------------------------------------------------
# Every line carries the request id (ops.logs, django-guid): taken from an incoming
# X-Request-ID header when it is a UUID (nginx: proxy_set_header X-Request-ID $request_id),
# made up otherwise, returned in the response's X-Request-ID, and sent along with every
# Celery task the request enqueues, whose log lines then carry it too.
# LOG_FORMAT=json writes one JSON object a line (python-json-logger) for a log collector;
# the default is text for people reading `make run`.
LOG_FORMAT = env("LOG_FORMAT", "text") or "text"
if LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be text or json, got {LOG_FORMAT!r}")
LOG_LEVEL = (env("LOG_LEVEL", "INFO") or "INFO").upper()
DJANGO_GUID = {
    "GUID_HEADER_NAME": "X-Request-ID",
    "VALIDATE_GUID": True,
    "RETURN_HEADER": True,
    "EXPOSE_HEADER": False,
    # use_django_logging: the worker and beat log through LOGGING below, not Celery's format.
    "INTEGRATIONS": [CeleryIntegration(use_django_logging=True)],
}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "ops.logs.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(request_id)s %(process)d %(message)s",
            "rename_fields": {"levelname": "level", "name": "logger", "process": "pid"},
            "timestamp": "time",  # ISO 8601 in UTC, with its offset
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": LOG_FORMAT},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # django-guid reports every id it makes or passes on at INFO: noise at that level.
    "loggers": {"django_guid": {"level": "WARNING"}},
}
