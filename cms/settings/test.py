"""The test suite: PostgreSQL when DATABASE_URL is set (CI), SQLite in memory otherwise."""

from .base import *  # noqa: F403

SECRET_KEY = "tests-only-secret-key"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
WAGTAILADMIN_BASE_URL = "http://testserver"
# The tests pay through the simulator; they run with DEBUG off, as production does.
PAYMENT_SIMULATOR_ENABLED = True
PAYMENT_SIMULATOR_ALLOWED_IN_PRODUCTION = True
PAYMENT_PROVIDER = "simulator-payfip"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Task and publication logs at INFO drown a failing test's output.
    "root": {"handlers": [], "level": "WARNING"},
}
