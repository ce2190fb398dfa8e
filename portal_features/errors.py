"""The one error type of the family portal's services."""


class PortalError(Exception):
    """A refused state change; `message` is translated, ready to show to the user."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self):
        return str(self.message)


class UploadError(PortalError):
    """A refused file: the view shows `message` next to the file's field (`index`: which of
    several file fields, in order)."""

    def __init__(self, message, *, index: int = 0):
        super().__init__(message)
        self.index = index
