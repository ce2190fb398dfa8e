"""Every change of invoicing's money: runs, cancellations, credit allocations."""

from .cancel import invoice_cancel
from .credits import credits_apply
from .runs import run_corrective, run_draft, run_finalize

__all__ = ["credits_apply", "invoice_cancel", "run_corrective", "run_draft", "run_finalize"]
