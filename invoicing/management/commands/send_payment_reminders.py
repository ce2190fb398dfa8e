"""Daily (cron): remind families of their unpaid invoices, as each régie sets it, and lapse
the direct debit mandates left unused for 36 months."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.time import PARIS
from invoicing.services.reminders import reminders_send
from invoicing.services.sepa import mandates_lapse


class Command(BaseCommand):
    help = "Send the reminders of unpaid invoices due today (never twice the same)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            help="Act as on this day (YYYY-MM-DD), e.g. to catch up a day the cron missed.",
        )

    def handle(self, *args, **options):
        now = timezone.now()
        if options["date"]:
            try:
                day = datetime.date.fromisoformat(options["date"])
            except ValueError as error:
                raise CommandError("--date must be YYYY-MM-DD.") from error
            now = datetime.datetime.combine(day, datetime.time(9, 0), tzinfo=PARIS)
        sent = reminders_send(now=now)
        lapsed = mandates_lapse(now=now)
        self.stdout.write(f"{sent} reminder(s) sent, {lapsed} mandate(s) lapsed.")
