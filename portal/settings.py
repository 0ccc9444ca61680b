"""Settings for the Mahalleh portal: one module, read from the environment.

Every variable is listed in README.md with its default. Without any of them the
portal runs in development mode on a SQLite file, a local media folder and a
file-based cache that all gunicorn workers on the machine share.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("DJANGO_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    """Read a yes/no variable; '1', 'true', 'yes', 'on' count as yes."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    """Read a comma-separated variable into a list without empty items."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def development_secret_key() -> str:
    """Keep one generated key per checkout so sessions survive restarts in development."""
    key_file = VAR_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def development_identity_keys() -> tuple[str, str]:
    """A hash key and an encryption key kept per checkout, like the secret key; never used in
    production, where both come from the environment."""
    from cryptography.fernet import Fernet

    key_file = VAR_DIR / "identity_keys"
    if key_file.exists():
        hash_key, encryption_key = key_file.read_text().split()
        return hash_key, encryption_key
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    hash_key, encryption_key = secrets.token_urlsafe(32), Fernet.generate_key().decode()
    key_file.write_text(f"{hash_key}\n{encryption_key}\n")
    key_file.chmod(0o600)
    return hash_key, encryption_key


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
if DEBUG:
    SECRET_KEY = SECRET_KEY or development_secret_key()
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]", "testserver"]
else:
    if not SECRET_KEY:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be set when DJANGO_DEBUG is off.")

# The keys that keep households' national IDs and names unreadable in the database
# (core/crypto.py, docs/privacy.md): the HMAC key that matches IDs, and the Fernet keys that seal
# them, newest first (the older ones stay while `manage.py rotate_identity_keys` runs).
IDENTITY_HASH_KEY = os.environ.get("DJANGO_IDENTITY_HASH_KEY", "")
IDENTITY_ENCRYPTION_KEYS = env_list("DJANGO_IDENTITY_ENCRYPTION_KEYS")
if DEBUG and not (IDENTITY_HASH_KEY and IDENTITY_ENCRYPTION_KEYS):
    _hash_key, _encryption_key = development_identity_keys()
    IDENTITY_HASH_KEY = IDENTITY_HASH_KEY or _hash_key
    IDENTITY_ENCRYPTION_KEYS = IDENTITY_ENCRYPTION_KEYS or [_encryption_key]
elif not DEBUG:
    if len(IDENTITY_HASH_KEY) < 32:
        raise ImproperlyConfigured(
            "DJANGO_IDENTITY_HASH_KEY must be set (32 characters or more) when DJANGO_DEBUG is off."
        )
    if not IDENTITY_ENCRYPTION_KEYS:
        raise ImproperlyConfigured(
            "DJANGO_IDENTITY_ENCRYPTION_KEYS must be set when DJANGO_DEBUG is off."
        )

CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "portal.apps.TaggitConfig",  # taggit and django-axes, under Persian names
    "portal.apps.AxesConfig",
    "csp",
    "core",
    "portal",
    "demo",
    "neighbourhoods",
    "agencies",
    "coordination",
    "exhibition",
    "news",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below WhiteNoise (static files come pre-compressed), above all that writes the page:
    # gzip only for anonymous pages without a CSRF token, for BREACH (core/compression.py).
    "core.compression.PublicGZipMiddleware",
    # A NUL or other control character in the address: a Persian 400 before any view runs.
    "core.middleware.RejectControlCharactersMiddleware",
    "core.middleware.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # django-axes wants to be last so it sees the outcome of every login.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

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
                "agencies.access.scope_context",
                "news.context_processors.news_panel",
                "demo.context_processors.demo_data",
            ],
            "builtins": ["core.templatetags.persian"],
        },
    },
]
# Django's own validation messages («حداکثر 2000 کاراکتر») shown with Persian digits.
FORM_RENDERER = "core.forms.PersianFormRenderer"

