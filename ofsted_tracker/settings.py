"""Settings for ofsted-tracker: one file, read from the environment.

Check out, migrate, runserver: with no environment at all the site runs in
debug mode on an SQLite file beside manage.py. Production sets
DJANGO_DEBUG=false, DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and DATABASE_URL.
"""

import hashlib
import os
import tempfile
from datetime import timedelta
from pathlib import Path

from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_addresses(name: str) -> list[tuple[str, str]]:
    """ "Name <email>, Other Name <email>" as Django's ADMINS wants it: (name, email) pairs."""
    from email.utils import getaddresses

    value = os.environ.get(name, "")
    pairs = getaddresses([value]) if value.strip() else []
    for display_name, address in pairs:
        if "@" not in address or not display_name:
            raise ImproperlyConfigured(
                f"{name} must list people as 'Name <email>', separated by commas: {value!r}."
            )
    return pairs


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from error


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. With DJANGO_DEBUG=false the site will not "
            "start without a secret key: set DJANGO_SECRET_KEY to a long random value."
        )
    SECRET_KEY = "django-insecure-development-only-key-never-used-in-production"

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # Django's admin on a site that asks for a second factor (ofsted_tracker/two_factor.py).
    "ofsted_tracker.apps.TwoFactorAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "simple_history",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Login throttling: failed sign-ins recorded, listed in the admin, locked out after a few.
    "axes",
    "inspections",
]

MIDDLEWARE = [
    # First, so that every response and every log line written while serving it carries
    # the request id (ofsted_tracker/request_ids.py).
    "ofsted_tracker.request_ids.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "ofsted_tracker.csp_reports.ReportingEndpointsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Before anything reads a body (CSRF, forms, the admin's sign-in): a body too large
    # for the page gets the 413 page without being read (ofsted_tracker/body_limits.py).
    "ofsted_tracker.body_limits.RequestBodyLimitMiddleware",
    "ofsted_tracker.middleware.RefuseNulInQueryStringMiddleware",
    # Before sessions and the rest: a 304 or a kept page of a view that opted in with
    # @cached_public_page needs none of them (ofsted_tracker/http_cache.py).
    "ofsted_tracker.http_cache.AnswerCachedPagesEarlyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): signed in with a one-time code (ofsted_tracker/two_factor.py).
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After messages, so that "you were signed out after 30 minutes" can be shown.
    "ofsted_tracker.admin_sessions.AdminSessionTimeoutMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Records who made each change, including rows saved through admin inlines.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ofsted_tracker.urls"

# Only the admin shows messages, and its users have a session: keeping messages there
# spares every public request the signed-cookie check of the default storage.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

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
                "ofsted_tracker.context_processors.site_identity",
                "ofsted_tracker.context_processors.fragment_version",
            ],
        },
    },
]

WSGI_APPLICATION = "ofsted_tracker.wsgi.application"


