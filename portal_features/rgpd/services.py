"""The family's data export (RGPD right of access): all its data as JSON, with its files, zipped.

Only what belongs to the household: a child shared with another household appears with this
household's membership and authorised persons, never the other household's guardians,
authorised persons or documents.
"""

import json
import posixpath
import zipfile
from tempfile import SpooledTemporaryFile

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..audit import family_event_record
from ..models import FamilyEvent
from .selectors import family_export_data

# Kept in memory up to this size, then spilled to a temporary file on disk.
SPOOL_MAX_SIZE = 8 * 1024 * 1024


class ZipNames:
    """Readable, unique names inside the archive, from the families' original file names."""

    def __init__(self):
        self.taken = set()

    def name(self, folder: str, original_name: str, fallback: str) -> str:
        base = (original_name or "").replace("\\", "/").split("/")[-1].strip() or fallback
        stem, dot, extension = base.rpartition(".")
        if not dot:
            stem, extension = base, ""
        candidate, counter = posixpath.join(folder, base), 2
        while candidate.lower() in self.taken:
            numbered = f"{stem} ({counter}).{extension}" if extension else f"{stem} ({counter})"
            candidate, counter = posixpath.join(folder, numbered), counter + 1
        self.taken.add(candidate.lower())
        return candidate


def export_filename(family) -> str:
    return f"portail-famille-{family.number}.zip"


def family_data_export(*, family, actor, now=None) -> SpooledTemporaryFile:
    """Build the ZIP (data.json + files/…), record the export; returns the file at offset 0."""
    now = now or timezone.now()
    names = ZipNames()
    data, files = family_export_data(family=family)
    # Returned open: FileResponse streams it, then closes it.
    archive_file = SpooledTemporaryFile(max_size=SPOOL_MAX_SIZE)  # noqa: SIM115
    with zipfile.ZipFile(archive_file, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for entry, stored in files:
            zip_name = names.name(entry.pop("_folder"), entry["original_name"], entry.pop("_id"))
            entry["file"] = zip_name
            try:
                with stored.open("rb") as source, archive.open(zip_name, "w") as target:
                    for chunk in iter(lambda: source.read(64 * 1024), b""):
                        target.write(chunk)
            except FileNotFoundError:
                entry["file"] = None  # lost from the storage: the metadata still says it existed
        data["exported_at"] = now
        archive.writestr(
            "data.json",
            json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        )
    with transaction.atomic():
        family_event_record(
            family=family,
            actor=actor,
            action=FamilyEvent.Action.EXPORTED,
            description=_("The family downloaded all its data."),
            now=now,
        )
    archive_file.seek(0)
    return archive_file
