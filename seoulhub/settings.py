"""Django settings, read from the environment with safe defaults.

Development (the default) needs nothing but this checkout: an SQLite file in ./var, a secret
key generated on first run and kept in ./var/secret_key, the database task worker.
SEOULHUB_ENV=production requires SECRET_KEY and ALLOWED_HOSTS and turns on every setting that
`manage.py check --deploy` asks for.
"""

import ipaddress
import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
REPO_DIR = BASE_DIR.parent
DATA_DIR = Path(os.environ.get("SEOULHUB_DATA_DIR", REPO_DIR / "data"))
VAR_DIR = Path(os.environ.get("SEOULHUB_VAR_DIR", REPO_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)
# The radar search's vector index file, mapped by every web process (docs/search.md).
SEARCH_VECTOR_INDEX = Path(os.environ.get("SEOULHUB_SEARCH_VECTOR_INDEX", VAR_DIR / "search" / "vectors.usearch"))

ENVIRONMENT = os.environ.get("SEOULHUB_ENV", "development")
PRODUCTION = ENVIRONMENT == "production"


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def _env_int(name: str, default: int, minimum: int = 0) -> int:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        number = int(value.strip())
    except ValueError:
        number = None
    if number is None or number < minimum:
        raise ImproperlyConfigured(f"{name} must be a whole number of at least {minimum}, not {value!r}.")
    return number


def _trusted_proxies(name: str) -> int | list[str]:
    """A count of proxies ("1") or their networks ("10.0.0.0/8, 127.0.0.1"); 0 when unset."""
    value = (os.environ.get(name) or "").strip()
    if not value:
        return 0
    if value.isascii() and value.isdigit():
        return int(value)
    networks = [item.strip() for item in value.split(",") if item.strip()]
    for network in networks:
        try:
            ipaddress.ip_network(network, strict=False)
        except ValueError:
            raise ImproperlyConfigured(
                f"{name} is a number of proxies or a comma-separated list of their addresses or networks "
                f"(e.g. 10.0.0.0/8); {network!r} is neither."
            ) from None
    return networks


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("SEOULHUB_ENV=production needs SECRET_KEY in the environment.")
    # Development: generate once and keep it, so sessions survive restarts.
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = _env_bool("DEBUG", not PRODUCTION)
ALLOWED_HOSTS = _env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("SEOULHUB_ENV=production needs ALLOWED_HOSTS (comma-separated).")
CSRF_TRUSTED_ORIGINS = _env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",  # /api/v1/docs serves Swagger UI from ninja's static files, not from a CDN
    "django_tasks",
    "django_tasks_db",
    "seoulhub.core",
    "seoulhub.accounts",
    # Sign-up, e-mail verification, password reset. The hub's templates (seoulhub/templates/
    # allauth, account) and Korean wording (LOCALE_PATHS) win over the ones allauth ships.
    "allauth",
    "allauth.account",
    "seoulhub.taxonomy",
    "seoulhub.radar",
    "seoulhub.support",
    "seoulhub.pilots",
    "seoulhub.observatory",
    "seoulhub.landscape",
    "seoulhub.alerts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "seoulhub.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "seoulhub.core.middleware.KoreanFirstLocaleMiddleware",
    "seoulhub.core.middleware.RejectUnstorableTextMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "seoulhub.urls"
WSGI_APPLICATION = "seoulhub.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "seoulhub.core.context_processors.hub",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'seoulhub.sqlite3'}"),
        conn_max_age=_env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Connections persist (DB_CONN_MAX_AGE) as on PostgreSQL: a new SQLite connection per request
    # starts with an empty page cache and re-runs the PRAGMAs, which cut the firm dashboard's
    # throughput by two thirds in the load test (docs/quality.md). `seoulhub restore` already
    # requires the web and worker processes to be stopped, so no connection outlives its file.
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the web server read while the worker writes; IMMEDIATE avoids
        # "database is locked" on read-then-write transactions.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA busy_timeout=10000; PRAGMA cache_size=-64000; PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("SEOULHUB_TEST_DB") or None}
