"""Settings of the portal, driven by environment variables.

One module for every environment: development (`DEBUG=1`, SQLite, tasks inline), the demo of `make run`
(`PORTAL_ENV=development` with `DEBUG` off: the same development defaults, the portal's own error pages), tests and
production (`DEBUG` unset, PostgreSQL, Redis broker, secrets from the environment).
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .services import default_storage_config, logging_config

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")
# Development defaults, apart from DEBUG's tracebacks: a development secret and demo hours keys, local hosts,
# console e-mail, no HTTPS, static files from the source folders, and seed_demo allowed. `make run` sets
# PORTAL_ENV=development with DEBUG off, so a newcomer sees the portal's own 404 and 500 pages.
DEV_DEFAULTS = DEBUG or os.environ.get("PORTAL_ENV", "").strip().lower() == "development"

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEV_DEFAULTS:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-0123456789abcdef"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEV_DEFAULTS else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "csp",
    "django_ratelimit",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "kit",
    "accounts",
    "audit",
    "portal",
    "notifications",
    "bases",
    "applications",
    "plans",
    "inspections",
    "hours",
    "stats",
]

MIDDLEWARE = [
    "portal.middleware.RequestIdMiddleware",
    "portal.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "portal.middleware.PermissionsPolicyMiddleware",
    # Refuse an oversized body from its Content-Length before anything reads it (413), with the headers above.
    "portal.middleware.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # NUL bytes in a query or form field, or a malformed multipart body: 400 before CSRF or a view reads them.
    "portal.middleware.RejectNulBytesMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Which OTP device verified this session (request.user.otp_device, is_verified()).
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "audit.middleware.RequestContextMiddleware",
    # A session that must carry a second factor and does not goes back to the second step (after the audit
    # context, so what it records has the client IP; before the password change, which needs a verified user).
    "accounts.two_factor_middleware.TwoFactorMiddleware",
    # A password an administrator set, or an expired staff password, is changed before anything else.
    "accounts.middleware.ForcePasswordChange",
    # A view past its rate limit raises Ratelimited: answer 429 (RATELIMIT_VIEW), not the 403 it subclasses.
    "django_ratelimit.middleware.RatelimitMiddleware",
    # Axes last: it turns a request flagged as locked out into the lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "portal.context_processors.portal",
            ],
            # Punctuation by language ({% colon %}, |paren, |join_words) in every template without a {% load %}.
            "builtins": ["kit.templatetags.punctuation"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Axes first, so a locked-out username is refused before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "accounts.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.validators.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
    # Also records every password set (its password_changed hook): no reuse of the last 5.
    {"NAME": "accounts.passwords.PasswordHistoryValidator", "OPTIONS": {"history": 5}},
]
# Staff passwords (authority staff, the system, security and audit administrators) expire after this many days;
# the next sign-in then changes the password first. 0 turns expiry off.
PASSWORD_EXPIRY_DAYS = int(os.environ.get("PASSWORD_EXPIRY_DAYS", "90"))
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:dashboard"
LOGOUT_REDIRECT_URL = "bases:home"

# Idle expiry: the cookie lives 30 minutes and every request renews it.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_SECONDS", "1800"))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Sessions live on the server, never in a cookie: one-time secrets shown after a redirect (new API keys) sit in
# session data. With CACHE_URL (production) they live in Redis, shared by every web node (SESSION_CACHE_URL may
# name a Redis database of their own, kept apart from the broker's); without it in the database. Messages
# likewise: the default storage puts them in a signed, unencrypted cookie first.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cache"
    if os.environ.get("CACHE_URL")
    else "django.contrib.sessions.backends.db"
)
SESSION_CACHE_ALIAS = "sessions" if os.environ.get("CACHE_URL") else "default"
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# django-axes: lock a (username, IP) pair for 30 minutes after 5 failures.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# 30 minutes from the lockout itself: attempts during the lockout do not extend it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "accounts.views.lockout_response"
AXES_VERBOSE = False
# The client IP as kit.net reads it: through TRUSTED_PROXY_COUNT proxies, like the audit trail and rate limits.
AXES_CLIENT_IP_CALLABLE = "kit.net.client_ip"
# Never store one-time codes in axes' record of failed attempts.
AXES_SENSITIVE_PARAMETERS = ["otp", "code"]

# Two factors (等保 2.0 level 3, GB/T 22239-2019 §8.1.4.1): password + TOTP (django-otp) for every staff role,
# with single-use backup codes. Wrong codes count towards the axes lockout above.
OTP_TOTP_ISSUER = "四川继续教育基地"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# How long the second step (code or enrolment) may follow a correct password.
TWO_FACTOR_PENDING_SECONDS = int(os.environ.get("TWO_FACTOR_PENDING_SECONDS", "600"))
TWO_FACTOR_BACKUP_CODES = 10

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
# Dates read as 2026年12月3日 / 3 Dec 2026: the formats of each language live in config/formats/.
FORMAT_MODULE_PATH = ["config.formats"]
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEV_DEFAULTS
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Uploads and generated files in an S3-compatible object store when STORAGE_BUCKET is set (config/services.py).
STORAGES["default"] = default_storage_config() or STORAGES["default"]
# Without collectstatic (development defaults), whitenoise serves static files straight from the source folders,
# also with DEBUG off.
WHITENOISE_USE_FINDERS = DEV_DEFAULTS
WHITENOISE_AUTOREFRESH = DEV_DEFAULTS
# Uploads live outside the web root and are only served through views that check permissions.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "uploads"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEV_DEFAULTS
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")  # STARTTLS, usually on port 587
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")  # implicit TLS, usually on port 465 (never both: Django refuses)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@ce-base.sc.example")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# An SMTP server that does not answer fails the send (and the task retries) instead of holding a worker.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))

# Celery: without a broker every task runs inline, which is what `make run` uses.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", "") or None
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Queues per kind of work, so a 100,000-row workbook never delays an e-mail: hours ingestion, documents, e-mail;
# everything else (reminders, statistics) on the default queue. A worker names the queues it serves (-Q).
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_ROUTES = {
    "hours.tasks.*": {"queue": "hours"},
    "documents.*": {"queue": "documents"},
    "notifications.tasks.send_notification_email": {"queue": "email"},
}
# A task that runs away is stopped: soft limit first (the task may clean up), then the hard one.
CELERY_TASK_SOFT_TIME_LIMIT = int(os.environ.get("CELERY_TASK_SOFT_TIME_LIMIT", "900"))
CELERY_TASK_TIME_LIMIT = CELERY_TASK_SOFT_TIME_LIMIT + 60

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so an unauthenticated request gets 401 with WWW-Authenticate rather than 403.
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON bodies only, so the schema (and the clients generated from it) offers one body type per operation;
    # a view that really takes a file adds MultiPartParser itself.
    "DEFAULT_PARSER_CLASSES": ["kit.drf.JSONParser"],
    # JSON answers only: DRF's browsable HTML pages carry inline styles the CSP refuses, and /api/docs/ (Swagger UI)
    # is where a person reads the API.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "kit.drf.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "kit.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "kit.drf.exception_handler",
    # Throttled API endpoints name their RATE_LIMITS entry (kit.drf.throttle); nothing is throttled by default.
    "DEFAULT_THROTTLE_CLASSES": [],
}
# API tokens (django-rest-knox): only a SHA-512 digest is stored; each token expires and is revoked on sign-out,
# password change and deactivation. Staff tokens live API_TOKEN_STAFF_HOURS, others API_TOKEN_HOURS.
API_TOKEN_STAFF_HOURS = float(os.environ.get("API_TOKEN_STAFF_HOURS", "12"))
API_TOKEN_HOURS = float(os.environ.get("API_TOKEN_HOURS", "12"))
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=API_TOKEN_HOURS),
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "四川省专业技术人员继续教育基地管理平台 API",
    "DESCRIPTION": "Data exchange API of the Sichuan continuing-education base portal (R-31).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Tags and operation ids come from the path after the version prefix (`applications_list`, not `v1_...`).
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "TAGS": [
        {"name": "auth", "description": "API tokens and the signed-in user"},
        {"name": "bases", "description": "The public registry of recognised bases (R-01, R-02, R-36)"},
        {
            "name": "notices",
            "description": "Published notices: publicity (公示), recognition (公布) and others",
        },
        {"name": "batches", "description": "Application batches opened by an authority"},
        {
            "name": "applications",
            "description": "Applications for recognition and their workflow (R-04..R-18)",
        },
        {"name": "change-requests", "description": "Changes of a base's key facts (R-34)"},
        {"name": "plans", "description": "Annual plans and their filing (R-19..R-24)"},
        {"name": "classes", "description": "Training classes (R-23)"},
        {
            "name": "inspections",
            "description": "Inspection rounds and inspections of the nine items (R-25, R-26)",
        },
        {"name": "assessments", "description": "Yearly dynamic assessments (R-27)"},
        {
            "name": "rectifications",
            "description": "Rectification orders, replies and revocation (R-27, R-28)",
        },
        {
            "name": "hours",
            "description": "Training hours: ingestion by platforms, look-up, change feed (R-31)",
        },
        {"name": "notifications", "description": "The signed-in user's inbox"},
        {
            "name": "statistics",
            "description": "Figures of bases, plans, supervision and hours in the caller's jurisdiction "
            "(R-03, R-20, R-22, R-25, R-27, R-35, R-36)",
        },
    ],
    "ENUM_NAME_OVERRIDES": {
        "BaseLevelEnum": "bases.models.Level",
        "ApplicationStateEnum": "applications.models.ApplicationState",
        "PlanStateEnum": "plans.models.PlanState",
        "TrainingClassStatusEnum": "plans.models.TrainingClass.Status",
        "SubjectKindEnum": "plans.models.SubjectKind",
        "BaseStatusEnum": "bases.models.Base.Status",
        "InspectionStateEnum": "inspections.models.Inspection.State",
        "AssessmentStateEnum": "inspections.models.Assessment.State",
        "RectificationStateEnum": "inspections.models.Rectification.State",
        "ResultEnum": "inspections.models.Result",
        "RatingEnum": "inspections.models.Rating",
        "RoundStateEnum": "inspections.models.InspectionRound.State",
        "ApplicationActionEnum": "applications.workflow.ACTIONS",
        "PlanActionEnum": "plans.workflow.ACTIONS",
        "ChangeRequestActionEnum": "bases.workflow.ACTIONS",
        "RectificationActionEnum": "inspections.workflow.ACTIONS",
        "ScoreActionEnum": ["score"],
        "ConfirmActionEnum": ["confirm"],
    },
}

# Production hardening; `manage.py check --deploy` is clean when DEBUG is off.
# Reverse proxies in front of gunicorn (nginx in docker-compose.yml: 1). With 0 the client is REMOTE_ADDR and no
# X-Forwarded-* header is believed; with N the client is the N-th X-Forwarded-For entry from the right (kit.net),
# and X-Forwarded-Proto tells whether the request came over HTTPS (only a proxy can be trusted to set it).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
if TRUSTED_PROXY_COUNT > 0:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEV_DEFAULTS)
SESSION_COOKIE_SECURE = not DEV_DEFAULTS
CSRF_COOKIE_SECURE = not DEV_DEFAULTS
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEV_DEFAULTS else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEV_DEFAULTS
SECURE_HSTS_PRELOAD = not DEV_DEFAULTS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp 4): scripts and styles only from the portal's own static files, no inline
# code or handlers (templates keep behaviour in static/js, styles in static/css); data: images for Bootstrap's
# inline SVG icons in its stylesheet.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Powerful browser features no page of the portal uses (portal.middleware.PermissionsPolicyMiddleware).
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), display-capture=()"

LOGGING = logging_config(dev_defaults=DEV_DEFAULTS)

# Anonymous public pages (registry, profiles, notices) may be served from the cache for this long (0: off). The
# same cache counts rate limits, so production sets CACHE_URL to Redis, shared by every gunicorn worker
# (`check --deploy` refuses a per-process cache).
PUBLIC_CACHE_SECONDS = int(os.environ.get("PUBLIC_CACHE_SECONDS", "60"))
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["CACHE_URL"]}
        if os.environ.get("CACHE_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "portal"}
    )
}
if os.environ.get("CACHE_URL"):
    CACHES["sessions"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ.get("SESSION_CACHE_URL") or os.environ["CACHE_URL"],
        "KEY_PREFIX": "session",
        "TIMEOUT": None,  # each session sets its own expiry (SESSION_COOKIE_AGE)
    }
# Rate limits per client IP (or per user where signed in), "count/period" as django-ratelimit and DRF read them
# (s, m, h, d; "10/5m" is ten per five minutes); each can be set by RATE_LIMIT_<NAME>, e.g. RATE_LIMIT_LOGIN.
RATE_LIMITS = {
    name: os.environ.get(f"RATE_LIMIT_{name.upper()}", default)
    for name, default in {
        "register": "10/h",  # institution sign-ups (POST)
        "login": "30/10m",  # sign-in attempts (POST); axes separately locks a (username, IP) pair after 5
        "objection": "10/h",  # objections to a 公示 (POST)
        "report": "10/h",  # misconduct reports (POST)
        "report_lookup": "30/10m",  # receipt-code look-ups
        "hours_verify": "30/10m",  # certificate verification
        "api_token": "30/10m",  # POST /api/v1/auth/token/
        "person_lookup": "120/h",  # person look-ups by ID number (API and page), per signed-in user
    }.items()
}
RATELIMIT_VIEW = "portal.views.ratelimited"
# A cache that cannot be reached lets requests through rather than refusing everyone.
RATELIMIT_FAIL_OPEN = True
# A request body larger than this is refused from its Content-Length (413) before it is read: an uploaded document
# (UPLOAD_MAX_BYTES) plus the form around it. nginx's client_max_body_size (deploy/nginx.conf) matches it.
REQUEST_MAX_BYTES = int(os.environ.get("REQUEST_MAX_BYTES", str(21 * 1024 * 1024)))
# JSON bodies nested deeper than this are refused (400) by the API's parser (kit.drf.JSONParser).
JSON_MAX_DEPTH = 32

# `make bench` serves a bare fixed-string view next to the real pages, to compare them served the same way.
BENCHMARK_ENDPOINTS = env_bool("BENCHMARK_ENDPOINTS")

# Hours registry. ID numbers are encrypted with HOURS_ID_KEYS (comma-separated Fernet keys,
# the first encrypts; `manage.py rotate_id_keys` re-encrypts after a new key is put first) and found through an
# HMAC with HOURS_HASH_KEY. Development gets fixed keys; production must set both.
HOURS_ID_KEYS = os.environ.get(
    "HOURS_ID_KEYS", "ZGV2LW9ubHktZmVybmV0LWtleS0wMTIzNDU2Nzg5YWI=" if DEV_DEFAULTS else ""
)
HOURS_HASH_KEY = os.environ.get("HOURS_HASH_KEY", "dev-only-hash-key" if DEV_DEFAULTS else "")
# 国密 (for a 密评): HOURS_ID_CIPHER=sm4 encrypts new ID numbers with SM4-GCM under HOURS_SM4_KEYS (comma-separated
# 32-hex-digit keys, the first encrypts); Fernet tokens stay readable until `rotate_id_keys` moves them to SM4.
# HOURS_HASH_ALGORITHM=hmac-sm3 hashes with SM3 instead of SHA-256: switching re-hashes every person
# (`rotate_id_keys --rehash`) and is done with ingestion stopped.
HOURS_ID_CIPHER = os.environ.get("HOURS_ID_CIPHER", "fernet")
HOURS_SM4_KEYS = os.environ.get("HOURS_SM4_KEYS", "00112233445566778899aabbccddeeff" if DEV_DEFAULTS else "")
HOURS_HASH_ALGORITHM = os.environ.get("HOURS_HASH_ALGORITHM", "hmac-sha256")
# The cockpit (stats) keeps a jurisdiction's computed figures this long: the page is the same for all its staff.
STATS_CACHE_SECONDS = int(os.environ.get("STATS_CACHE_SECONDS", "60"))
HOURS_MIN_TOTAL = int(os.environ.get("HOURS_MIN_TOTAL", "90"))  # at least 90 hours a year
HOURS_MIN_PROFESSIONAL_SHARE = os.environ.get("HOURS_MIN_PROFESSIONAL_SHARE", "2/3")  # of the total
HOURS_SYNC_LIMIT = int(os.environ.get("HOURS_SYNC_LIMIT", "1000"))  # larger batches go to a worker (202)
HOURS_API_MAX_RECORDS = 10_000  # records of one API request
# Rows of one batch (an uploaded workbook): refused while reading, before anything is stored. A workbook is read
# whole by python-calamine (about 0.4 KB of memory a row), so this bounds the worker's memory too.
HOURS_MAX_BATCH = int(os.environ.get("HOURS_MAX_BATCH", "100000"))
# Records applied per transaction of a queued batch (one progress step each).
HOURS_CHUNK_SIZE = int(os.environ.get("HOURS_CHUNK_SIZE", "1000"))

# The hours table's covering index (INCLUDE columns) exists on PostgreSQL; SQLite, the development default, just
# ignores the extra columns.
# django-ratelimit's own check knows neither Django's built-in Redis cache nor a development locmem cache;
# portal.checks refuses a per-process cache in `check --deploy` instead.
SILENCED_SYSTEM_CHECKS = ["models.W040", "django_ratelimit.E003", "django_ratelimit.W001"]

PORTAL_NAME = "四川省专业技术人员继续教育基地管理平台"
# Used for links in e-mails, which have no request to build absolute URLs from.
PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# Upload limits for application documents (DESIGN: allowed types checked by content).
UPLOAD_MAX_BYTES = 20 * 1024 * 1024
