"""Settings shared by every environment; each value that differs comes from the environment."""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "core",
    "cms",
    "news",
    "documents_library",
    "portal_features",
    "reservations",
    "invoicing",
    "demo",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "wagtail_modeladmin",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Content-Security-Policy and Permissions-Policy, on cached pages too.
    "cms.security_headers.SecurityHeadersMiddleware",
    # Served before sessions and auth: a cached public page costs no database query.
    "cms.page_cache.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # The Wagtail Site of the request's host, kept in memory until the purge (cms/site_cache.py).
    "cms.site_cache.SiteCacheMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Portal screens: a plain URLconf mounted at the portal page's address, no walk down
    # Wagtail's page tree (portal_features/portal/routing.py).
    "portal_features.portal.routing.PortalRouteMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes requires.
    "axes.middleware.AxesMiddleware",
]

# Wagtail's live preview shows the site's own pages in a frame of the admin: SAMEORIGIN is
# required there, and still refuses every other site.
X_FRAME_OPTIONS = "SAMEORIGIN"

# Content-Security-Policy (cms/security_headers.py): our pages load scripts, styles, images
# and fonts from our own origin only, and keep no inline script, style or event handler
# (tests/cms/site/test_inline_code.py fails on one). To allow another origin, add it to the one
# directive that needs it, e.g. "frame-src": ["https://www.youtube-nocookie.com"].
CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'self'"],  # the admin's preview frames our pages
}
# Wagtail's admin still writes inline scripts and styles, shows chosen images as data: and
# blob: addresses before they are uploaded, and tells superusers of a new Wagtail release.
CONTENT_SECURITY_POLICY_ADMIN = {
    **CONTENT_SECURITY_POLICY,
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "connect-src": ["'self'", "https://releases.wagtail.org"],
}
# Browser features no page of ours uses, denied to every page and frame.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "serial",
        "usb",
    )
}
# Pages showing a family's data or a form, never kept by the browser or a proxy (the portal's
# screens get the same from their middleware, wherever editors placed the portal page).
NO_STORE_PATH_PREFIXES = ["/account/"]

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# SQLite only for the one-command demo; PostgreSQL in CI and production (DATABASE_URL).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# A transaction that reads then writes (the basket's submission) would fail at once with
# « database is locked » when another one writes meanwhile: SQLite cannot wait for a lock it
# would deadlock on. Taking the write lock at BEGIN makes concurrent writers queue (up to
# `timeout` seconds) instead, as PostgreSQL's row locks do (tests/cms/site/test_sqlite_locks.py).
SQLITE_OPTIONS = {"transaction_mode": "IMMEDIATE", "timeout": 20}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "portal_features.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "portal_features.password_validation.MixedCharactersValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# French by default; msgids are English, the French catalogue lives in locale/.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Families' documents and attachments: outside MEDIA_ROOT, never served by the web server.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private-media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# What one family may keep in the private storage and send per hour (portal_features/
# upload_limits.py); how long a refused document's file and a data export are kept.
FAMILY_STORAGE_QUOTA_MB = int(os.environ.get("FAMILY_STORAGE_QUOTA_MB", "200"))
FAMILY_UPLOADS_PER_HOUR = int(os.environ.get("FAMILY_UPLOADS_PER_HOUR", "20"))
REFUSED_DOCUMENT_FILE_DAYS = int(os.environ.get("REFUSED_DOCUMENT_FILE_DAYS", "30"))
DATA_EXPORT_LINK_HOURS = int(os.environ.get("DATA_EXPORT_LINK_HOURS", "24"))
# Account requests that made no family (portal_features/signup/retention.py): a refused one
# is deleted 90 days after the refusal, one nobody decided 183 days after it was sent.
SIGNUP_REFUSED_KEEP_DAYS = int(os.environ.get("SIGNUP_REFUSED_KEEP_DAYS", "90"))
SIGNUP_PENDING_KEEP_DAYS = int(os.environ.get("SIGNUP_PENDING_KEEP_DAYS", "183"))

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
}
if os.environ.get("REDIS_URL"):
    CACHES["default"] = {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
        "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "portail"),
    }
    # Every logged-in request reads its session: from the shared cache, written through to
    # the database. Only with a shared cache: a per-process one would keep a session another
    # process logged out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Anonymous public pages are served from the cache for this long, or until an editor publishes.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "portail-famille@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background work (e-mails, later PDFs and invoicing runs) goes through django-tasks.
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"
        )
    }
}

