"""The cron command: a month drafted, finalised, then corrected by the same command."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from invoicing.choices import InvoiceKind, RunKind, RunStatus
from invoicing.models import Invoice, InvoicingRun

from .conftest import NOV_WEDNESDAYS

pytestmark = pytest.mark.django_db


def run_command(billing, *args):
    out = StringIO()
    call_command("invoicing_run", "--regie", "ALSH", *args, stdout=out, sources=billing.provider)
    return out.getvalue()


def test_the_command_drafts_finalizes_then_corrects(billing):
    family, (child,) = billing.add_family()
    reservations = billing.book_days(family, child, NOV_WEDNESDAYS)

    output = run_command(billing, "--month", "2026-11")
    assert "1 families, 4 lines, 48.80 € invoiced" in output
    assert InvoicingRun.objects.get().status == RunStatus.DRAFT

    output = run_command(billing, "--month", "2026-11", "--finalize")
    assert "Finalized: 1 documents" in output
    run = InvoicingRun.objects.get(status=RunStatus.FINALIZED)
    assert run.kind == RunKind.REGULAR and not run.created_by

    billing.provider.free(reservations[0])
    run_command(billing, "--month", "2026-11", "--finalize")
    corrective = InvoicingRun.objects.get(kind=RunKind.CORRECTIVE)
    assert Invoice.objects.get(run=corrective).kind == InvoiceKind.CREDIT_NOTE


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--month", "2026-13"], "YYYY-MM"),
        (["--month", "novembre"], "YYYY-MM"),
    ],
)
def test_bad_arguments_are_refused_clearly(billing, args, message):
    with pytest.raises(CommandError, match=message):
        run_command(billing, *args)


def test_an_unknown_regie_is_refused(billing):
    with pytest.raises(CommandError, match="No régie"):
        call_command("invoicing_run", "--regie", "NOPE", "--month", "2026-11")
