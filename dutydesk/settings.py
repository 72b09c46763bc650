"""Settings, read from the environment (see README "Configuration")."""
import os
import re
from pathlib import Path

import dj_database_url
import django
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("DUTYDESK_VAR_DIR", Path.cwd() / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DUTYDESK_DEBUG")
SECRET_KEY = os.environ.get("DUTYDESK_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DUTYDESK_SECRET_KEY must be set when DUTYDESK_DEBUG is off (refusing to start)."
        )
    SECRET_KEY = "dutydesk-insecure-development-key-only-for-debug"
ALLOWED_HOSTS = env_list("DUTYDESK_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DUTYDESK_CSRF_TRUSTED_ORIGINS")  # e.g. https://dutydesk.example.com behind a proxy

# Served over HTTPS (DUTYDESK_HTTPS=1): redirect http, HSTS, cookies only over TLS. Behind a TLS-terminating proxy,
# DUTYDESK_PROXY_SSL_HEADER names the header the proxy sets (X-Forwarded-Proto: https) so Django knows.
HTTPS = env_bool("DUTYDESK_HTTPS")
if os.environ.get("DUTYDESK_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = (
        "HTTP_" + os.environ["DUTYDESK_PROXY_SSL_HEADER"].split(":")[0].strip().upper().replace("-", "_"),
        (os.environ["DUTYDESK_PROXY_SSL_HEADER"].split(":", 1)[1:] or ["https"])[0].strip(),
    )
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("DUTYDESK_HSTS_SECONDS", "31536000")) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = env_bool("DUTYDESK_HSTS_PRELOAD")  # submitting to the preload list is the domain owner's call
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the load balancer's health check speaks plain http
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Content-Security-Policy: scripts only from our own static files (no inline script, no CDN); inline style attributes
# are allowed (low risk, used for small layout touches); images also as data: URIs (QR passes).
SECURE_CSP: dict[str, list[str]] = {
    "default-src": [CSP.SELF], "script-src": [CSP.SELF], "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "blob:"], "font-src": [CSP.SELF], "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE], "base-uri": [CSP.SELF], "form-action": [CSP.SELF], "frame-ancestors": [CSP.NONE],
}

DOMAIN_APPS = [
    "dutydesk.core",
    "dutydesk.org",
    "dutydesk.archive",
    "dutydesk.inbox",  # the task inbox: below the domain apps, which put tasks into it
    "dutydesk.tickets",
    "dutydesk.frontdesk",
    "dutydesk.stock",  # stores: items, receipts inspected into zones, FIFO issues, stocktakes
    "dutydesk.billing",
    "dutydesk.registers",  # entries of the registers the catalogues declare
    "dutydesk.occupancy",  # move-in checklists, renovations (deposit, passes, inspections), move-outs
    "dutydesk.shifts",  # shifts a/b/c, monthly rosters with swaps and leave, the handover log; who is on duty now
    "dutydesk.patrols",  # patrol routes with QR checkpoints, rounds released as tasks, issues opening work orders
    "dutydesk.vendors",  # outsourced vendors, their monthly evaluation by the supervising posts, the year report
    "dutydesk.drafts",  # catalogue drafts from job-description text (issue 14): above org, uses its catalogue import
    "dutydesk.duties",
    "dutydesk.portal",
]
# Domain apps first: their translations and templates win over the contrib apps' ("History" is
# 变更记录 here, not the admin's 历史).
INSTALLED_APPS = [
    *DOMAIN_APPS,
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "dutydesk.core.middleware.RejectControlCharactersMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "dutydesk.urls"
WSGI_APPLICATION = "dutydesk.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dutydesk.web.context_processors.navigation",
            ],
        },
    },
]