else:
    # One test database per test process, so runs in parallel (developers, CI) never collide.
    DATABASES["default"]["TEST"] = {
        "NAME": os.environ.get("SEOULHUB_TEST_DB") or f"test_{DATABASES['default']['NAME']}_{os.getpid()}"
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Accounts (django-allauth, docs/accounts.md): people sign up with an e-mail address, which they
# must verify before they can sign in; the username stays for accounts an operator creates
# (createsuperuser, the demo's example accounts) and is generated for people who sign up.
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
ACCOUNT_ADAPTER = "seoulhub.accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"login": "seoulhub.accounts.forms.LoginForm"}
ACCOUNT_LOGIN_METHODS = {"email", "username"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True  # one address per person: a new one replaces the old once verified
ACCOUNT_CONFIRM_EMAIL_ON_GET = False  # a mail scanner following the link must not confirm it
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_SESSION_REMEMBER = None  # ask ("remember me")
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""  # the adapter prefixes the hub's name, translated
# The demo's example accounts' names (seoulhub.accounts.demo) are never generated for someone
# who signs up, so the demo loader cannot hand a role to a stranger's account.
ACCOUNT_USERNAME_BLACKLIST = ["operator", "official", "firm", "admin", "administrator", "root", "staff"]
# allauth's limits, on the cache like the hub's own; failed sign-ins are limited by the hub's
# view instead (per account and client address, seoulhub.accounts.views), so that a stranger
# cannot lock an account out for everyone as allauth's per-account limit would.
ACCOUNT_RATE_LIMITS = {
    "login_failed": None,
    "login": "30/m/ip",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
}

# Korean first: the UI is Korean unless the user picks English (cookie).
LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", _("Korean")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on every start when it is missing
STATICFILES_DIRS = [BASE_DIR / "static"]
try:  # plotly ships its JavaScript in the Python package: charts work offline.
    import plotly

    STATICFILES_DIRS.append(("vendor/plotly", Path(plotly.__file__).parent / "package_data"))
except ImportError:  # pragma: no cover - plotly is a hard dependency
    pass
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
MEDIA_ROOT = VAR_DIR / "media"
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
SEOULHUB_MAX_UPLOAD_BYTES = _env_int("SEOULHUB_MAX_UPLOAD_BYTES", 10 * 1024 * 1024, minimum=1)
# Items stored per ingest transaction: larger batches write each trend counter and index page
# fewer times; a crash re-processes at most one batch (docs/radar.md).
RADAR_STORE_BATCH = _env_int("SEOULHUB_STORE_BATCH", 2000, minimum=1)

# Tasks: the database worker needs nothing else; Redis/RQ for several machines.
TASKS_BACKEND = os.environ.get("SEOULHUB_TASKS", "db")
if TASKS_BACKEND == "rq":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
elif TASKS_BACKEND == "immediate":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Cache (rate-limit counters, computed pages): per process by default; share it between
# gunicorn workers and machines with CACHE_URL=redis://...
if os.environ.get("CACHE_URL"):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["CACHE_URL"]}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "seoulhub"}}

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if PRODUCTION else "django.core.mail.backends.filebased.EmailBackend",
)
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = _env_int("EMAIL_PORT", 25, minimum=1)
# SMTP in production (docs/deploy.md): sign-up verification and password reset depend on it.
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("EMAIL_USE_TLS", False)  # STARTTLS, usually on port 587
EMAIL_USE_SSL = _env_bool("EMAIL_USE_SSL", False)  # TLS from the start, usually on port 465
EMAIL_TIMEOUT = _env_int("EMAIL_TIMEOUT", 20, minimum=1)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("Set EMAIL_USE_TLS (STARTTLS, port 587) or EMAIL_USE_SSL (port 465), not both.")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Seoul Digital Hub <hub@localhost>")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

