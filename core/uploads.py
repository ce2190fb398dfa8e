"""Files families send (supporting documents, message attachments, medical certificates):
checked by content.

A file's name and the browser's declared type prove nothing; the content does. Only PDF, JPEG
and PNG of at most 6 MB are accepted, and only when the whole file is one: the first bytes
choose the format, then a PDF must open with its pages (pypdf) and nothing but blank space
after its last `%%EOF`, an image must decode (Pillow) within a pixel limit. A file that merely
starts like a PDF (an HTML page, an HTA application behind a `%PDF-` line) is refused. The
original name is kept for display only; downloads are named from the sniffed type.
"""

import io
import logging
import os
import threading
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageFile
from pypdf import PdfReader

from .french import file_size

MAX_UPLOAD_BYTES = 6 * 1024 * 1024
# A 48-megapixel phone photo passes; a small file that would inflate into gigabytes of pixels
# (a "decompression bomb") does not.
MAX_IMAGE_PIXELS = 50_000_000
# Magic numbers of the accepted formats, and the content type each one proves.
SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)
SNIFF_BYTES = 16
# How far from the end the last "%%EOF" is looked for; after it only blank bytes may follow.
PDF_TAIL_BYTES = 2048
PILLOW_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG"}
# The checked result is kept on the uploaded file: the form and the service check the same
# file, and a PDF is parsed once.
_CHECKED_ATTRIBUTE = "_portal_checked_upload"
_PILLOW_FLAG_LOCK = threading.Lock()
# pypdf logs every repair it makes on a slightly broken file; only failures matter here.
logging.getLogger("pypdf").setLevel(logging.ERROR)


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
    """The file's own name without any folder part, safe to show."""
    base = os.path.basename((name or "").replace("\\", "/"))
    base = unicodedata.normalize("NFC", base)
    base = "".join(char for char in base if char.isprintable() and char not in '"<>:|?*')
    return base.strip(" .")[:200] or _("document")


def _read_all(uploaded_file) -> bytes:
    uploaded_file.seek(0)
    data = uploaded_file.read()
    uploaded_file.seek(0)
    return data


def _pdf_is_whole(data: bytes) -> bool:
    """A document pypdf opens, with at least one page, ending at its last %%EOF."""
    tail = data[-PDF_TAIL_BYTES:]
    end = tail.rfind(b"%%EOF")
    if end < 0 or tail[end + len(b"%%EOF") :].strip(b" \t\r\n\x00\x0c"):
        return False
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            # Official attestations are often "protected" with an empty password; one with a
            # real password still parsed up to its trailer, which is what we check here.
            try:
                reader.decrypt("")
            except Exception:  # a missing cipher or a real password
                return True
        return len(reader.pages) > 0
    except Exception:  # pypdf raises many kinds of errors on a broken file
        return False


@contextmanager
def _strict_pillow():
    """WeasyPrint, once imported, tells Pillow to decode truncated or damaged images quietly
    (a process-wide flag); an upload's check needs Pillow to say so. Sync app servers and the
    task worker run one request at a time, so restoring the flag afterwards is enough."""
    with _PILLOW_FLAG_LOCK:
        previous = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = previous


def _image_error(data: bytes, content_type: str) -> str | None:
    """None when Pillow decodes the image as the sniffed format; the French reason if not."""
    not_an_image = _("This file is damaged or is not a real %(format)s image.") % {
        "format": PILLOW_FORMATS[content_type]
    }
    try:
        with _strict_pillow(), Image.open(io.BytesIO(data)) as image:
            if image.format != PILLOW_FORMATS[content_type]:
                return not_an_image
            if image.width * image.height > MAX_IMAGE_PIXELS:
                return _(
                    "This image is too large (%(megapixels)d million pixels); "
                    "the maximum is %(maximum)d million."
                ) % {
                    "megapixels": image.width * image.height // 1_000_000,
                    "maximum": MAX_IMAGE_PIXELS // 1_000_000,
                }
            image.verify()  # PNG: every chunk and its checksum, up to the end
        with _strict_pillow(), Image.open(io.BytesIO(data)) as image:
            if image.format == "JPEG":
                # A JPEG is proved by decoding it; at an eighth of its size it costs little.
                image.draft("RGB", (max(image.width // 8, 1), max(image.height // 8, 1)))
                image.load()
    except Exception:  # Pillow raises many kinds of errors on a broken file
        return not_an_image
    return None


def check_upload(uploaded_file) -> CheckedUpload:
    """Raise a ValidationError (French message) unless the file is a real PDF, JPEG or PNG
    of at most 6 MB."""
    checked = getattr(uploaded_file, _CHECKED_ATTRIBUTE, None)
    if checked is not None:
        return checked
    size = uploaded_file.size
    if not size:
        raise ValidationError(_("The file is empty."), code="empty")
    if size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is too large (%(size)s); the maximum is %(maximum)s.")
            % {"size": file_size(size), "maximum": file_size(MAX_UPLOAD_BYTES)},
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
    data = _read_all(uploaded_file)
    if content_type == "application/pdf":
        if not _pdf_is_whole(data):
            raise ValidationError(
                _("This file is damaged or is not a real PDF document."), code="invalid_pdf"
            )
    else:
        error = _image_error(data, content_type)
        if error:
            raise ValidationError(error, code="invalid_image")
    checked = CheckedUpload(
        file=uploaded_file,
        content_type=content_type,
        size=size,
        original_name=display_name(uploaded_file.name),
    )
    setattr(uploaded_file, _CHECKED_ATTRIBUTE, checked)
    return checked