def database_from_url(url: str) -> dict:
    import dj_database_url

    if not url.startswith(("postgres://", "postgresql://", "sqlite://")):
        raise ImproperlyConfigured(
            "DATABASE_URL must start with postgres://, postgresql:// or sqlite://."
        )
    config = dj_database_url.parse(url, conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config.setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"  # see below
    if config["ENGINE"] == "django.db.backends.postgresql":
        config["CONN_HEALTH_CHECKS"] = env_bool("DJANGO_CONN_HEALTH_CHECKS", True)
        config.setdefault("OPTIONS", {})["connect_timeout"] = env_int(
            "DJANGO_DB_CONNECT_TIMEOUT", 5
        )
    return config


DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": database_from_url(DATABASE_URL)}
else:
    # SQLite beside manage.py, so that a fresh checkout runs with no set-up.
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": BASE_DIR / "db.sqlite3",
            # A transaction takes the write lock when it begins, so that two admin saves
            # run one after the other and the second one's checks see the first one's
            # record (PostgreSQL gets the same from a row lock: admin/forms.py).
            "OPTIONS": {"transaction_mode": "IMMEDIATE"},
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def cache_from_environment() -> dict:
    """Django's cache, shared by every worker: Redis when REDIS_URL is set (every host
    then shares it too), otherwise files in DJANGO_CACHE_DIR, which every worker of one
    host shares. Its keys are prefixed with the database they describe, so two sites on
    one host (a test server beside a development one) never read each other's pages."""
    database = DATABASES["default"]
    where = f"{database['ENGINE']} {database.get('HOST', '')} {database.get('PORT', '')}"
    prefix = (
        "ofsted-"
        + hashlib.blake2b(f"{where} {database['NAME']}".encode(), digest_size=4).hexdigest()
    )
    # Never stale (every key carries the data version), so an hour only bounds the space.
    common = {"KEY_PREFIX": prefix, "TIMEOUT": 3600}
    redis_url = os.environ.get("REDIS_URL", "")
    if redis_url:
        if not redis_url.startswith(("redis://", "rediss://")):
            raise ImproperlyConfigured("REDIS_URL must start with redis:// or rediss://.")
        return common | {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
        }
    directory = os.environ.get("DJANGO_CACHE_DIR") or str(
        Path(tempfile.gettempdir()) / "ofsted-tracker-cache"
    )
    return common | {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": directory,
        "OPTIONS": {"MAX_ENTRIES": env_int("DJANGO_CACHE_MAX_ENTRIES", 20_000)},
    }


# One cache (ofsted_tracker/http_cache.py): the data version, the rendered public pages
# and the pieces they are drawn from, all under keys that carry the data version.
CACHES = {"default": cache_from_environment()}
# The rendered public pages are kept under their ETag and address; DJANGO_PAGE_CACHE=false
# draws every page afresh (the benchmark's and the snapshots' "uncached" runs).
PAGE_CACHE = env_bool("DJANGO_PAGE_CACHE", True)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# The council this site is run by: its name heads every page (the error pages too, which
# must not touch the database) and its history is the one shown when none is chosen.
SITE_COUNCIL = os.environ.get("DJANGO_SITE_COUNCIL", "west-sussex")
SITE_COUNCIL_NAME = os.environ.get("DJANGO_SITE_COUNCIL_NAME", "West Sussex County Council")
SITE_SERVICE_NAME = "Ofsted inspection history"
# Where to report a problem with the site or its accessibility, and ask about the data:
# set by whoever runs the site (the footer says when it is not set, rather than guess).
SITE_CONTACT_EMAIL = os.environ.get("DJANGO_SITE_CONTACT_EMAIL", "")

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "ofsted_tracker.static_storage.StaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# Production: behind a proxy that terminates TLS and sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
# Preloading commits the whole domain to HTTPS; DJANGO_SECURE_HSTS_PRELOAD=false opts out.
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# A load balancer probes the health check over plain HTTP on the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# No inline script or style anywhere, and no eval: htmx is configured by the
# <meta name="htmx-config"> in base.html (no indicator styles, no eval), and the admin's
# own templates in Django 5.2 carry no inline script or style either.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        # Violations are posted to ofsted_tracker/csp_reports.py and logged.
        "report-uri": "/csp-report",
        "report-to": "csp-endpoint",
    },
}

# Nothing on the site needs any of these browser features.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}

# Every line carries the request id it was written for (ofsted_tracker/request_ids.py);
# errors (500s among them) are also emailed to ADMINS when not debugging.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "ofsted_tracker.request_ids.RequestIdFilter"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "formatters": {
        "with_request_id": {
            "format": "%(asctime)s %(levelname)s %(name)s [request %(request_id)s] %(message)s"
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "with_request_id",
        },
        "mail_admins": {
            "level": "ERROR",
            "class": "django.utils.log.AdminEmailHandler",
            "filters": ["require_debug_false", "request_id"],
            "formatter": "with_request_id",
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
    "loggers": {"django": {"handlers": ["mail_admins"], "propagate": True}},
}