# django-axes: lock out by username and IP together, so an attacker elsewhere cannot lock
# a parent out, and only for a short cool-off.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_MINUTES", "15")) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "portal_features.accounts.lockout.lockout_username"
AXES_RESET_ON_SUCCESS = True
# A French page (429) with the wait and the forgotten-password link, for the admin login too.
AXES_LOCKOUT_CALLABLE = "portal_features.accounts.lockout.lockout_response"
AXES_VERBOSE = False
# Reverse proxies in front of the app servers, each appending to X-Forwarded-For; 0 when
# clients connect directly. One helper reads the client's address for axes and the sign-up
# throttle (core/client_ip.py).
REVERSE_PROXY_COUNT = max(int(os.environ.get("AXES_PROXY_COUNT", "0")), 0)
AXES_CLIENT_IP_CALLABLE = "core.client_ip.client_ip"

# "Nouveau dossier" e-mails the address typed: at most this many submissions per e-mail
# address and per client address in each window (0 turns a limit off), counted in the cache.
SIGNUP_LIMIT_PER_EMAIL = int(os.environ.get("SIGNUP_LIMIT_PER_EMAIL", "3"))
SIGNUP_LIMIT_PER_IP = int(os.environ.get("SIGNUP_LIMIT_PER_IP", "10"))
SIGNUP_LIMIT_WINDOW_MINUTES = max(int(os.environ.get("SIGNUP_LIMIT_WINDOW_MINUTES", "60")), 1)

# Online payment (invoicing/payments). PayFiP: the régie's 6-digit client number and its mode,
# test | activation | production (PayFiP's saisie T, X, W). Systempay/PayZen: the shop's id,
# its key for the mode, the mode (TEST | PRODUCTION) and, for PayZen, the platform's address.
PAYFIP_NUMCLI = os.environ.get("PAYFIP_NUMCLI", "")
PAYFIP_MODE = os.environ.get("PAYFIP_MODE", "test")
SYSTEMPAY_SITE_ID = os.environ.get("SYSTEMPAY_SITE_ID", "")
SYSTEMPAY_KEY = os.environ.get("SYSTEMPAY_KEY", "")
SYSTEMPAY_MODE = os.environ.get("SYSTEMPAY_MODE", "TEST")
SYSTEMPAY_SERVICE_URL = os.environ.get("SYSTEMPAY_SERVICE_URL", "")
# The built-in payment simulator (no money moves): on in the demo and the tests. Outside DEBUG
# it also needs PAYMENT_SIMULATOR_ALLOWED_IN_PRODUCTION, or a system check stops the site.
PAYMENT_SIMULATOR_ENABLED = env_bool("PAYMENT_SIMULATOR_ENABLED")
PAYMENT_SIMULATOR_ALLOWED_IN_PRODUCTION = env_bool("PAYMENT_SIMULATOR_ALLOWED_IN_PRODUCTION")
# Who families pay online through: payfip, systempay, payzen, or the simulator speaking one
# of those protocols (simulator-payfip, simulator-systempay).
PAYMENT_PROVIDER = os.environ.get("PAYMENT_PROVIDER", "payfip")

# Pages restricted to logged-in visitors send them to the portal's login page.
WAGTAIL_FRONTEND_LOGIN_URL = "/account/login/"
WAGTAIL_SITE_NAME = os.environ.get("WAGTAIL_SITE_NAME", "Portail Famille")
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_DOCUMENT_MODEL = "documents_library.LibraryDocument"
WAGTAILDOCS_EXTENSIONS = ["pdf", "odt", "ods", "docx", "xlsx", "csv", "txt", "jpg", "jpeg", "png"]
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILADMIN_USER_LOGIN_FORM = "wagtail.admin.forms.auth.LoginForm"
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAIL_PASSWORD_RESET_ENABLED = True
# Its e-mail is looked up and sent by the task worker, as the portal's is.
WAGTAILADMIN_USER_PASSWORD_RESET_FORM = "portal_features.accounts.forms.AdminPasswordResetForm"  # noqa: S105
# Staff avatars are Wagtail's default: no staff e-mail (hashed) sent to gravatar.com.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
