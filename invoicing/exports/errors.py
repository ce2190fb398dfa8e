"""The one error of the exports; `message` is translated and names what is wrong."""

from core.errors import DomainError


class ExportError(DomainError):
    """A file that cannot be built as asked: nothing is written."""
