"""Every change of invoicing's money: runs, cancellations, credit allocations, payments."""

from .cancel import invoice_cancel
from .credits import credits_apply
from .payments import payment_cancel, payment_credit_apply, payment_record
from .runs import run_corrective, run_draft, run_finalize

__all__ = [
    "credits_apply",
    "invoice_cancel",
    "payment_cancel",
    "payment_credit_apply",
    "payment_record",
    "run_corrective",
    "run_draft",
    "run_finalize",
]
