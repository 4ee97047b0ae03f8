"""seemix settings. Every value comes from an environment variable (documented in .env.example)."""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from seemix.email_url import email_settings
from seemix.env import Env, ImproperlyConfiguredEnv
from seemix.paths import PACKAGE_DIR, default_var_dir

env = Env()

VAR_DIR = Path(env.str("SEEMIX_VAR_DIR", str(default_var_dir()))).resolve()

DEBUG = env.bool("DEBUG", False)

if DEBUG:
    SECRET_KEY = env.str("SECRET_KEY", "insecure-development-key-only-for-DEBUG")
else:
    try:
        SECRET_KEY = env.str("SECRET_KEY")
    except ImproperlyConfiguredEnv:
        raise ImproperlyConfiguredEnv(
            "SECRET_KEY is required when DEBUG is off (`seemix demo` generates one for the demo)"
        ) from None

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "seemix.core",
    "seemix.directory",
    "seemix.gazetteer",
    "seemix.flows",
    "seemix.outbox",
    "seemix.measures",
    "seemix.situation",
    "seemix.demo",
]

MIDDLEWARE = [
    "seemix.core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "seemix.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so that it sees the outcome of authentication (django-axes' rule).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "seemix.urls"
WSGI_APPLICATION = "seemix.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------------------
_default_sqlite = f"sqlite:///{VAR_DIR / 'seemix.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(env.str("DATABASE_URL", _default_sqlite), conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite cannot create the folder of its file: make var/ so `seemix migrate` works on a fresh clone.
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the web process read while the worker writes; IMMEDIATE avoids upgrade deadlocks.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication and passwords -----------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env.int("AXES_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLE_ADMIN = False

# --- Cookies and transport security ---------------------------------------------------------------
SECURE_COOKIES = env.bool("SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE_HOURS", 12) * 3600
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", 0)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env.bool("TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Internationalisation -------------------------------------------------------------------------
LANGUAGE_CODE = env.str("LANGUAGE_CODE", "en")
LANGUAGES = [("en", _("English")), ("sr-latn", _("Serbian (Latin)"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
# Storage is always UTC; TIME_ZONE is what pages display.
TIME_ZONE = env.str("TIME_ZONE", "UTC")

# --- Static files ---------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# Generated locally (vl-convert's Vega bundle): never checked in, never loaded from a CDN.
GENERATED_ASSETS_DIR = VAR_DIR / "assets"
# Made here so that the static-files check passes before the first `seemix build_assets`.
GENERATED_ASSETS_DIR.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [GENERATED_ASSETS_DIR, PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# --- Email ----------------------------------------------------------------------------------------
globals().update(email_settings(env.str("EMAIL_URL", "console://")))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", "seemix <noreply@localhost>")

# --- Background tasks -----------------------------------------------------------------------------
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
_task_backend = env.str("SEEMIX_TASKS_BACKEND", "database")
if _task_backend not in _TASK_BACKENDS:
    raise ImproperlyConfiguredEnv(
        f"SEEMIX_TASKS_BACKEND={_task_backend!r} is not one of {', '.join(sorted(_TASK_BACKENDS))}"
    )
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[_task_backend]}}

# --- API ------------------------------------------------------------------------------------------
SEEMIX_PAGE_SIZE_DEFAULT = env.int("SEEMIX_PAGE_SIZE_DEFAULT", 50)
SEEMIX_PAGE_SIZE_MAX = env.int("SEEMIX_PAGE_SIZE_MAX", 500)
NINJA_PAGINATION_PER_PAGE = SEEMIX_PAGE_SIZE_DEFAULT
NINJA_PAGINATION_MAX_LIMIT = SEEMIX_PAGE_SIZE_MAX
SEEMIX_TOKEN_DEFAULT_DAYS = env.int("SEEMIX_TOKEN_DEFAULT_DAYS", 90)
SEEMIX_TOKEN_MAX_DAYS = env.int("SEEMIX_TOKEN_MAX_DAYS", 365)

# --- Public address (links in emails, CAP <web>, feeds) ---------------------------------------------
SEEMIX_BASE_URL = env.str("SEEMIX_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# --- Flows ----------------------------------------------------------------------------------------
# A daily report is late after this hour (in TIME_ZONE) of the next day.
SEEMIX_DAILY_REPORT_DEADLINE_HOUR = env.int("SEEMIX_DAILY_REPORT_DEADLINE_HOUR", 12)
# A monthly report is late after this day of the following month.
SEEMIX_MONTHLY_REPORT_DEADLINE_DAY = env.int("SEEMIX_MONTHLY_REPORT_DEADLINE_DAY", 15)

# --- Measures and early notification -------------------------------------------------------------
SEEMIX_ACK_DEADLINE_PLANNED_HOURS = env.int("SEEMIX_ACK_DEADLINE_PLANNED_HOURS", 24)
SEEMIX_ACK_DEADLINE_IMMEDIATE_HOURS = env.int("SEEMIX_ACK_DEADLINE_IMMEDIATE_HOURS", 2)
# The regional target for advance notice of a planned measure.
SEEMIX_ADVANCE_NOTICE_DAYS = env.int("SEEMIX_ADVANCE_NOTICE_DAYS", 7)

# --- Deliveries (email, webhooks) ---------------------------------------------------------------------
SEEMIX_DELIVERY_MAX_ATTEMPTS = env.int("SEEMIX_DELIVERY_MAX_ATTEMPTS", 8)
SEEMIX_DELIVERY_BACKOFF_BASE_SECONDS = env.int("SEEMIX_DELIVERY_BACKOFF_BASE_SECONDS", 10)
SEEMIX_DELIVERY_BACKOFF_MAX_SECONDS = env.int("SEEMIX_DELIVERY_BACKOFF_MAX_SECONDS", 3600)
SEEMIX_WEBHOOK_TIMEOUT_SECONDS = env.int("SEEMIX_WEBHOOK_TIMEOUT_SECONDS", 10)
# Receivers should refuse a signature older than this (replay protection); documented for them.
SEEMIX_WEBHOOK_TOLERANCE_SECONDS = env.int("SEEMIX_WEBHOOK_TOLERANCE_SECONDS", 300)

# --- Logging --------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "seemix.core.request_context.RequestIdLogFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["request_id"]}
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", "INFO")},
}
