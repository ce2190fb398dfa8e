"""The one error of the exports; `message` is translated and names what is wrong."""

from portal_features.errors import PortalError


class ExportError(PortalError):
    """A file that cannot be built as asked: nothing is written."""
