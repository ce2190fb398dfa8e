"""Store the demo's generated pictures and PDFs as Wagtail images and documents, once.

An existing object with the same title is reused, so a second run writes no new file.
"""

import io

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from wagtail.documents import get_document_model
from wagtail.images import get_image_model


def ensure_image(*, title: str, filename: str, render):
    """The image titled `title`, drawn by `render()` (bytes) only when it does not exist yet."""
    Image = get_image_model()
    image = Image.objects.filter(title=title).first()
    if image is None:
        image = Image(title=title, file=ImageFile(io.BytesIO(render()), name=filename))
        # Size and hash, as Wagtail's upload form records them (used for duplicate detection).
        image._set_image_file_metadata()
        image.save()
    return image


def ensure_document(*, title: str, filename: str, render, **fields):
    """The document titled `title`, rendered by `render()` (bytes) only when missing."""
    Document = get_document_model()
    document = Document.objects.filter(title=title).first()
    if document is None:
        document = Document(title=title, file=ContentFile(render(), name=filename), **fields)
        document._set_document_file_metadata()
        document.save()
    return document
