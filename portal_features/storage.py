"""Families' files live apart from public media and are served only through checked views."""

import uuid

from django.core.files.storage import storages

PRIVATE_STORAGE_ALIAS = "private"


# The only formats families may send; the extension comes from the sniffed content type.
EXTENSION_BY_CONTENT_TYPE = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


class PrivateFileMixin:
    """For models whose `file` lives in the private storage with a `content_type` field."""

    @property
    def file_extension(self) -> str:
        return EXTENSION_BY_CONTENT_TYPE.get(self.content_type, "bin")


def private_storage():
    return storages[PRIVATE_STORAGE_ALIAS]


def random_private_name(instance, filename: str) -> str:
    """A random name: nothing of the family's original file name reaches the disk."""
    extension = getattr(instance, "file_extension", "") or "bin"
    return f"{instance.private_folder}/{uuid.uuid4().hex}.{extension}"
