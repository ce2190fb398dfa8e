"""The family's data export (RGPD right of access): all its data as JSON, with its files, zipped.

Only what belongs to the household: a child shared with another household appears with this
household's membership and authorised persons, never the other household's guardians,
authorised persons or documents.

A large family's archive takes seconds and hundreds of megabytes to build, so it is never
built in a request: the family asks (one export at a time), a task builds the ZIP into the
private storage, the family is alerted (and e-mailed), and downloads it from its « Mes
données » page until the link expires (DATA_EXPORT_LINK_HOURS, 24 h); `purge_private_files`
then deletes the file. The states are in models/exports.py.
"""

import datetime
import json
import logging
import posixpath
import zipfile
from tempfile import SpooledTemporaryFile

from django.conf import settings
from django.core.files import File
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_tasks import task

from core.actors import user_or_none

from ..alerts.kinds import AlertKind
from ..alerts.tell import family_tell
from ..audit import family_event_record
from ..errors import PortalError
from ..models import DataExport, FamilyEvent, Link
from .selectors import family_export_data

logger = logging.getLogger(__name__)

Status = DataExport.Status
# An export still waiting or running after this long lost its worker: the family may ask again.
STALE_AFTER = datetime.timedelta(hours=6)

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


def data_export_archive(*, family, now) -> SpooledTemporaryFile:
    """Build the ZIP (data.json + files/…); returns the file at offset 0, to close."""
    names = ZipNames()
    data, files = family_export_data(family=family)
    archive_file = SpooledTemporaryFile(max_size=SPOOL_MAX_SIZE)  # noqa: SIM115
    with zipfile.ZipFile(archive_file, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for entry, stored in files:
            zip_name = names.name(entry.pop("_folder"), entry["original_name"], entry.pop("_id"))
            entry["file"] = zip_name
            if not stored:
                entry["file"] = None  # deleted (a refused document after its grace period)
                continue
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
    archive_file.seek(0)
    return archive_file


def data_export_request(*, family, user, now=None) -> DataExport:
    """The family asks for its data: one export at a time, built by a task.

    The task is queued in the same transaction as the export (with the database backend the
    worker sees both or neither)."""
    now = now or timezone.now()
    already = PortalError(
        _("Your data is already being prepared. You will get an alert when it is ready.")
    )
    with transaction.atomic():
        if DataExport.objects.for_family(family).filter(status__in=DataExport.IN_PROGRESS).exists():
            raise already
        try:
            with transaction.atomic():
                export = DataExport.objects.create(
                    family=family,
                    requested_by=user_or_none(user),
                    requested_at=now,
                )
        except IntegrityError as error:  # asked twice at the same instant
            raise already from error
        data_export_build_task.enqueue(export_id=export.pk)
    logger.info("Data export %s requested for family %s", export.pk, family.pk)
    return export


@task()
def data_export_build_task(*, export_id: int) -> None:
    data_export_build(export_id=export_id)


def data_export_build(*, export_id: int, now=None) -> DataExport | None:
    """Build a pending export's archive into the private storage, then alert the family.

    Safe to run twice: an export that is no longer pending is left alone. If the build
    fails, the export is marked failed and no file is left."""
    clock = (lambda: now) if now else timezone.now
    with transaction.atomic():
        export = (
            DataExport.objects.select_for_update(of=("self",))
            .select_related("family")
            .filter(pk=export_id)
            .first()
        )
        if export is None or export.status != Status.PENDING:
            return export
        export.status = Status.RUNNING
        export.started_at = clock()
        export.save(update_fields=["status", "started_at"])
    storage = export.file.storage
    try:
        with data_export_archive(family=export.family, now=export.started_at) as archive:
            export.file.save("export.zip", File(archive), save=False)
        with transaction.atomic():
            locked = DataExport.objects.select_for_update().get(pk=export.pk)
            if locked.status != Status.RUNNING:
                raise RuntimeError(f"data export {export.pk} given up while it was built")
            locked.file = export.file.name
            locked.size = storage.size(export.file.name)
            locked.status = Status.READY
            locked.finished_at = clock()
            locked.expires_at = locked.finished_at + datetime.timedelta(
                hours=settings.DATA_EXPORT_LINK_HOURS
            )
            locked.save(update_fields=["file", "size", "status", "finished_at", "expires_at"])
            family_tell(
                export.family,
                kind=AlertKind.DATA_EXPORT_READY,
                title=_("Your data is ready to download"),
                body=_("Download it from the “My data” page before %(date)s, when the link ends.")
                % {"date": date_format(timezone.localtime(locked.expires_at), "DATETIME_FORMAT")},
                link=Link("rgpd:export"),
                now=locked.finished_at,
            )
    except BaseException:
        if export.file.name:
            storage.delete(export.file.name)
        DataExport.objects.filter(pk=export.pk, status=Status.RUNNING).update(
            status=Status.FAILED, file="", finished_at=clock()
        )
        logger.exception("Data export %s failed", export.pk)
        raise
    logger.info("Data export %s ready (%s bytes)", locked.pk, locked.size)
    return locked


def data_export_downloaded(*, export: DataExport, user, now=None) -> None:
    """Each download of the archive is recorded in the family's file."""
    with transaction.atomic():
        family_event_record(
            family=export.family,
            actor=user,
            action=FamilyEvent.Action.EXPORTED,
            description=_("The family downloaded all its data."),
            data={"export_id": export.pk},
            now=now,
        )


def data_exports_purge(*, now=None) -> int:
    """Delete the archives whose link ended (the export is marked expired) and give up on
    exports no worker finished in time, so the family may ask again. Returns how many."""
    now = now or timezone.now()
    purged = 0
    expired = DataExport.objects.filter(status=Status.READY, expires_at__lte=now)
    for pk in list(expired.values_list("pk", flat=True)):
        with transaction.atomic():
            locked = (
                DataExport.objects.select_for_update()
                .filter(pk=pk, status=Status.READY, expires_at__lte=now)
                .first()
            )
            if locked is None:
                continue
            name = locked.file.name
            locked.status = Status.EXPIRED
            locked.file = ""
            locked.save(update_fields=["status", "file"])
            if name:
                locked.file.storage.delete(name)
        purged += 1
    stale = DataExport.objects.filter(
        status__in=DataExport.IN_PROGRESS, requested_at__lte=now - STALE_AFTER
    )
    purged += stale.update(status=Status.FAILED, finished_at=now)
    return purged
