"""The one error type of the family portal's services."""

from core.errors import DomainError


class PortalError(DomainError):
    """A refused state change of a family's file, account or messages."""
