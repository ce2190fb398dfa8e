"""The one error type of the reservation services."""

from core.errors import DomainError, UploadError


class ReservationError(DomainError):
    """A refused request; `message` is translated, `reasons` lists each blocking point."""

    def __init__(self, message, *, reasons=None):
        super().__init__(message)
        self.reasons = list(reasons or [])


class CertificateError(ReservationError, UploadError):
    """A refused medical certificate (not a real PDF/JPEG/PNG, over the family's quota or
    hourly rate): shown next to the certificate's field."""
