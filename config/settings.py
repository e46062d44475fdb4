"""Settings for Cluster Casebook: one file, driven by environment variables.

Unset ``DATABASE_URL`` means SQLite under ``var/``; unset ``REDIS_URL`` means
Celery tasks run eagerly in-process and the cache is local memory. With
``DEBUG`` off (the default) the secrets must come from the environment and
start-up fails with a message that names the missing variable.
"""

import os
import secrets
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _
from xstatic.pkg import bootstrap as xstatic_bootstrap

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CASEBOOK_VAR_DIR", BASE_DIR / "var"))


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name, default):
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


DEBUG = env_bool("DEBUG")
# Under pytest: fast hashing, plain static storage, and, unless the integration
# suite asks for the real services (CASEBOOK_INTEGRATION=1), SQLite and eager tasks.
TESTING = env_bool("CASEBOOK_TESTING", "pytest" in sys.modules)
INTEGRATION = TESTING and env_bool("CASEBOOK_INTEGRATION")
if TESTING and not INTEGRATION:
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)


def _dev_secret_key():
    """A random key kept under var/ so that DEBUG sessions survive restarts."""
    path = VAR_DIR / "dev-secret-key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG or TESTING:
        SECRET_KEY = _dev_secret_key() if DEBUG else "test-only-" + "x" * 50
    else:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment (at least 50 random characters), "
            "or set DEBUG=1 for local development."
        )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG or TESTING else "")
if not ALLOWED_HOSTS and not DEBUG:
    raise ImproperlyConfigured("ALLOWED_HOSTS is not set: give the host names the site answers to, comma-separated.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # the default widget templates, for the project's renderer below
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "simple_history",
    "import_export",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "clusters",
    "surveys",
    "instruments",
    "reports",
    "mapping",
    "openrosa",
    # Above the others: the homes and the dashboard read them all, none of them reads it.
    "home",
    "api",
]

# Widgets render with the project's templates too (templates/surveys/widgets/…).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Django's, with a database that cannot save the session answered 503 "try again" (config.middleware).
    "config.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Signed-in pages, files and API answers say Cache-Control: private, no-store (config.caching).
    "config.caching.PrivateResponsesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # A NUL character anywhere in the input is refused with a 400 before any view runs.
    "config.middleware.RefuseNulMiddleware",
    # Last: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # Counts failed logins and refuses further attempts during the cool-off (django-axes).
    # config.signin adds a limit per client address across user names.
    "config.signin.AddressLimitBackend",
    # Django's ModelBackend, which also keeps the HTTP Digest secret that ODK Collect signs in with
    # (openrosa.auth: valid only while the password it came from is unchanged).
    "openrosa.auth.DigestRecordingBackend",
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
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "clusters.access.navigation",
            ],
        },
    },
]

# Database: PostgreSQL in production, SQLite when DATABASE_URL is unset.
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'casebook.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        # Reconnect after a database restart instead of failing requests.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Covering indexes (INCLUDE columns, e.g. clusters.Actor's kind and size) are a PostgreSQL
    # speed-up; SQLite builds them as plain indexes, which is all the embedded default needs.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