# Alerts (docs/alerts.md): webhook addresses pass the fetcher's address guard; private and
# loopback addresses are refused unless listed here (tests list 127.0.0.1). A failed delivery is
# retried after SEOULHUB_ALERT_RETRY_SECONDS, doubling each time, SEOULHUB_ALERT_ATTEMPTS times in all.
SEOULHUB_WEBHOOK_ALLOW = _env_list("SEOULHUB_WEBHOOK_ALLOW", [])
SEOULHUB_WEBHOOK_TIMEOUT = float(os.environ.get("SEOULHUB_WEBHOOK_TIMEOUT", "10"))
SEOULHUB_ALERT_RETRY_SECONDS = _env_int("SEOULHUB_ALERT_RETRY_SECONDS", 300, minimum=1)
SEOULHUB_ALERT_ATTEMPTS = _env_int("SEOULHUB_ALERT_ATTEMPTS", 6, minimum=1)
# New digests are planned from this local hour on (retries run whenever the command runs).
SEOULHUB_DIGEST_HOUR = _env_int("SEOULHUB_DIGEST_HOUR", 6, minimum=0)

# Outbound fetching (radar). Private and loopback addresses are refused unless listed here.
SEOULHUB_FETCH_ALLOW = _env_list("SEOULHUB_FETCH_ALLOW", [])
SEOULHUB_FETCH_MAX_BYTES = _env_int("SEOULHUB_FETCH_MAX_BYTES", 5 * 1024 * 1024, minimum=1)
SEOULHUB_FETCH_TIMEOUT = float(os.environ.get("SEOULHUB_FETCH_TIMEOUT", "20"))  # per read
# The whole fetch of one URL (redirects, retries, every read), as Miniflux bounds it.
SEOULHUB_FETCH_DEADLINE = float(os.environ.get("SEOULHUB_FETCH_DEADLINE", "20"))
# A gzipped feed or listing unpacks to at most this much (a gzip bomb stops here).
SEOULHUB_FEED_MAX_UNPACKED_BYTES = _env_int("SEOULHUB_FEED_MAX_UNPACKED_BYTES", 64 * 1024 * 1024, minimum=1)

SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy (seoulhub.core.middleware): scripts, styles, fonts and requests only
# from the hub's own origin; no inline script or style (charts read their figures from data-
# attributes, htmx's indicator style is in seoulhub.css, plotly's in seoulhub/plotly.css). The one
# style attribute allowed is the empty one plotly's colour bar sets (the hash is sha256("")).
# `data:` images are Swagger UI's icons.
SEOULHUB_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "style-src-attr": ["'unsafe-hashes'", "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
if PRODUCTION:
    SECURE_SSL_REDIRECT = _env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = _env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {"seoulhub": {"level": os.environ.get("SEOULHUB_LOG_LEVEL", "INFO"), "propagate": True}},
}

# API pagination contract: limit (1..200, default 50) and offset (>= 0).
NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 200
NINJA_PAGINATION_CLASS = "seoulhub.pagination.BoundedLimitOffsetPagination"
# API rate limits per client address (anonymous) or per user (token/session).
SEOULHUB_API_RATE_ANON = os.environ.get("SEOULHUB_API_RATE_ANON", "600/m")
SEOULHUB_API_RATE_USER = os.environ.get("SEOULHUB_API_RATE_USER", "2400/m")
# The reverse proxies whose X-Forwarded-For the hub believes (docs/deploy.md): how many stand in
# front of it, or their networks. Unset, the header is ignored: anyone can write it.
# seoulhub.accounts.ratelimit.client_ip reads it for the API throttles and the sign-in limiter.
SEOULHUB_TRUSTED_PROXIES = _trusted_proxies("SEOULHUB_TRUSTED_PROXIES")
