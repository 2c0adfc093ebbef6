"""heartmon settings, configured by environment variables only (the OpenAPI document's own
settings, which read none, are in openapi_settings.py).

Every production component is chosen by a variable; when it is unset the embedded default is
used (SQLite under var/, local-memory cache, eager tasks, console e-mail) so a first run needs no
server. Malformed values fail at start.
"""

from datetime import timedelta
from pathlib import Path

import django_stubs_ext
import environ
from celery.schedules import crontab
from django.core.management.utils import get_random_secret_key

from heartmon.openapi_settings import OPENAPI_SETTINGS

django_stubs_ext.monkeypatch()  # lets admin.ModelAdmin[Model] and friends subscript at run time

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env.bool("DEBUG", default=False)


def _local_secret_key() -> str:
    """The embedded default: a key generated once and kept in var/ (never committed)."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(get_random_secret_key())
        path.chmod(0o600)
    return path.read_text().strip()


# The server entry points (asgi.py, wsgi.py, runserver) refuse a generated key unless DEBUG is on;
# see heartmon.core.checks.
SECRET_KEY_FROM_ENV = "SECRET_KEY" in env
SECRET_KEY = env.str("SECRET_KEY") if SECRET_KEY_FROM_ENV else _local_secret_key()

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
if DEBUG:
    ALLOWED_HOSTS += ["localhost", "127.0.0.1", "[::1]", "testserver"]
PUBLIC_URL = env.str("PUBLIC_URL", default="http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[PUBLIC_URL])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_prometheus",
    "heartmon.core",
    "heartmon.metrics",
    "heartmon.accounts",
    "heartmon.audit",
    "heartmon.outbox",
    "heartmon.clinic",
    "heartmon.devices",
    "heartmon.telemetry",
    "heartmon.ecg",
    "heartmon.alarms",
    "heartmon.live",
    "heartmon.simulator",
    "heartmon.fhir",
    "heartmon.web",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "heartmon.core.middleware.RequestIdMiddleware",
    "heartmon.core.errors.ProblemDetailsMiddleware",
    "heartmon.core.errors.LengthRequiredMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "heartmon.urls"
WSGI_APPLICATION = "heartmon.wsgi.application"
ASGI_APPLICATION = "heartmon.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Database: SQLite (WAL) under var/ by default, PostgreSQL (psycopg 3) via DATABASE_URL.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'heartmon.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
        ),
    }
# A persistent connection (conn_max_age) is checked before a request reuses it: after a database
# restart a worker reconnects instead of answering 503 once per stale connection (checked by
# `ops/ci/production.py database`).
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache (throttles, one-time codes, lockouts): local memory by default, Redis via REDIS_URL.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "heartmon",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Background work: eager in-process unless a broker is configured.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Celery beat (`beat` in the Procfile) retries the outbox's due messages, runs the alarms' timed
# checks and the daily upkeep of the readings' partitions; without a broker,
# `heartmon deliver_outbox`, `heartmon run_periodic` and a daily `heartmon maintain_readings`
# (cron) do the same.
CELERY_BEAT_SCHEDULE = {
    "alarms-timed-checks": {"task": "heartmon.alarms.tasks.timed_checks", "schedule": 5.0},
    "alarms-news2": {"task": "heartmon.alarms.tasks.news2_checks", "schedule": 60.0},
    "deliver-outbox": {"task": "heartmon.outbox.tasks.deliver_due_messages", "schedule": 30.0},
    "maintain-readings": {
        "task": "heartmon.telemetry.tasks.maintain_readings",
        "schedule": crontab(hour=3, minute=15),
    },
}

# FHIR Bulk Data exports: files are kept this long after the export finished, and split into
# files of at most this many resources.
FHIR_EXPORT_TTL = timedelta(hours=env.int("FHIR_EXPORT_TTL_HOURS", default=24))
FHIR_EXPORT_FILE_RESOURCES = env.int("FHIR_EXPORT_FILE_RESOURCES", default=100_000)
FHIR_EXPORTS_AT_ONCE = env.int("FHIR_EXPORTS_AT_ONCE", default=2)  # per person, running or queued
# ECG Observations in one page of a FHIR search, whatever its _count (each is 10 s of every lead).
FHIR_ECG_SEGMENTS_PER_PAGE = env.int("FHIR_ECG_SEGMENTS_PER_PAGE", default=20)

# E-mail: console by default, SMTP via EMAIL_URL (smtp://user:password@host:port, smtp+tls://...).
globals().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="heartmon <noreply@localhost>")
EMAIL_TIMEOUT = 30

# The outbox (e-mails and webhooks): a failed message is retried after 30 s, 1 min, 2 min...
# (at most an hour apart) until OUTBOX_RETRY_HOURS after it was written, then marked failed. A
# worker's claim on a message lasts OUTBOX_LEASE seconds, longer than any one send.
OUTBOX_RETRY_HOURS = env.int("OUTBOX_RETRY_HOURS", default=24)
OUTBOX_KEEP_DAYS = env.int("OUTBOX_KEEP_DAYS", default=30)  # then sent and failed ones go
OUTBOX_BACKOFF_BASE = env.int("OUTBOX_BACKOFF_BASE", default=30)  # seconds
OUTBOX_BACKOFF_MAX = 3600
OUTBOX_LEASE = 300
WEBHOOK_TIMEOUT = 10
# Webhook URLs that resolve to loopback, private or link-local addresses are refused unless this
# is set (a receiver on the server's own network, or tests).
WEBHOOK_ALLOW_PRIVATE_ADDRESSES = env.bool("WEBHOOK_ALLOW_PRIVATE_ADDRESSES", default=False)

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "heartmon.accounts.hashers.Argon2Hasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# One-time links and codes sent by e-mail.
ACTIVATION_TIMEOUT = env.int("ACTIVATION_TIMEOUT", default=3 * 24 * 3600)
INVITATION_TIMEOUT = env.int("INVITATION_TIMEOUT", default=7 * 24 * 3600)
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=3600)
PASSWORD_RESET_CODE_TIMEOUT = 10 * 60
PASSWORD_RESET_CODE_MAX_ATTEMPTS = 5

# Brute force: 10 failures from one address lock the account for that address for 15 minutes
# (django-axes; see accounts.lockout); attempts during the lock do not extend it.
AXES_FAILURE_LIMIT = env.int("LOCKOUT_FAILURES", default=10)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_USERNAME_FORM_FIELD = "email"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_VERBOSE = False
# Per-IP limits are DRF throttles (login_ip); axes locks accounts only, and the API answers
# lockouts itself (429), so AxesMiddleware is not used.
SILENCED_SYSTEM_CHECKS = ["axes.W006", "axes.W002"]

OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="heartmon")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "heartmon.accounts.authentication.BearerJWTAuthentication",
        "heartmon.accounts.authentication.CookieJWTAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["heartmon.core.parsers.JSONParser"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "heartmon.core.negotiation.ContentNegotiation",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "heartmon.core.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 25,
    "EXCEPTION_HANDLER": "heartmon.core.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_RATES": {
        "login_ip": env.str("THROTTLE_LOGIN_IP", default="30/min"),
        "login_account": env.str("THROTTLE_LOGIN_ACCOUNT", default="10/min"),
        "token_refresh": env.str("THROTTLE_TOKEN_REFRESH", default="10/min"),
        "token_refresh_ip": env.str("THROTTLE_TOKEN_REFRESH_IP", default="600/min"),
        "anonymous_mail": env.str("THROTTLE_ANONYMOUS_MAIL", default="10/hour"),
        "mail_address": env.str("THROTTLE_MAIL_ADDRESS", default="5/hour"),
        "one_time_code": env.str("THROTTLE_ONE_TIME_CODE", default="30/hour"),
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # Throttles key on the client's address: REMOTE_ADDR, or behind NUM_PROXIES proxies the
    # X-Forwarded-For entry the nearest proxy appended (what a client writes there is ignored).
    "NUM_PROXIES": env.int("NUM_PROXIES", default=0),
}

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env.int("JWT_ACCESS_MINUTES", default=5)),
    "REFRESH_TOKEN_LIFETIME": timedelta(hours=env.int("JWT_REFRESH_HOURS", default=12)),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": True,
    "SIGNING_KEY": SECRET_KEY,
    "AUTH_HEADER_TYPES": ("Bearer",),
    "TOKEN_REFRESH_SERIALIZER": "heartmon.accounts.jwt.EpochRefreshSerializer",
}
# Browser cookie mode: HttpOnly JWT cookies, Secure unless DEBUG, SameSite=Lax, CSRF on unsafe
# methods.
AUTH_COOKIE_ACCESS = "heartmon_access"
AUTH_COOKIE_REFRESH = "heartmon_refresh"
AUTH_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_SECURE = not DEBUG
CSRF_FAILURE_VIEW = "heartmon.core.errors.csrf_failure"

SPECTACULAR_SETTINGS = OPENAPI_SETTINGS

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
# Uploaded files (firmware): under var/media by default; never served directly, only through
# authenticated API downloads.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "media/"
FIRMWARE_MAX_UPLOAD_MB = env.int("FIRMWARE_MAX_UPLOAD_MB", default=64)
# Firmware and ECG files go to the local media folder, or to an S3-compatible bucket when
# S3_BUCKET is set (django-storages; credentials from the usual AWS variables or these).
S3_BUCKET = env.str("S3_BUCKET", default="")
STORAGES = {
    "default": (
        {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": S3_BUCKET,
                "endpoint_url": env.str("S3_ENDPOINT_URL", default="") or None,
                "region_name": env.str("S3_REGION", default="") or None,
                "access_key": env.str("S3_ACCESS_KEY_ID", default="") or None,
                "secret_key": env.str("S3_SECRET_ACCESS_KEY", default="") or None,
                "default_acl": "private",
                "querystring_auth": True,
            },
        }
        if S3_BUCKET
        else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    ),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Telemetry: the largest reading batch one request may carry (larger: 413), and how long
# readings are kept (unset: for ever; `heartmon maintain_readings` drops older partitions).
READINGS_MAX_BATCH = env.int("READINGS_MAX_BATCH", default=10_000)
READINGS_RETENTION_DAYS = env.int("READINGS_RETENTION_DAYS", default=None)
# MQTT ingestion (`heartmon mqtt_ingest`), e.g. mqtt://user:pass@broker:1883; empty: not used.
MQTT_URL = env.str("MQTT_URL", default="")

# Live monitoring (Channels): the channel layer is Redis when REDIS_URL is set (needed as soon as
# REST and WebSockets are served by different processes), else in memory, for one process.
LIVE_LAYER_CAPACITY = 1000  # messages waiting per connection before the layer drops
CHANNEL_LAYERS = {
    "default": (
        {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                # The layer blocks 5 s in BRPOP; redis-py 8 times reads out at 5 s by default,
                # which would end a consumer now and then.
                "hosts": [{"address": REDIS_URL, "socket_timeout": 30}],
                "prefix": "heartmon.live",
                "capacity": LIVE_LAYER_CAPACITY,
            },
        }
        if REDIS_URL
        else {
            "BACKEND": "channels.layers.InMemoryChannelLayer",
            "CONFIG": {"capacity": LIVE_LAYER_CAPACITY},
        }
    )
}
# Browsers may open /ws/v1/live/ with the session cookie only from these origins.
LIVE_ALLOWED_ORIGINS = env.list("LIVE_ALLOWED_ORIGINS", default=CSRF_TRUSTED_ORIGINS)
LIVE_TICKET_SECONDS = 30  # a one-time ticket's life
LIVE_AUTH_WAIT_SECONDS = 10  # to send the ticket after connecting
LIVE_AUTH_CHECK_SECONDS = env.int("LIVE_AUTH_CHECK_SECONDS", default=60)  # token and account
LIVE_HEARTBEAT_SECONDS = env.int("LIVE_HEARTBEAT_SECONDS", default=10)  # the server's pings
LIVE_IDLE_SECONDS = env.int("LIVE_IDLE_SECONDS", default=25)  # silence before closing
LIVE_RESUME_SECONDS = 60  # what a reconnecting client can catch up on
LIVE_VITALS_INTERVAL = 0.25  # vitals per patient at most 4 a second
LIVE_MAX_WAITING_FRAMES = env.int("LIVE_MAX_WAITING_FRAMES", default=16)  # ECG frames, then drop
LIVE_RECORDING_HOURS = 1  # a live ECG recording is closed and the next begun this often

# ECG uploads larger than this are refused (413).
ECG_MAX_UPLOAD_MB = env.int("ECG_MAX_UPLOAD_MB", default=200)
WHITENOISE_USE_FINDERS = DEBUG

# Prometheus: /metrics answers a scraper that sends this bearer token; unset, it is not served.
# Under several processes set PROMETHEUS_MULTIPROC_DIR (`heartmon serve` does).
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_TLS_PROXY", default=False) else None
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "heartmon.core.middleware.RequestIdLogFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "plain",
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.request": {"level": "ERROR"}},
}
