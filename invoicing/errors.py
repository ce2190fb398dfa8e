"""The one error type of the invoicing services."""

from portal_features.errors import PortalError


class InvoicingError(PortalError):
    """A refused invoicing action; `message` is translated, ready to show to staff."""
