"""The one error type of the invoicing services."""

from core.errors import DomainError


class InvoicingError(DomainError):
    """A refused invoicing action; `message` is translated, ready to show to staff."""
