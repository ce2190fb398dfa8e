from .collection import (
    CollectionDocket,
    CollectionDocketItem,
    DebitBatch,
    DebitBatchLine,
    Mandate,
    PaymentReminder,
)
from .events import MoneyEvent
from .invoices import Allocation, CreditNote, Invoice, InvoiceLine
from .payments import (
    DepositSlip,
    Payment,
    PaymentAttempt,
    PaymentAttemptEvent,
    PaymentRequest,
    PaymentRequestInvoice,
)
from .regies import BilledMonth, Regie, RegieActivity
from .runs import InvoicingRun

__all__ = [
    "Allocation",
    "BilledMonth",
    "CollectionDocket",
    "CollectionDocketItem",
    "DebitBatch",
    "DebitBatchLine",
    "Mandate",
    "PaymentReminder",
    "CreditNote",
    "DepositSlip",
    "Invoice",
    "InvoiceLine",
    "InvoicingRun",
    "MoneyEvent",
    "Payment",
    "PaymentAttempt",
    "PaymentAttemptEvent",
    "PaymentRequest",
    "PaymentRequestInvoice",
    "Regie",
    "RegieActivity",
]
