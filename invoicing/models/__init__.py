from .events import MoneyEvent
from .invoices import Allocation, CreditNote, Invoice, InvoiceLine
from .regies import BilledMonth, Regie, RegieActivity
from .runs import InvoicingRun

__all__ = [
    "Allocation",
    "BilledMonth",
    "CreditNote",
    "Invoice",
    "InvoiceLine",
    "InvoicingRun",
    "MoneyEvent",
    "Regie",
    "RegieActivity",
]
