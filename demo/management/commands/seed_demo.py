"""`manage.py seed_demo`: build the demo commune, then print where to go and how to log in."""

import logging
from contextlib import contextmanager

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

# Each published page and rendered PDF logs a few INFO lines; the logins would drown in them.
CHATTY_LOGGERS = ("django_tasks", "wagtail", "modelsearch", "weasyprint", "fontTools")


@contextmanager
def quiet(names, level=logging.WARNING):
    loggers = [logging.getLogger(name) for name in names]
    previous = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(level)
    try:
        yield
    finally:
        for logger, old_level in zip(loggers, previous, strict=True):
            logger.setLevel(old_level)


class Command(BaseCommand):
    help = "Build the demo commune (pages, news, documents, accounts). Safe to run again."

    def handle(self, *args, verbosity=1, **options):
        with quiet(CHATTY_LOGGERS if verbosity < 2 else ()):
            # Imported here so that WeasyPrint's start-up messages are quietened too.
            from demo import commune
            from demo.accounts import DEMO_ACCOUNTS
            from demo.steps import build_demo

            build_demo()

        self.stdout.write(self.style.SUCCESS(_("The demo commune is ready.")))
        self.stdout.write(_("Public site: %(url)s") % {"url": commune.DEMO_URL})
        self.stdout.write(_("Administration: %(url)s") % {"url": commune.ADMIN_URL})
        self.stdout.write(_("Logins:"))
        for account in DEMO_ACCOUNTS:
            self.stdout.write(f"  {account.email} / {account.password}  ({account.purpose})")