# --- Database: SQLite by default, anything dj-database-url knows via DATABASE_URL.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    # A connection kept between requests dies with a database restart; the health check finds
    # that before the request's first query and reconnects, instead of answering 500 once per
    # worker thread (bench/resilience.py's quiet restart).
    DATABASES = {
        "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
    }
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "portal.sqlite3",
            # WAL lets readers go on while one gunicorn worker writes.
            "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL;", "timeout": 20},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and sessions: Redis when REDIS_URL is set, else a file cache on this machine.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's RedisCache, reusing one Redis client per process (core/redis_cache.py).
            "BACKEND": "core.redis_cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("DJANGO_CACHE_PREFIX", "mahalleh"),
        }
    }
    # Sessions live in the database with Redis in front: Redis may then evict under memory
    # pressure (maxmemory with allkeys-lru, docs/going-live.md) without signing anyone out,
    # and a page cache stuffed with junk can never push the staff's sessions out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("DJANGO_CACHE_DIR", str(VAR_DIR / "cache")),
            "KEY_PREFIX": os.environ.get("DJANGO_CACHE_PREFIX", "mahalleh"),
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
PUBLIC_PAGE_CACHE_SECONDS = int(os.environ.get("DJANGO_PUBLIC_CACHE_SECONDS", "300"))

# --- Authentication
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "portal:login"
LOGIN_REDIRECT_URL = "portal:panel"
LOGOUT_REDIRECT_URL = "portal:home"
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours: a locked-out clerk waits 15 minutes, not a day
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_RESET_ON_SUCCESS = True
# Failures count per account *and* address together: five wrong passwords from one address lock
# that account from that address only, so nobody can lock a colleague (or every account behind
# one proxy) out; the address is the one core/clients.py trusts.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "core.clients.client_ip"

# --- Language, time
LANGUAGE_CODE = "fa"
LANGUAGES = [("fa", "فارسی")]
TIME_ZONE = "Asia/Tehran"
USE_I18N = True
# Django's messages that its Persian catalogue lacks (locale/fa/LC_MESSAGES/django.po); looked
# up before the catalogues of Django and the libraries.
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

# --- Static and media files
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
# Files that are not public (photos hidden for consent, unpublished exhibitions): a folder nginx
# does not serve, outside MEDIA_ROOT, read by staff through /panel/media/ (core/media.py); by
# default "private-media" beside MEDIA_ROOT. With PRIVATE_MEDIA_ACCEL_PREFIX ("/_private-media/")
# the app checks who asks and nginx sends the file from its `internal` location
# (deploy/nginx.conf.example).
PRIVATE_MEDIA_ROOT = Path(
    os.environ.get("DJANGO_PRIVATE_MEDIA_ROOT") or MEDIA_ROOT.parent / "private-media"
)
PRIVATE_MEDIA_URL = "/panel/media/"
PRIVATE_MEDIA_ACCEL_PREFIX = os.environ.get("DJANGO_PRIVATE_MEDIA_ACCEL_PREFIX", "")
# Hashed, compressed names need collectstatic; development serves the files as they are.
STATIC_MANIFEST = env_bool("DJANGO_STATIC_MANIFEST", not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Without collectstatic (development, tests) WhiteNoise reads the source folders directly.
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- Forms
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Security headers. Production (debug off) passes `manage.py check --deploy`.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    # Behind nginx terminating TLS; set DJANGO_SECURE_SSL_REDIRECT=0 only for a local trial.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    # A load balancer checks /healthz over plain HTTP and follows no redirect.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

# --- The program itself
PROGRAM_START_DATE = os.environ.get("DJANGO_PROGRAM_START_DATE", "2021-03-21")

# --- News comments: captcha, rate limit, the client address behind a proxy
# A signed sum in the form, nothing stored until it is answered (news/captcha.py); the answer is
# accepted in Persian, Arabic-Indic or Latin digits.
NEWS_CAPTCHA_SECONDS = 30 * 60  # long enough to write a considered comment
NEWS_CAPTCHA_PERSIAN_DIGITS = True  # the picture's digits: ۱۷ + ۸ (False: 17 + 8)
NEWS_COMMENT_RATE = (
    int(os.environ.get("DJANGO_COMMENT_LIMIT", "5")),
    int(os.environ.get("DJANGO_COMMENT_WINDOW_SECONDS", "600")),
)
# Behind nginx set DJANGO_CLIENT_IP_HEADER=HTTP_X_REAL_IP (see core/clients.py): the lockout,
# the comment rate limit and the view counter then see the visitor, not the proxy.
CLIENT_IP_HEADER = os.environ.get("DJANGO_CLIENT_IP_HEADER", "")