VAR_DIR.mkdir(parents=True, exist_ok=True)
(VAR_DIR / "static").mkdir(exist_ok=True)
# Where the exports write each sheet before zipping it (XlsxWriter's constant-memory mode: ~200 MB for 400,000 rows
# of 10 cells): beside the data, not in /tmp, which is RAM (tmpfs) on many servers.
EXPORT_TMP_DIR = VAR_DIR / "tmp"
EXPORT_TMP_DIR.mkdir(exist_ok=True)
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'dutydesk.sqlite3'}",
        conn_max_age=int(os.environ.get("DUTYDESK_CONN_MAX_AGE", "60")),
    )
}
if "postgresql" in DATABASES["default"]["ENGINE"]:
    # No JIT: it compiles a plan whose estimate passes 100,000 (a count over a big queue) and costs 50–100 ms on
    # the short queries of a web request (measured at 10M tickets, scripts/bench_tickets.py); reports stay fast
    # without it because they are grouped queries over indexes.
    # random_page_cost 1.1: the server's storage is SSD, where an index read costs about what a scan's read does;
    # with the default 4 (spinning disks) the planner scanned all 10M work orders to count one month's
    # (the monthly report at 10M: 5.6 s -> 1.7 s, docs/scaling.md).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off -c random_page_cost=1.1"
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL + a busy timeout: the web server and the scheduler share the file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    # an index's INCLUDE columns (billing's bill_month_by_floor: a collection rate read off the index alone) are
    # PostgreSQL's; SQLite, the quick start, builds the index on its key columns and says so once per database check
    SILENCED_SYSTEM_CHECKS.append("models.W040")
