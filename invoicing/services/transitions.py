"""The one place a run or a document changes status: the kernel's `transition()` with the
run's or the document's table. The caller saves (one row, or a whole run's documents in one
UPDATE)."""

from django.utils.translation import gettext_lazy as _

from core.states import transition as kernel_transition

from ..choices import CREDIT_NOTE_TRANSITIONS, INVOICE_TRANSITIONS, RUN_TRANSITIONS, InvoiceKind
from ..errors import InvoicingError
from ..models import Invoice, InvoicingRun

RUN_MESSAGE = _("This run is “%(status)s”: it cannot become “%(target)s”.")
DOCUMENT_MESSAGE = _("This document is “%(status)s”: it cannot become “%(target)s”.")


def transition(*, instance: Invoice | InvoicingRun, to_status: str) -> None:
    if isinstance(instance, InvoicingRun):
        table, message = RUN_TRANSITIONS, RUN_MESSAGE
    elif instance.kind == InvoiceKind.CREDIT_NOTE:
        table, message = CREDIT_NOTE_TRANSITIONS, DOCUMENT_MESSAGE
    else:
        table, message = INVOICE_TRANSITIONS, DOCUMENT_MESSAGE
    kernel_transition(
        instance, to_status, table=table, save=False, error=InvoicingError, message=message
    )
