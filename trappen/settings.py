"""Settings. Secure by default; TRAPPEN_DEBUG=1 (set by `make demo`) turns on debugging.

Environment:
    DATABASE_URL        postgres://user@host:port/name; unset means SQLite under var/.
    TRAPPEN_SECRET_KEY  the secret key; unset means one generated once into var/secret_key.
    TRAPPEN_AUDIT_KEY   the audit log's signing key (required in production; docs/audit.md).
    TRAPPEN_AUDIT_ANCHOR_FILE  where audit checkpoints are appended outside the database.
    TRAPPEN_DB_APP_ROLE the PostgreSQL role the application runs as (docs/audit.md).
    TRAPPEN_DEBUG       1 for the local demo only.
    TRAPPEN_DEV_TOOLS   1 to have `trappen demo` and `trappen benchmark` without debugging (a test
                        or benchmark machine); they are absent from a production installation.
    TRAPPEN_ALLOWED_HOSTS  comma-separated host names for production.
    TRAPPEN_PSEUDONYM_SECRET  the pseudonym key when several databases must agree (docs/privacy.md);
                        unset means one drawn once per database.
    TRAPPEN_RETENTION_YEARS  years after the last case closed before `trappen retention`
                        anonymises a child (default 5; docs/privacy.md).
    TRAPPEN_SDQ_ITEM_TEXTS  path of a JSON file with the municipality's licensed SDQ item
                        texts (docs/wellbeing.md); unset: item numbers and neutral labels.
    TRAPPEN_ACCESS_CONTACT  whom to call about access to a case, shown on the "no access" page
                        (e.g. "Myndighedsafdelingen, tlf. 1234 5678"); unset: only team leaders.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("TRAPPEN_VAR_DIR", BASE_DIR.parent / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = os.environ.get("TRAPPEN_DEBUG") == "1"
# The demo municipality and the benchmarks wipe and build databases: development tools only.
DEV_TOOLS = DEBUG or os.environ.get("TRAPPEN_DEV_TOOLS") == "1"


def _secret_key() -> str:
    if key := os.environ.get("TRAPPEN_SECRET_KEY"):
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()


def _audit_key() -> tuple[str, str]:
    """The audit log's signing key and where it came from. It must live outside the database:
    in production the environment (the WSGI entry refuses to start without it, docs/audit.md);
    the demo and the tests draw one once into var/audit_key."""
    if key := os.environ.get("TRAPPEN_AUDIT_KEY"):
        return key, "environment"
    path = VAR_DIR / "audit_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip(), "file"


TRAPPEN_AUDIT_KEY, TRAPPEN_AUDIT_KEY_SOURCE = _audit_key()
# Where each checkpoint of the audit log is also written, outside the database (docs/audit.md).
TRAPPEN_AUDIT_ANCHOR_FILE = Path(
    os.environ.get("TRAPPEN_AUDIT_ANCHOR_FILE", VAR_DIR / "audit-anchors.log")
)
# On PostgreSQL: the role the application connects as; migrations grant it what it needs and no
# more (it cannot change, delete or truncate the audit log, nor disable its triggers).
TRAPPEN_DB_APP_ROLE = os.environ.get("TRAPPEN_DB_APP_ROLE", "")
ALLOWED_HOSTS = [
    h for h in os.environ.get("TRAPPEN_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "trappen.organisation",
    "trappen.rules",
    "trappen.catalogue",
    "trappen.cases",
    "trappen.intake",
    "trappen.investigations",
    "trappen.plans",
    "trappen.measures",
    "trappen.followups",
    "trappen.notices",
    "trappen.dashboards",
    "trappen.interchange",
    "trappen.evaluation",
    "trappen.access",
    "trappen.consent",
    "trappen.audit",
    "trappen.security",
    "trappen.drafts",
    "trappen.privacy",
    "trappen.meetings",
    "trappen.activities",
    "trappen.network",
    "trappen.casefile",
    "trappen.api",
    "trappen.operations",
    "trappen.wellbeing",
    "trappen.simulation",
    *(["trappen.demo"] if DEV_TOOLS else []),
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Danish unless the user chose another language (cookie), whatever the browser prefers.
    "trappen.common.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Logs out after TRAPPEN_IDLE_TIMEOUT_MINUTES without a request (needs auth and messages).
    "trappen.security.middleware.IdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Content-Security-Policy and Permissions-Policy (docs/security.md).
    "trappen.security.middleware.SecurityHeadersMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Collects what a request read or changed and writes its audit entries (F4).
    "trappen.audit.middleware.AuditMiddleware",
]

ROOT_URLCONF = "trappen.urls"
WSGI_APPLICATION = "trappen.wsgi.application"

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
                "trappen.notices.context_processors.unread_notices",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'trappen.sqlite3'}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers take the lock when their transaction begins, so two requests appending to the
    # audit chain at once queue instead of colliding on the next sequence number.
    DATABASES["default"].setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"
if replica_url := os.environ.get("DATABASE_REPLICA_URL"):
    # A read replica for the steering's figures (trappen/common/replica.py).
    DATABASES["replica"] = dj_database_url.parse(replica_url, conn_max_age=60)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["trappen.common.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "organisation.User"

PASSWORD_HASHERS = [
    # argon2id with OWASP's parameters (trappen/security/hashers.py); it also reads, and
    # upgrades at login, hashes made with Django's Argon2 defaults (same algorithm name).
    "trappen.security.hashers.TrappenArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Login throttling and the CPR lookup's limits (F6; trappen/security/lockout.py, ratelimit.py,
# docs/security.md#authentication). Django's model backend sits behind the throttle.
AUTHENTICATION_BACKENDS = ["trappen.security.backends.LockoutModelBackend"]
TRAPPEN_LOGIN_MAX_FAILURES = 5  # one username from one address, before the back-off
TRAPPEN_LOGIN_USERNAME_MAX_FAILURES = 20  # one username from every address
TRAPPEN_LOGIN_ADDRESS_MAX_FAILURES = 50  # one address, every username (a proxy is one address)
TRAPPEN_LOGIN_BACKOFF_BASE = timedelta(seconds=1)  # doubled per failure over the limit ...
TRAPPEN_LOGIN_BACKOFF_CAP = timedelta(minutes=15)  # ... up to this
TRAPPEN_LOGIN_FAILURE_WINDOW = timedelta(minutes=15)  # quiet time that resets; audit window
TRAPPEN_LOGIN_KNOWN_ADDRESS = timedelta(days=30)  # after a login, only the pair counts there
# Reverse proxies in front that append to X-Forwarded-For (0: use REMOTE_ADDR).
TRAPPEN_LOGIN_TRUSTED_PROXIES = int(os.environ.get("TRAPPEN_LOGIN_TRUSTED_PROXIES", "0"))
TRAPPEN_CPR_LOOKUPS_PER_MINUTE = 10  # per user: notification form and access-report lookups
TRAPPEN_CPR_LOOKUPS_PER_DAY = 200
# Calls per API token in each clock minute (trappen/api/throttle.py, docs/api.md); 429 above.
TRAPPEN_API_CALLS_PER_MINUTE = int(os.environ.get("TRAPPEN_API_CALLS_PER_MINUTE", "600"))
TRAPPEN_IDLE_TIMEOUT_MINUTES = 30
TRAPPEN_ACCESS_CONTACT = os.environ.get("TRAPPEN_ACCESS_CONTACT", "")  # the "no access" page
PSEUDONYM_SECRET = os.environ.get("TRAPPEN_PSEUDONYM_SECRET", "")
RETENTION_YEARS = int(os.environ.get("TRAPPEN_RETENTION_YEARS", "5"))

# E-mail (reminders, docs/reminders.md): SMTP from the environment; without a host (the demo)
# messages are printed to the console instead of sent.
EMAIL_HOST = os.environ.get("TRAPPEN_EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = int(os.environ.get("TRAPPEN_EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("TRAPPEN_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("TRAPPEN_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("TRAPPEN_EMAIL_TLS", "1") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("TRAPPEN_EMAIL_FROM", "trappen@localhost")
# The address users reach trappen at, for the links in e-mails.
TRAPPEN_BASE_URL = os.environ.get("TRAPPEN_BASE_URL", "http://127.0.0.1:8000")

# --- Files and steering limits (F6 points 8 and 9; docs/interchange.md, docs/steering.md) ---
# The largest CSV file `trappen import` and `trappen evaluate FOLDER` read, in MB (2**20 bytes).
TRAPPEN_IMPORT_MAX_FILE_MB = float(os.environ.get("TRAPPEN_IMPORT_MAX_FILE_MB", "64"))
# The steering's figures are kept in a cache shared by every worker (signed rows in the
# database, evaluation.CachedFigures: Django's database cache would unpickle whatever its table
# holds), at most this many results, each until the data changes and at most this long.
TRAPPEN_STEERING_CACHE_ENTRIES = 200
TRAPPEN_STEERING_CACHE_SECONDS = 15 * 60
# At most this many evaluations run at once, across all workers (slot rows in the database); one
# more gets "try again in a moment" (503). A slot a crashed worker held frees itself after the
# lease.
TRAPPEN_STEERING_MAX_EVALUATIONS = 2
TRAPPEN_STEERING_LEASE_SECONDS = 120
# The longest period (and comparison period) the steering pages compute, in years.
TRAPPEN_STEERING_MAX_YEARS = 30
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboards:home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "da"
LANGUAGES = [("da", "Dansk"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Secure defaults; the local demo runs over plain http, so only it relaxes the cookie flags.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 60 * 60  # a working day at most, idle or not
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Pages send the token in a header from the template (base.html), so no script reads the cookie.
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Every handler masks CPR-like numbers (the security app also masks in the record factory, so
# handlers added at run time do too). Request bodies and URLs may carry case data: never log them.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "mask_cpr": {"()": "trappen.security.logging.MaskCprFilter"},
        "redact_feed_tokens": {"()": "trappen.followups.logging.RedactFeedTokenFilter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["mask_cpr", "redact_feed_tokens"],
        },
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "django": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

# The municipality's licensed SDQ item texts, a JSON file outside the repository
# (trappen/wellbeing/texts.py); unset, the entry form shows item numbers and neutral labels.
TRAPPEN_SDQ_ITEM_TEXTS = os.environ.get("TRAPPEN_SDQ_ITEM_TEXTS", "")
