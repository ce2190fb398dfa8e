"""Families' files live apart from public media and are served only through checked views."""

import uuid

from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty

PRIVATE_STORAGE_ALIAS = "private"


# The only formats families may send; the extension comes from the sniffed content type.
EXTENSION_BY_CONTENT_TYPE = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


class PrivateFileMixin:
    """For models whose `file` lives in the private storage with a `content_type` field."""

    @property
    def file_extension(self) -> str:
        return EXTENSION_BY_CONTENT_TYPE.get(self.content_type, "bin")


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


def private_file_response(stored):
    """Send a family's file (a model with file, original_name and content_type) as a download
    under its original name; only ever called after the caller checked who may see it."""
    from django.http import FileResponse

    response = FileResponse(
        stored.file.open("rb"),
        as_attachment=True,
        filename=stored.original_name,
        content_type=stored.content_type,
    )
    # The type was sniffed on upload; the browser must not guess another one.
    response["X-Content-Type-Options"] = "nosniff"
    return response
