"""Families' files live apart from public media and are served only through checked views."""

import re
import unicodedata
import uuid

from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import FileResponse, Http404, HttpResponse
from django.utils.functional import LazyObject, empty
from django.utils.translation import gettext

PRIVATE_STORAGE_ALIAS = "private"


# The only formats families may send; the extension comes from the sniffed content type.
EXTENSION_BY_CONTENT_TYPE = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
# What private files are served as: the families' formats, and the data exports we build.
SERVED_EXTENSIONS = {**EXTENSION_BY_CONTENT_TYPE, "application/zip": "zip"}
# Extensions families give those formats, dropped from the stem of a download's name.
FAMILY_EXTENSIONS = (".pdf", ".jpg", ".jpeg", ".jpe", ".png", ".zip")


class PrivateFileMixin:
    """For models whose `file` lives in the private storage with a `content_type` field."""

    @classmethod
    def files_counted_for(cls, family):
        """The rows (with a `size`) whose stored file counts against the family's storage
        quota; None for files the family does not send."""
        return None

    @property
    def file_extension(self) -> str:
        return SERVED_EXTENSIONS.get(self.content_type, "bin")


class _PrivateStorage(LazyObject):
    """Resolved at each use rather than when models load, so that a change of
    settings.STORAGES (as tests make, to write into a temporary folder) takes effect."""

    def _setup(self):
        self._wrapped = storages[PRIVATE_STORAGE_ALIAS]


_private_storage = _PrivateStorage()


@receiver(setting_changed)
def _reset_private_storage(*, setting, **kwargs):
    if setting == "STORAGES":
        _private_storage._wrapped = empty


def private_storage():
    return _private_storage


def random_private_name(instance, filename: str) -> str:
    """A random name: nothing of the family's original file name reaches the disk."""
    extension = getattr(instance, "file_extension", "") or "bin"
    return f"{instance.private_folder}/{uuid.uuid4().hex}.{extension}"


def download_name(original_name: str, content_type: str) -> str:
    """`<stem>.<extension of the sniffed type>`: the family's name gives the stem only.

    The family's last extension goes, with any PDF or image extension before it
    ("attestation-caf.pdf.hta" sniffed as a PDF is served as "attestation-caf.pdf"); the stem
    keeps letters, digits, spaces and - _ ( ), other dots become dashes. Nothing in the name
    can make a browser or a desktop open the file as something else than its content.
    """
    base = unicodedata.normalize("NFC", (original_name or "").replace("\\", "/").split("/")[-1])
    stem, dot, _extension = base.rpartition(".")
    if dot and stem:
        base = stem
    while base.lower().endswith(FAMILY_EXTENSIONS):
        base = base.rpartition(".")[0]
    stem = re.sub(r"[^\w \-()]+", "-", base)
    stem = re.sub(r"\s+", " ", re.sub(r"-+", "-", stem)).strip(" -_")[:100]
    extension = SERVED_EXTENSIONS.get(content_type, "bin")
    return f"{stem or gettext('document')}.{extension}"


def private_file_response(stored):
    """Send a private file (a model with file, original_name and content_type) as a download;
    only ever called after the caller checked who may see it. Every view that serves a
    family's file goes through here: the name and type come from the sniffed content."""
    if not stored.file:
        raise Http404  # deleted (a refused document after its grace period, an expired export)
    try:
        handle = stored.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    content_type = stored.content_type if stored.content_type in SERVED_EXTENSIONS else None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=download_name(stored.original_name, stored.content_type),
        content_type=content_type or "application/octet-stream",
    )
    # The type was sniffed on upload; the browser must not guess another one, run nothing
    # from it if opened in place, and keep no copy on a shared computer.
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


def made_file_response(content, filename: str, content_type: str, *, inline=False, private=False):
    """Send a file the site made (a PDF, an XML file for the bank or the Trésor, a ZIP) as
    `filename` (accents dropped), opened in place (`inline`) or downloaded; `private`: a
    family's document, which a shared computer must not keep a copy of."""
    plain = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode()
    plain = plain.replace('"', "")
    response = HttpResponse(content, content_type=content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{plain}"'
    if private:
        response["Cache-Control"] = "private, no-store"
    return response
