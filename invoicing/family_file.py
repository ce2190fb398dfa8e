"""The family's invoices, credit notes and payments on the staff's screen of its file
(« Familles » → a family), with the balance due. Three queries whatever the family's size;
registered on the file's screen by InvoicingConfig.ready()."""

from core.time import local_today

from .choices import InvoiceKind
from .payment_selectors import family_payments
from .selectors import ZERO, family_invoices

# The file shows the latest ones; the invoicing screens list them all.
SHOWN = 50


def family_file_section(family) -> dict:
    documents = family_invoices(family=family, today=local_today())  # 1 query
    unpaid = [d for d in documents if d.kind == InvoiceKind.INVOICE and d.remaining > 0]
    return {
        "invoices": documents[:SHOWN],
        "balance_due": sum((invoice.remaining for invoice in unpaid), ZERO),
        "payments": family_payments(family=family)[:SHOWN],  # 2 queries
    }