else:
    # Server-side cursors (Django's default for .iterator() and a select box's options) cost a
    # DECLARE ... WITH HOLD round trip and a copy at commit; they break behind PgBouncer's transaction
    # pooling too. Exports read in bounded chunks instead (surveys/exports.py).
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Login throttling: after AXES_FAILURE_LIMIT wrong passwords for one user name from one address,
# that pair is locked out for AXES_COOLOFF_MINUTES; after CASEBOOK_LOGIN_FAILURES_PER_ADDRESS wrong
# passwords from one address, whatever the user names, that address is (config.signin). Attempts, lockouts
# and successful logins are kept in the admin (Axes: access attempts, access logs, access failures) and logged.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
# Four eyes: a measurement is approved by someone other than whoever recorded or corrected it. A one-person
# team turns this on; each approval of one's own measurement is then marked as such on its pages.
CASEBOOK_ALLOW_SELF_APPROVAL = env_bool("CASEBOOK_ALLOW_SELF_APPROVAL", False)
CASEBOOK_LOGIN_FAILURES_PER_ADDRESS = env_int("CASEBOOK_LOGIN_FAILURES_PER_ADDRESS", 30)
# Behind a reverse proxy the client's address is read from X-Forwarded-For, but only on requests that come
# from these proxies (addresses or networks, comma-separated: "127.0.0.1" or "10.0.0.0/8,172.16.0.0/12").
# Empty: the connection's own address (REMOTE_ADDR) is the client's. See docs/deployment.md.
CASEBOOK_TRUSTED_PROXIES = env_list("CASEBOOK_TRUSTED_PROXIES")
AXES_CLIENT_IP_CALLABLE = "config.signin.client_address"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Language: Spanish (Peru) first, English second.
LANGUAGE_CODE = "es"
LANGUAGES = [("es", _("Spanish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "America/Lima"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "casebook_language"

# Static files: the project's own plus Bootstrap from the xstatic-bootstrap package.
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static", ("bootstrap", xstatic_bootstrap.BASE_DIR)]
# In development and tests whitenoise serves straight from the finders; production runs collectstatic.
WHITENOISE_USE_FINDERS = DEBUG or TESTING
WHITENOISE_AUTOREFRESH = DEBUG

# Media (uploads and reports) is private: no URL route serves MEDIA_URL (it only
# has to be set); every file is streamed by a view that checks permission.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/private-media-not-served/"

STORAGES = {
    "default": {"BACKEND": os.environ.get("FILE_STORAGE", "django.core.files.storage.FileSystemStorage")},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
if STORAGES["default"]["BACKEND"].startswith("storages.backends.s3"):
    # S3-compatible object storage (django-storages, extra "s3"): private, signed URLs off,
    # files are streamed through the permission-checking views.
    STORAGES["default"]["OPTIONS"] = {
        "bucket_name": os.environ.get("S3_BUCKET", ""),
        "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
        "region_name": os.environ.get("S3_REGION") or None,
        "default_acl": "private",
        "querystring_auth": True,
        "file_overwrite": False,
    }

FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

# Celery: Redis when REDIS_URL is set, otherwise tasks run in-process.
REDIS_URL = os.environ.get("REDIS_URL", "")
# Nothing relies on a shared cache (sessions and login attempts live in the database), so a
# per-process memory cache keeps every page working when Redis is down.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The API's rate limits count requests per token in a cache that every server process shares: Redis when
# REDIS_URL is set. api.throttling lets requests through (and logs it) when that cache cannot be reached.
CACHES["api"] = (
    {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": "api"}
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "api"}
)

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
# An eager task's failure is recorded on its job row, not raised into the request.
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TRACK_STARTED = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # A message taken by a worker that dies is delivered again after this many seconds.
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600),
    # Fail fast when Redis is down, so that a request is not held for minutes.
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 1,
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 2,
    # Without this a task sent while Redis is down waits ~20 s for the result store before failing.
    "retry_policy": {"max_retries": 1, "interval_start": 0, "interval_step": 0.5, "interval_max": 0.5},
}
# Publishing a task gives up after ~1 s when the broker refuses connections, so that asking for a report
# never hangs the request: the job waits and is queued again later. A broker that accepts connections but
# does not answer (a hung Redis) is given CASEBOOK_REPORT_PUBLISH_TIMEOUT seconds in all (reports.services).
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5, "interval_max": 0.5}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Scripts only from our own origin: no inline script anywhere in the templates.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
# Sliding expiry: a session ends after SESSION_COOKIE_AGE seconds without activity.
SESSION_SAVE_EVERY_REQUEST = True

if not DEBUG and not TESTING:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    LANGUAGE_COOKIE_HTTPONLY = True

ADMINS = [("Casebook", email) for email in env_list("ADMIN_EMAILS")]
MAILERS = {
    "default": {
        "BACKEND": os.environ.get(
            "EMAIL_BACKEND",
            "django.core.mail.backends.console.EmailBackend"
            if DEBUG or TESTING
            else "django.core.mail.backends.smtp.EmailBackend",
        ),
        "OPTIONS": {}
        if DEBUG or TESTING
        else {
            "host": os.environ.get("EMAIL_HOST", "localhost"),
            "port": env_int("EMAIL_PORT", 587),
            "username": os.environ.get("EMAIL_HOST_USER", ""),
            "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS", True),
        },
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "casebook@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "stream": sys.stderr}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # django-axes announces itself at every start at INFO; its lockout warnings still come through.
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes.apps": {"level": "WARNING"}},
}

# Limits shared by the apps.
CASEBOOK_MAX_ATTACHMENT_BYTES = env_int("CASEBOOK_MAX_ATTACHMENT_BYTES", 20 * 1024 * 1024)
# What one OpenRosa post may carry (X-OpenRosa-Accept-Content-Length): Collect splits larger
# submissions into several posts. Files above FILE_UPLOAD_MAX_MEMORY_SIZE go to temporary files.
CASEBOOK_OPENROSA_MAX_POST_BYTES = env_int(
    "CASEBOOK_OPENROSA_MAX_POST_BYTES", CASEBOOK_MAX_ATTACHMENT_BYTES + 5 * 1024 * 1024
)
CASEBOOK_MAX_IMPORT_BYTES = env_int("CASEBOOK_MAX_IMPORT_BYTES", 5 * 1024 * 1024)
CASEBOOK_REPORT_RETENTION_DAYS = env_int("CASEBOOK_REPORT_RETENTION_DAYS", 180)

# Report jobs (docs/reports.md). A worker heartbeats every CASEBOOK_REPORT_HEARTBEAT_SECONDS while it
# builds; a running job whose heartbeat is older than CASEBOOK_REPORT_STALE_SECONDS lost its worker and
# is marked failed by the sweep. A build is stopped after CASEBOOK_REPORT_TIME_LIMIT seconds.
CASEBOOK_REPORT_HEARTBEAT_SECONDS = env_int("CASEBOOK_REPORT_HEARTBEAT_SECONDS", 15)
CASEBOOK_REPORT_STALE_SECONDS = env_int("CASEBOOK_REPORT_STALE_SECONDS", 60)
CASEBOOK_REPORT_TIME_LIMIT = env_int("CASEBOOK_REPORT_TIME_LIMIT", 600)
# Runs of one request, counting those taken over from a crashed worker process (then it fails for good).
CASEBOOK_REPORT_MAX_ATTEMPTS = env_int("CASEBOOK_REPORT_MAX_ATTEMPTS", 3)
# Temporary failures (database, storage) are retried this many times, 5 s, 10 s, 20 s ... apart, at most 5 min.
CASEBOOK_REPORT_MAX_RETRIES = env_int("CASEBOOK_REPORT_MAX_RETRIES", 5)
CASEBOOK_REPORT_RETRY_BACKOFF = env_int("CASEBOOK_REPORT_RETRY_BACKOFF", 5)
CASEBOOK_REPORT_RETRY_BACKOFF_MAX = env_int("CASEBOOK_REPORT_RETRY_BACKOFF_MAX", 300)
# A job the broker refused is offered to it again by the sweep at most this often.
CASEBOOK_REPORT_REQUEUE_SECONDS = env_int("CASEBOOK_REPORT_REQUEUE_SECONDS", 30)
# Seconds a report request waits for the broker to take its message before telling the person that the queue
# is not answering (the request is saved, and sent by the sweep when the queue is back).
CASEBOOK_REPORT_PUBLISH_TIMEOUT = float(os.environ.get("CASEBOOK_REPORT_PUBLISH_TIMEOUT") or 3)
# The sweep runs every CASEBOOK_REPORT_SWEEP_SECONDS in each Celery worker (and in the web process when tasks
# run in-process), never in a page view: reports.sweeper. 0 turns it off (then run `manage.py sweep_reports`).
CASEBOOK_REPORT_SWEEP_SECONDS = env_int("CASEBOOK_REPORT_SWEEP_SECONDS", 30)
# A queued job whose message is in the broker neither waiting nor taken (Redis restarted without its data) is
# handed to the queue again this long after it was sent.
CASEBOOK_REPORT_LOST_SECONDS = env_int("CASEBOOK_REPORT_LOST_SECONDS", 60)
# Reports one person may have waiting or being built at once (asking for the same one again shows it).
CASEBOOK_REPORT_MAX_ACTIVE_PER_USER = env_int("CASEBOOK_REPORT_MAX_ACTIVE_PER_USER", 3)
# Test hook, set only by the integration suite in its worker's environment: seconds to pause at each
# progress step, so that a test can kill a worker or drop its database connection in the middle of a build.
CASEBOOK_TEST_REPORT_STEP_DELAY = float(os.environ.get("CASEBOOK_TEST_REPORT_STEP_DELAY") or 0)
if CASEBOOK_REPORT_STALE_SECONDS <= 2 * CASEBOOK_REPORT_HEARTBEAT_SECONDS:
    raise ImproperlyConfigured(
        "CASEBOOK_REPORT_STALE_SECONDS must be more than twice CASEBOOK_REPORT_HEARTBEAT_SECONDS, "
        "or live workers would be taken for dead ones."
    )
if CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] <= CASEBOOK_REPORT_TIME_LIMIT + 60:
    raise ImproperlyConfigured(
        "CELERY_VISIBILITY_TIMEOUT must be longer than CASEBOOK_REPORT_TIME_LIMIT + 60 s, "
        "or Redis would hand a report that is still being built to a second worker."
    )

