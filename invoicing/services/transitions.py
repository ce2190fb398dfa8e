"""The one place a run or a document changes status: checks its table, sets the status.

The caller saves (one row, or a whole run's documents in one UPDATE)."""

from django.utils.translation import gettext as _

from ..choices import (
    CREDIT_NOTE_TRANSITIONS,
    INVOICE_TRANSITIONS,
    RUN_TRANSITIONS,
    InvoiceKind,
    InvoiceStatus,
    RunStatus,
    is_allowed,
)
from ..errors import InvoicingError
from ..models import Invoice, InvoicingRun


def transition(*, instance: Invoice | InvoicingRun, to_status: str) -> None:
    if isinstance(instance, InvoicingRun):
        table, labels = RUN_TRANSITIONS, RunStatus
        message = _("This run is “%(status)s”: it cannot become “%(target)s”.")
    else:
        if instance.kind == InvoiceKind.CREDIT_NOTE:
            table = CREDIT_NOTE_TRANSITIONS
        else:
            table = INVOICE_TRANSITIONS
        labels = InvoiceStatus
        message = _("This document is “%(status)s”: it cannot become “%(target)s”.")
    from_status = instance.status if instance.pk is not None else None
    if not is_allowed(table, from_status, to_status):
        raise InvoicingError(
            message
            % {
                "status": labels(from_status).label if from_status else "—",
                "target": labels(to_status).label,
            }
        )
    instance.status = to_status
