"""Run yearly (or monthly): anonymise the families with no activity for three years.

Invoices, credit notes and payments stay whole, as accounting law requires (ten years);
everything else personal is removed or blanked (portal_features/rgpd/anonymise.py). A family
that still owes money is left as it is and listed.
"""

from django.core.management.base import BaseCommand

from portal_features.errors import PortalError
from portal_features.rgpd.anonymise import DEFAULT_YEARS, departed_families, family_anonymise


class Command(BaseCommand):
    help = "Anonymise the families with no activity for YEARS years (3 by default)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--years",
            type=int,
            default=DEFAULT_YEARS,
            help="Years without activity after which a family is anonymised (default 3).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="List the families, change nothing."
        )

    def handle(self, *args, years, dry_run, **options):
        if years < 1:
            self.stderr.write("--years must be at least 1.")
            return
        done = 0
        for family in departed_families(years=years):
            if dry_run:
                self.stdout.write(f"{family.number} {family.name}: would be anonymised.")
                continue
            try:
                family_anonymise(family=family)
            except PortalError as error:
                self.stdout.write(f"{family.number}: left as it is ({error.message}).")
            else:
                done += 1
        if not dry_run:
            self.stdout.write(f"{done} family file(s) anonymised.")
