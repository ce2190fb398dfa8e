"""`manage.py invoicing_run --regie CODE --month YYYY-MM [--finalize]` (cron, or by hand).

Prepares the month's draft (replacing the previous draft); once the month is finalised, the
same command prepares a corrective run instead. With --finalize the draft is then issued.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError

from ...choices import RunKind, RunStatus
from ...errors import InvoicingError
from ...models import InvoicingRun, Regie
from ...services import run_corrective, run_draft, run_finalize


def month_argument(value: str) -> datetime.date:
    try:
        return datetime.datetime.strptime(value, "%Y-%m").date()
    except ValueError as error:
        raise CommandError(f"--month must read YYYY-MM, e.g. 2026-11 (got {value!r}).") from error


class Command(BaseCommand):
    help = "Prepare (and with --finalize issue) a régie's invoicing run for a month."
    # Tests give their provider of billable days and prices (see invoicing.sources).
    stealth_options = ("sources",)

    def add_arguments(self, parser):
        parser.add_argument("--regie", required=True, help="The régie's code, e.g. ALSH.")
        parser.add_argument("--month", required=True, type=month_argument, help="YYYY-MM")
        parser.add_argument("--finalize", action="store_true", help="Issue the documents.")

    def handle(self, *args, regie, month, finalize, **options):
        found = Regie.objects.filter(code=regie).first()
        if found is None:
            raise CommandError(f"No régie has the code {regie!r}.")
        billed = InvoicingRun.objects.filter(
            regie=found, month=month, kind=RunKind.REGULAR, status=RunStatus.FINALIZED
        ).exists()
        action = run_corrective if billed else run_draft
        try:
            run = action(regie=found, month=month, actor=None, sources=options.get("sources"))
            summary = run.summary
            self.stdout.write(
                f"{run}: {summary['families']} families, {summary['lines']} lines, "
                f"{summary['total_invoiced']} € invoiced, {summary['total_credited']} € credited, "
                f"{len(summary['alerts'])} alerts."
            )
            if finalize:
                run = run_finalize(run=run, actor=None)
                numbers = run.summary.get("numbers", {})
                self.stdout.write(f"Finalized: {run.summary['issued']} documents {numbers}.")
        except InvoicingError as error:
            raise CommandError(error.message) from error