# Request bodies read into memory (JSON, YAML, forms): a little over the 5 MB import limit, so a too-large catalogue
# gets the import's own message; multipart uploads stream to disk and are size-checked before parsing.
DATA_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]
# Argon2id first (argon2-cffi): memory-hard, and a login costs 190 ms of CPU where PBKDF2's 1.5M rounds cost 330 ms
# (a morning's logins queue the pages behind them: scripts/loadtest). Passwords stored with PBKDF2 still verify and
# are re-hashed with Argon2 at the next login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS: list[str] = []  # each app keeps its own locale/ folder
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/files/"  # served by core.views.stored_file after a permission check (core/files.py)
DUTYDESK_SENDFILE = os.environ.get("DUTYDESK_SENDFILE", "")  # "nginx" (X-Accel-Redirect) or "apache" (X-Sendfile)
MEDIA_ROOT = Path(os.environ.get("DUTYDESK_MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True

# In debug, e-mails are written as files under var/mail/ (one file per sending run), not sent and not printed.
_EMAIL_BACKEND = os.environ.get(
    "DUTYDESK_EMAIL_BACKEND",
    "django.core.mail.backends.filebased.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
_EMAIL_FILE_PATH = str(VAR_DIR / "mail")
_EMAIL_HOST = os.environ.get("DUTYDESK_EMAIL_HOST", "localhost")
_EMAIL_PORT = int(os.environ.get("DUTYDESK_EMAIL_PORT", "25"))
_EMAIL_TIMEOUT = int(os.environ.get("DUTYDESK_EMAIL_TIMEOUT", "10"))  # seconds; a hung server must not hang a job
if django.VERSION >= (6, 1):  # Django 6.1 configures mail through MAILERS
    MAILERS = {"default": {"BACKEND": _EMAIL_BACKEND,
                           "OPTIONS": {"host": _EMAIL_HOST, "port": _EMAIL_PORT, "timeout": _EMAIL_TIMEOUT}
                           if "smtp" in _EMAIL_BACKEND else
                           {"file_path": _EMAIL_FILE_PATH} if "filebased" in _EMAIL_BACKEND else {}}}
else:
    EMAIL_BACKEND, EMAIL_HOST, EMAIL_PORT, EMAIL_TIMEOUT = _EMAIL_BACKEND, _EMAIL_HOST, _EMAIL_PORT, _EMAIL_TIMEOUT
    EMAIL_FILE_PATH = _EMAIL_FILE_PATH
DEFAULT_FROM_EMAIL = os.environ.get("DUTYDESK_FROM_EMAIL", "dutydesk@localhost")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "dutydesk.core.drf.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "dutydesk.core.drf.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "dutydesk.core.schema.AutoSchema",
    "EXCEPTION_HANDLER": "dutydesk.core.api.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "COERCE_DECIMAL_TO_STRING": True,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "DutyDesk API",
    "DESCRIPTION": "岗责通 DutyDesk public HTTP API (see shared/API.md for the stable contract).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Several models have a "kind" or "channel" choice set: name each enum after its model.
    "ENUM_NAME_OVERRIDES": {
        "TicketKindEnum": "dutydesk.tickets.models.Kind", "TicketChannelEnum": "dutydesk.tickets.models.Channel",
        "ParkingSpaceKindEnum": "dutydesk.archive.models.ParkingSpace.Kind",
        "ChargeItemKindEnum": "dutydesk.billing.models.ChargeItem.Kind",
        "BillLineKindEnum": "dutydesk.billing.models.BillLine.Kind",
        "CreditEntryKindEnum": "dutydesk.billing.models.CreditEntry.Kind",
        "OpinionKindEnum": "dutydesk.duties.models.Opinion.Kind", "OpinionChannelEnum": "dutydesk.duties.models.Opinion.Channel",
        "QuestionKindEnum": "dutydesk.duties.models.Question.Kind",
        "SurveyResponseChannelEnum": "dutydesk.duties.models.SurveyResponse.Channel",
        "KeyKindEnum": "dutydesk.frontdesk.models.Key.Kind", "AccessPassKindEnum": "dutydesk.frontdesk.models.AccessPass.Kind",
        "MailItemKindEnum": "dutydesk.frontdesk.models.MailItem.Kind",
        "RegisterEntryStatusEnum": "dutydesk.registers.models.Entry.Status",
        "PatrolResultEnum": ["ok", "issue"],  # patrols: inline enums (serializers.py), named by their values
        "PatrolRoundStatusEnum": ["open", "done", "missed"],
        "ShiftCodeEnum": "dutydesk.shifts.models.ShiftCode",
        "RosterEntryStatusEnum": "dutydesk.shifts.models.RosterEntry.Status",
        "SwapRequestStatusEnum": "dutydesk.shifts.models.SwapRequest.Status",
        "VendorKindEnum": "dutydesk.vendors.models.Vendor.Kind",
    },
    "SWAGGER_UI_DIST": "SIDECAR",  # served from the drf-spectacular-sidecar package, no CDN
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DUTYDESK_LOG_LEVEL", "INFO")},
}

# Shared cache: Redis when configured (several workers/machines), else a database table (createcachetable runs
# in migration core 0002). Login throttling counts failures there.
DUTYDESK_REDIS_URL = os.environ.get("DUTYDESK_REDIS_URL", "")
CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": DUTYDESK_REDIS_URL}
          if DUTYDESK_REDIS_URL else
          {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "dutydesk_cache"}}
DUTYDESK_LOGIN_FAILURES_PER_USER = int(os.environ.get("DUTYDESK_LOGIN_FAILURES_PER_USER", "5"))
DUTYDESK_LOGIN_FAILURES_PER_ADDRESS = int(os.environ.get("DUTYDESK_LOGIN_FAILURES_PER_ADDRESS", "20"))
DUTYDESK_LOGIN_WINDOW_SECONDS = int(os.environ.get("DUTYDESK_LOGIN_WINDOW_SECONDS", "900"))
DUTYDESK_TRUSTED_PROXIES = int(os.environ.get("DUTYDESK_TRUSTED_PROXIES", "0"))  # hops of X-Forwarded-For to trust
# Background work: Celery on Redis when DUTYDESK_BROKER_URL is set (`dutydesk worker`, `dutydesk beat`); without it
# every task runs in-process, so the quick start needs no other service.
DUTYDESK_BROKER_URL = os.environ.get("DUTYDESK_BROKER_URL", "")
CELERY_BROKER_URL = DUTYDESK_BROKER_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not DUTYDESK_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_IGNORE_RESULT = True  # results live in BackgroundJob rows
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("DUTYDESK_QUEUE", "dutydesk")  # several deployments may share one Redis
DUTYDESK_TOKEN_DAYS = int(os.environ.get("DUTYDESK_TOKEN_DAYS", "30"))
DUTYDESK_DEMO_PASSWORD = os.environ.get("DUTYDESK_DEMO_PASSWORD", "dutydesk-demo")
DUTYDESK_SCHEDULER_TICK_SECONDS = int(os.environ.get("DUTYDESK_SCHEDULER_TICK_SECONDS", "60"))
# PostgreSQL's work_mem for the one statement of a bill run that sorts a project's lines: the sort stays in memory up
# to it (~130 bytes a line, 460 MB at 1M units; a ceiling, not an allocation). Lower it on a small database server
# that runs several large projects' bill runs at once (docs/decisions.md, billing).
DUTYDESK_BILL_RUN_WORK_MEM = os.environ.get("DUTYDESK_BILL_RUN_WORK_MEM", "768MB").strip()
if not re.fullmatch(r"[1-9][0-9]*(kB|MB|GB)", DUTYDESK_BILL_RUN_WORK_MEM):
    raise ImproperlyConfigured("DUTYDESK_BILL_RUN_WORK_MEM: a size such as 256MB or 1GB (kB, MB or GB)")

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "dutydesk.org.backends.PostPermissionBackend",
]
