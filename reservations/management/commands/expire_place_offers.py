"""Run every few minutes (cron, systemd timer): close the place offers nobody accepted in
time and offer each freed place to the next child on the waiting list."""

from django.core.management.base import BaseCommand

from reservations.services.booking import offers_expire


class Command(BaseCommand):
    help = "Expire unanswered waiting-list offers and offer their places to the next child."

    def handle(self, *args, **options):
        expired = offers_expire()
        self.stdout.write(f"{expired} offer(s) expired.")
