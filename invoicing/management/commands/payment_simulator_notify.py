"""Send the payment simulator's notifications kept for later (« notify late »)."""

from django.core.management.base import BaseCommand, CommandError

from invoicing.payments.providers import simulator


class Command(BaseCommand):
    help = "Sends the payment simulator's late notifications whose time has come."

    def add_arguments(self, parser):
        parser.add_argument(
            "--all", action="store_true", help="Send every kept notification, due or not."
        )

    def handle(self, *args, **options):
        if not simulator.simulator_enabled():
            raise CommandError("The payment simulator is off.")
        sent = simulator.send_late_notifications(everything=options["all"])
        self.stdout.write(f"{len(sent)} notification(s) sent.")
