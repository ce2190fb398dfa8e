"""Files families send (supporting documents, message attachments): checked by content.

A file's name and the browser's declared type prove nothing; the first bytes do. Only PDF,
JPEG and PNG of at most 6 MB are accepted, and the original name is kept for display only.
"""

import os
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 6 * 1024 * 1024
# Magic numbers of the accepted formats, and the content type each one proves.
SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)
SNIFF_BYTES = 16


@dataclass(frozen=True)
class CheckedUpload:
    file: object
    content_type: str
    size: int
    original_name: str


def sniff_content_type(head: bytes) -> str | None:
    # Strictly at the start: an HTML page with "%PDF-" further down is still HTML.
    for signature, content_type in SIGNATURES:
        if head.startswith(signature):
            return content_type
    return None


def display_name(name: str) -> str:
    """The file's own name without any folder part, safe to show and to offer on download."""
    base = os.path.basename((name or "").replace("\\", "/"))
    base = unicodedata.normalize("NFC", base)
    base = "".join(char for char in base if char.isprintable() and char not in '"<>:|?*')
    return base.strip(" .")[:200] or _("document")


def check_upload(uploaded_file) -> CheckedUpload:
    """Raise a ValidationError (French message) unless the file is a real PDF, JPEG or PNG
    of at most 6 MB."""
    size = uploaded_file.size
    if not size:
        raise ValidationError(_("The file is empty."), code="empty")
    if size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is too large (%(size)s); the maximum is %(maximum)s.")
            % {"size": filesizeformat(size), "maximum": filesizeformat(MAX_UPLOAD_BYTES)},
            code="too_large",
        )
    uploaded_file.seek(0)
    head = uploaded_file.read(SNIFF_BYTES)
    uploaded_file.seek(0)
    content_type = sniff_content_type(head)
    if content_type is None:
        raise ValidationError(
            _("This file is not a PDF, JPEG or PNG document."), code="invalid_type"
        )
    return CheckedUpload(
        file=uploaded_file,
        content_type=content_type,
        size=size,
        original_name=display_name(uploaded_file.name),
    )