# Login throttling (django-axes). The axes backend comes first so that a locked-out
# sign-in is refused before ModelBackend runs the password hasher (about 230 ms of CPU
# each): a flood of guesses then costs little. Failures are counted per username *and*
# address, so colleagues behind one council address, and the superuser who unlocks
# people, are not locked out by someone else's typing; a flood that changes the username
# every time is limited per address by the proxy (deploy/nginx/proxy.conf).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("DJANGO_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("DJANGO_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The attempts are listed in the admin all the same (ofsted_tracker/axes_admin.py).
AXES_ENABLE_ADMIN = False
# A 429 page in the site's design that says how long, logged with the request id.
AXES_LOCKOUT_CALLABLE = "ofsted_tracker.login_throttling.lockout_response"
# Behind the proxy REMOTE_ADDR is the proxy's, not the visitor's: the visitor's comes from
# the X-Forwarded-For the proxy sets, believed only on a request that came through gunicorn's
# Unix socket (which only the proxy can open) or from an address listed here. None by
# default: any process on the host can reach a TCP port (ofsted_tracker/login_throttling.py).
AXES_CLIENT_IP_CALLABLE = "ofsted_tracker.login_throttling.client_ip"
TRUSTED_PROXIES = env_list("DJANGO_TRUSTED_PROXIES", [])
# Neither the password (always masked) nor the one-time code is stored with an attempt;
# the username and address are, so that a lockout can be traced and lifted.
AXES_SENSITIVE_PARAMETERS = ["otp_token", "csrfmiddlewaretoken"]

# Request bodies (ofsted_tracker/body_limits.py): 1 MB anywhere, more only where a page
# takes a file. The longest matching path prefix wins. The proxy has the same limits.
REQUEST_BODY_DEFAULT_LIMIT = 1024 * 1024
REQUEST_BODY_LIMITS = {
    "/admin/inspections/inspection/import-report/": 20 * 1024 * 1024,
    # A violation report is a few hundred bytes.
    "/csp-report": 16 * 1024,
}
# Django's own limits behind it: form fields held in memory, files kept in memory before
# they go to a temporary file, and the number of fields a form may post. The largest
# form so far, the SIF inspection's change page with its 34 findings, posts 487 fields and
# each more finding 8: the limit leaves room for 39 more findings than that (tested), since
# an admin who meets it loses what they typed.
DATA_UPLOAD_MAX_MEMORY_SIZE = REQUEST_BODY_DEFAULT_LIMIT
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 800
DATA_UPLOAD_MAX_NUMBER_FILES = 10

# Signed-in (admin) sessions: 12 hours at most, 30 minutes idle
# (ofsted_tracker/admin_sessions.py). Public visitors have no session.
SESSION_COOKIE_AGE = 12 * 60 * 60
ADMIN_SESSION_IDLE_SECONDS = 30 * 60

# Who is emailed about errors (500s, and anything else logged at ERROR) when not
# debugging: DJANGO_ADMINS="Ann Example <ann@example.gov.uk>,Bob <bob@example.gov.uk>".
ADMINS = env_addresses("DJANGO_ADMINS")
SERVER_EMAIL = os.environ.get("DJANGO_SERVER_EMAIL", "root@localhost")
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)

# Two-factor sign-in to the admin (ofsted_tracker/two_factor.py): always with
# DJANGO_DEBUG=false; in development only when DJANGO_ADMIN_2FA=true.
ADMIN_TWO_FACTOR = env_bool("DJANGO_ADMIN_2FA", not DEBUG)
if not DEBUG and not ADMIN_TWO_FACTOR:
    raise ImproperlyConfigured(
        "DJANGO_ADMIN_2FA=false is for development only: with DJANGO_DEBUG=false every admin "
        "signs in with a code. Remove DJANGO_ADMIN_2FA."
    )
# The name an authenticator app shows beside the codes.
OTP_TOTP_ISSUER = "Ofsted inspection history"
