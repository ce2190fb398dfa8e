"""The one-command demo: SQLite, DEBUG on, e-mails printed to the console."""

import os

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = SECRET_KEY or "demo-only-secret-key-never-use-in-production"  # noqa: F405, S105
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
ALLOWED_HOSTS = ["*"]
# Families pay through the built-in simulator: no provider account, no money.
PAYMENT_SIMULATOR_ENABLED = env_bool("PAYMENT_SIMULATOR_ENABLED", True)
PAYMENT_PROVIDER = os.environ.get("PAYMENT_PROVIDER", "simulator-payfip")
# Tasks run inside the request: the demo needs no worker beside runserver, its e-mails show in
# the same console at once, and a data export is ready as soon as it is asked for.
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"
        )
    }
}
