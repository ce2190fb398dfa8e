"""The one error base: a refused state change, with a message ready to show.

Every app raises its own subclass (`PortalError`, `ReservationError`, …) from its services;
views and staff screens catch `DomainError` and show `message` (translated, in French) next
to what caused it. Infrastructure errors that several apps raise live here.
"""


class DomainError(Exception):
    """A refused request; `message` is translated, ready to show to the user."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self):
        return str(self.message)


class UploadError(DomainError):
    """A refused file: the view shows `message` next to the file's field (`index`: which of
    several file fields, in order)."""

    def __init__(self, message, *, index: int = 0):
        super().__init__(message)
        self.index = index
