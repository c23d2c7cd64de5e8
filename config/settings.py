"""Settings for DeltaCrown Teams, read from environment variables.

With nothing set the site runs on the embedded defaults: a SQLite file in the
project folder, the local-memory cache, eager Celery and console email.
DATABASE_URL, REDIS_URL and EMAIL_URL switch to the real services.
Every variable can also be read from a file named by <NAME>_FILE (for
example SECRET_KEY_FILE=/run/secrets/secret_key).
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.FileAwareEnv()
DEBUG = env.bool("DEBUG", default=True)
TESTING = env.bool("DELTACROWN_TESTING", default=False)


def _require_in_production(name):
    """Return the variable, or stop the process when production mode lacks it."""
    value = env.str(name, default="").strip()
    if not value and not DEBUG:
        raise ImproperlyConfigured(
            f"{name} is missing. Set {name} (or {name}_FILE) when DEBUG is off "
            "(production mode), or set DEBUG=1 for local development."
        )
    return value


SECRET_KEY = _require_in_production("SECRET_KEY") or "dev-only-insecure-secret-key"
ALLOWED_HOSTS = [
    host.strip() for host in env.list("ALLOWED_HOSTS", default=[]) if host.strip()
] or (["127.0.0.1", "localhost", "[::1]", "testserver"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS is missing. Set it to the site's host names, separated by "
        "commas, when DEBUG is off (production mode), or set DEBUG=1 for local "
        "development."
    )
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_countries",
    "allauth",
    "allauth.account",
    "core",
    "accounts",
    "games",
    "teams",
    "roster",
    "notifications",
    "rankings",
    "invites",
    "vrs",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "core.middleware.DomainErrorMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "notifications.context_processors.unread_notifications",
            ],
        },
    },
]

# Database. SQLite runs in WAL mode with a busy timeout and immediate
# transactions, so a management command can write while the site serves.
SQLITE_PATH = env.str("SQLITE_PATH", default=str(BASE_DIR / "db.sqlite3"))
DATABASES = {
    "default": env.db_url(
        "DATABASE_URL", default=f"sqlite:///{SQLITE_PATH}", engine=None
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", 60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Seconds; without it a connection to an unanswering host hangs /readyz.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache and Celery broker. Without REDIS_URL: local-memory cache, eager tasks.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # Parallel test workers share one Redis, so each gets its own prefix.
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="deltacrown")
            + env.str("PYTEST_XDIST_WORKER", default=""),
            "TIMEOUT": 300,
            # Seconds; a stalled Redis fails the request instead of hanging it.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "deltacrown",
        }
    }

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
# The suite runs tasks in-process even with REDIS_URL set, because no worker
# consumes the test broker.
CELERY_TASK_ALWAYS_EAGER = env.bool(
    "CELERY_TASK_ALWAYS_EAGER", default=TESTING or not REDIS_URL
)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULE = {}
CELERY_BEAT_SCHEDULE["invites-expire"] = {
    "task": "invites.tasks.expire_invites_task",
    "schedule": 3600.0,
}
# Recompute team totals, ranks and ranking snapshots once a day.
CELERY_BEAT_SCHEDULE["rankings-rank-teams"] = {
    "task": "rankings.tasks.rank_teams_task",
    "schedule": 24 * 3600.0,
}

# Email. Console by default so a first run prints verification links.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="DeltaCrown <noreply@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Accounts.
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Password reset links expire after one hour and stop working once used,
# because the token covers the password hash.
PASSWORD_RESET_TIMEOUT = 3600
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_FORMS = {
    "signup": "accounts.forms.SignupForm",
    "login": "accounts.forms.LoginForm",
}
ACCOUNT_LOGIN_METHODS = {"email", "username"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_USERNAME_MIN_LENGTH = 3
ACCOUNT_USERNAME_VALIDATORS = "accounts.validators.HANDLE_VALIDATORS"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
SITE_NAME = env.str("SITE_NAME", default="DeltaCrown Teams")
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
if TESTING:
    # The suite signs in hundreds of times; its own tests cover rate limits.
    ACCOUNT_RATE_LIMITS = False

# Internationalization.
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# Static and uploaded files.
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
DATA_UPLOAD_MAX_MEMORY_SIZE = 8 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 8 * 1024 * 1024

# Security headers; the cookie flags switch on with production mode.
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Probes from a load balancer or orchestrator call these over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_TLS_PROXY", False) else None
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# Domain settings.
VRS_DATA_DIR = Path(
    env.str("VRS_DATA_DIR", default=str(BASE_DIR.parent / "shared" / "data" / "vrs"))
)
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=5 * 1024 * 1024)
UPLOAD_MAX_PIXELS = env.int("UPLOAD_MAX_PIXELS", default=25_000_000)

# Invites and join requests. Rates are django-ratelimit strings:
# "10/h" means 10 per hour, "20/d" 20 per day.
INVITE_EXPIRY_DAYS = env.int("INVITE_EXPIRY_DAYS", default=7)
INVITE_RATE_PER_TEAM = env.str("INVITE_RATE_PER_TEAM", default="10/h")
INVITE_LINK_RATE_PER_TEAM = env.str("INVITE_LINK_RATE_PER_TEAM", default="20/d")
JOIN_REQUEST_RATE_PER_USER = env.str("JOIN_REQUEST_RATE_PER_USER", default="5/h")
# The game whose teams the Valve Regional Standings import fills.
VRS_GAME_SLUG = env.str("VRS_GAME_SLUG", default="cs2")
# How many reverse proxies in front of the site append to X-Forwarded-For.
# 0 trusts no header and uses the socket address; allauth's login and reset
# rate limits key on the client address this gives.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
# Invites sent to email addresses, per inviting account, whatever the team.
INVITE_EMAIL_RATE_PER_USER = env.str("INVITE_EMAIL_RATE_PER_USER", default="30/d")
