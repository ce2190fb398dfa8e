"""Ask the providers about online payments still open after a few minutes (cron, every 10
minutes): a notification that never came, a handler that failed after the money was taken."""

from django.core.management.base import BaseCommand

from invoicing.services.online import attempts_reconcile


class Command(BaseCommand):
    help = "Settles the online payment attempts still open with what their provider says."

    def handle(self, *args, **options):
        counts = attempts_reconcile()
        self.stdout.write(
            "{asked} attempt(s) asked, {given_up} given up, {failed} failed.".format(**counts)
        )