# The API (docs/api.md): Django REST framework under /api/v1/, its OpenAPI schema at /api/schema/.
REST_FRAMEWORK = {
    # Token first: a request without credentials gets 401 with "WWW-Authenticate: Bearer".
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.FollowsTheMatrix"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer", "api.renderers.BrowsableAPIRenderer"],
    "DEFAULT_PARSER_CLASSES": ["api.parsers.ExactJSONParser", "rest_framework.parsers.FormParser"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Cursor",
    "PAGE_SIZE": 25,
    "DEFAULT_FILTER_BACKENDS": ["api.filters.PageFilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.PerTokenThrottle"],
    "EXCEPTION_HANDLER": "api.problems.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Numbers as numbers; money is written as {"amount": "1500.00", "currency": "PEN"} (api.fields.Money).
    "COERCE_DECIMAL_TO_STRING": False,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
# Requests per token (or per signed-in person using the browsable API), e.g. "600/minute".
CASEBOOK_API_RATE = os.environ.get("CASEBOOK_API_RATE", "600/minute")
# Longest life of a personal API token, in days.
CASEBOOK_API_TOKEN_MAX_DAYS = env_int("CASEBOOK_API_TOKEN_MAX_DAYS", 365)
SPECTACULAR_SETTINGS = {
    "TITLE": "Cluster Casebook API",
    "DESCRIPTION": (
        "Clusters, actors, their ties, questionnaires, interviews with typed answers, interventions, "
        "indicators and reports, scoped to what the token's owner may see. Guide: docs/api.md."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_AUTHENTICATION": [
        "api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Swagger UI and Redoc from the installed drf-spectacular-sidecar package, never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ActorKind": "clusters.models.Actor.Kind",
        "TieKind": "clusters.models.Relationship.Kind",
        "ActivityKind": "instruments.models.Activity.Kind",
        "ClusterStatus": "clusters.models.Cluster.Status",
        "InterviewStatus": "surveys.models.Interview.Status",
        "VersionStatus": "surveys.models.QuestionnaireVersion.Status",
        "InterventionStatus": "instruments.models.Intervention.Status",
        "MeasurementStatus": "instruments.models.Measurement.Status",
        "ReportStatus": "reports.models.ReportJob.Status",
    },
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "api.schema.add_problem_responses"],
}
# Identification of clusters (mapping/, docs/identification.md). The European Cluster Observatory gives a
# territory x activity one star for each of: size (its employment among the top share of territories for
# that activity), specialisation (location quotient at least the threshold) and focus (the activity's
# share of the territory's employment among the top share of territories).
MAPPING_STAR_SIZE_TOP_SHARE = float(os.environ.get("MAPPING_STAR_SIZE_TOP_SHARE", "0.10"))
MAPPING_STAR_SPECIALISATION_LQ = float(os.environ.get("MAPPING_STAR_SPECIALISATION_LQ", "2.0"))
MAPPING_STAR_FOCUS_TOP_SHARE = float(os.environ.get("MAPPING_STAR_FOCUS_TOP_SHARE", "0.10"))
# The sensitivity check moves each prioritisation weight by this fraction, down and up.
MAPPING_SENSITIVITY_STEP = float(os.environ.get("MAPPING_SENSITIVITY_STEP", "0.20"))
# Economic data files are larger than actor lists: district x class tables run to tens of thousands of rows.
MAPPING_MAX_IMPORT_BYTES = env_int("MAPPING_MAX_IMPORT_BYTES", 20 * 1024 * 1024)
MAPPING_MAX_IMPORT_ROWS = env_int("MAPPING_MAX_IMPORT_ROWS", 200_000)
