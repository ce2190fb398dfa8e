"""Supporting documents: families send them, Enfance staff validate or refuse them.

Transitions (one service each, the row locked before its status is read):

    pending ──validate──> valid      (valid_from, valid_until: « Valide du … au … »)
    pending ──refuse───> refused     (a reason the family reads)

A refused document keeps its file for a grace period (REFUSED_DOCUMENT_FILE_DAYS, 30 days):
staff see what was refused and the family finds it in its data export; then
`purge_private_files` deletes the file and keeps the row and its history. A refused document
never counts as valid again; a family sends a new one instead.
"""

import datetime
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from core.actors import user_or_none
from core.errors import UploadError
from core.states import Moves
from core.time import local_today
from core.uploads import check_upload

from ..alerts.kinds import AlertKind
from ..alerts.tell import FileEvent, family_tell
from ..audit import family_event_record
from ..choices import DOCUMENT_TRANSITIONS
from ..errors import PortalError
from ..models import ChildMembership, DocumentType, FamilyEvent, Link, SupportingDocument
from ..upload_limits import family_uploads_reserve
from .selectors import EXPIRING_SOON_DAYS, validity_text

logger = logging.getLogger(__name__)

Status = SupportingDocument.Status


def _label(document_type, child) -> str:
    if child is None:
        return document_type.name
    return f"{document_type.name} – {child.first_name}"


CHECKLIST_LINK = Link("documents:list")


def supporting_document_upload(
    *, family, document_type: DocumentType, child=None, uploaded_file, user, now=None
) -> SupportingDocument:
    """Check the file by its content, store it under a random name, await staff validation.

    If anything fails once the file is written, the file is removed: a refused or failed
    upload leaves nothing behind."""
    now = now or timezone.now()
    try:
        checked = check_upload(uploaded_file)
    except ValidationError as error:
        raise UploadError(error.messages[0]) from error
    if document_type.scope == DocumentType.Scope.CHILD and child is None:
        raise PortalError(gettext("Choose the child this document is for."))
    if document_type.scope == DocumentType.Scope.FAMILY and child is not None:
        raise PortalError(gettext("This document is asked once for the whole family."))
    if (
        child is not None
        and not ChildMembership.objects.filter(family=family, child=child).exists()
    ):
        raise PortalError(gettext("This child is not in your family file."))

    document = SupportingDocument(
        family=family,
        child=child,
        document_type=document_type,
        original_name=checked.original_name,
        content_type=checked.content_type,
        size=checked.size,
        status=Status.PENDING,
        uploaded_at=now,
        uploaded_by=user_or_none(user),
    )
    storage = document.file.storage
    written = None
    try:
        with transaction.atomic():
            family_uploads_reserve(family=family, sizes=[checked.size], now=now)
            # The name comes from random_private_name; nothing of the family's name reaches disk.
            document.file.save("upload", checked.file, save=False)
            written = document.file.name
            document.save()
            family_event_record(
                family=family,
                actor=user,
                action=FamilyEvent.Action.CREATED,
                description=gettext("Document sent: %(document)s")
                % {"document": _label(document_type, child)},
                data={"document_id": document.pk, "file_name": document.original_name},
                now=now,
            )
    except BaseException:
        if written:
            storage.delete(written)
        raise
    logger.info("Supporting document %s sent for family %s", document.pk, family.pk)
    return document


def _locked(document: SupportingDocument) -> SupportingDocument:
    return (
        SupportingDocument.objects.select_for_update(of=("self",))
        .select_related("family", "child", "document_type")
        .get(pk=document.pk)
    )


ALREADY_PROCESSED = gettext_lazy("This document has already been processed (%(status)s).")
MOVES = Moves(DOCUMENT_TRANSITIONS, PortalError, ALREADY_PROCESSED)


def default_valid_until(document_type: DocumentType, valid_from: datetime.date):
    """The end date proposed to staff: the type's default validity, or none."""
    if not document_type.default_validity_days:
        return None
    return valid_from + datetime.timedelta(days=document_type.default_validity_days - 1)


def supporting_document_validate(
    *,
    document: SupportingDocument,
    actor,
    valid_from: datetime.date,
    valid_until: datetime.date | None = None,
    now=None,
) -> SupportingDocument:
    now = now or timezone.now()
    if valid_from is None:
        raise PortalError(gettext("Give the date the document is valid from."))
    with transaction.atomic():
        locked = _locked(document)
        MOVES.check(locked, Status.VALID)
        if valid_until is None:
            valid_until = default_valid_until(locked.document_type, valid_from)
        if valid_until is not None and valid_until < valid_from:
            raise PortalError(gettext("The end of validity is before its start."))
        locked.valid_from = valid_from
        locked.valid_until = valid_until
        MOVES.decide(
            locked,
            Status.VALID,
            actor=actor,
            reason="",
            now=now,
            also=["valid_from", "valid_until"],
        )
        label = _label(locked.document_type, locked.child)
        validity = validity_text(locked)
        family_tell(
            locked.family,
            kind=AlertKind.DOCUMENT_VALIDATED,
            title=gettext("Document validated: %(document)s") % {"document": label},
            body=validity,
            link=CHECKLIST_LINK,
            actor=actor,
            event=FileEvent(
                FamilyEvent.Action.ACCEPTED,
                gettext("Document validated: %(document)s (%(validity)s)")
                % {"document": label, "validity": validity},
                data={"document_id": locked.pk},
            ),
            now=now,
        )
    logger.info("Supporting document %s validated by user %s", locked.pk, actor.pk)
    return locked


def supporting_documents_validate(*, documents, actor, now=None) -> None:
    """Validate pending documents in one staff step (a request accepted, an administrative
    file validated), each from today for its type's default validity."""
    now = now or timezone.now()
    today = local_today(now)
    for document in documents:
        supporting_document_validate(
            document=document,
            actor=actor,
            valid_from=today,
            valid_until=default_valid_until(document.document_type, today),
            now=now,
        )


def supporting_document_refuse(
    *, document: SupportingDocument, actor, reason: str, now=None
) -> SupportingDocument:
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise PortalError(gettext("Give the reason for the refusal; the family will read it."))
    with transaction.atomic():
        locked = _locked(document)
        MOVES.check(locked, Status.REFUSED)
        MOVES.decide(locked, Status.REFUSED, actor=actor, reason=reason, now=now)
        label = _label(locked.document_type, locked.child)
        family_tell(
            locked.family,
            kind=AlertKind.DOCUMENT_REFUSED,
            title=gettext("Document refused: %(document)s") % {"document": label},
            body=reason,
            link=CHECKLIST_LINK,
            actor=actor,
            event=FileEvent(
                FamilyEvent.Action.REFUSED, data={"document_id": locked.pk, "reason": reason}
            ),
            now=now,
        )
    logger.info("Supporting document %s refused by user %s", locked.pk, actor.pk)
    return locked


def supporting_documents_notify_expiring(*, today: datetime.date, now=None) -> int:
    """Tell each family once that a validated document ends within 30 days (unless it has
    already sent a newer one). Safe to run twice a day: returns how many were told."""
    now = now or timezone.now()
    limit = today + datetime.timedelta(days=EXPIRING_SOON_DAYS)
    same_slot = SupportingDocument.objects.filter(
        family=OuterRef("family"),
        document_type=OuterRef("document_type"),
        child=OuterRef("child"),
    ).exclude(pk=OuterRef("pk"))
    replaced = Exists(
        same_slot.filter(
            Q(status=Status.PENDING)
            | Q(status=Status.VALID, valid_until__isnull=True)
            | Q(status=Status.VALID, valid_until__gt=OuterRef("valid_until"))
        )
    )
    # `child` may be null: OuterRef equality never matches NULL, so compare it apart.
    replaced_family_scope = Exists(
        SupportingDocument.objects.filter(
            family=OuterRef("family"), document_type=OuterRef("document_type"), child=None
        )
        .exclude(pk=OuterRef("pk"))
        .filter(
            Q(status=Status.PENDING)
            | Q(status=Status.VALID, valid_until__isnull=True)
            | Q(status=Status.VALID, valid_until__gt=OuterRef("valid_until"))
        )
    )
    candidates = (
        SupportingDocument.objects.filter(
            status=Status.VALID,
            valid_until__gte=today,
            valid_until__lte=limit,
            expiry_notified_at__isnull=True,
        )
        .exclude(Q(child__isnull=False) & replaced)
        .exclude(Q(child__isnull=True) & replaced_family_scope)
        .values_list("pk", flat=True)
    )
    told = 0
    for pk in list(candidates):
        with transaction.atomic():
            locked = (
                SupportingDocument.objects.select_for_update(of=("self",))
                .select_related("family", "child", "document_type")
                .filter(pk=pk, status=Status.VALID, expiry_notified_at__isnull=True)
                .first()
            )
            if locked is None:
                continue  # told meanwhile by another run
            locked.expiry_notified_at = now
            locked.save(update_fields=["expiry_notified_at"])
            label = _label(locked.document_type, locked.child)
            family_tell(
                locked.family,
                kind=AlertKind.DOCUMENT_EXPIRING,
                title=gettext("Document expiring: %(document)s") % {"document": label},
                body=gettext("%(validity)s. Please send a new one before it ends.")
                % {"validity": validity_text(locked)},
                link=CHECKLIST_LINK,
                now=now,
            )
            told += 1
    return told


def supporting_documents_purge_refused(*, now=None) -> int:
    """Delete the files of the documents refused more than REFUSED_DOCUMENT_FILE_DAYS ago.

    The row stays (what was sent, when, why it was refused), with `file_deleted_at`, and the
    family's history says so. The file is deleted inside the transaction: if the deletion
    fails, the document is not marked and the next run tries again. Returns how many."""
    now = now or timezone.now()
    limit = now - datetime.timedelta(days=settings.REFUSED_DOCUMENT_FILE_DAYS)
    candidates = (
        SupportingDocument.objects.filter(status=Status.REFUSED, decided_at__lte=limit)
        .exclude(file="")
        .values_list("pk", flat=True)
    )
    purged = 0
    for pk in list(candidates):
        with transaction.atomic():
            locked = (
                SupportingDocument.objects.select_for_update(of=("self",))
                .select_related("family", "child", "document_type")
                .filter(pk=pk, status=Status.REFUSED)
                .exclude(file="")
                .first()
            )
            if locked is None:
                continue  # purged meanwhile by another run
            name = locked.file.name
            locked.file = ""
            locked.file_deleted_at = now
            locked.save(update_fields=["file", "file_deleted_at"])
            family_event_record(
                family=locked.family,
                actor=None,
                action=FamilyEvent.Action.CHANGED,
                description=gettext("File of a refused document deleted: %(document)s")
                % {"document": _label(locked.document_type, locked.child)},
                data={"document_id": locked.pk},
                now=now,
            )
            SupportingDocument._meta.get_field("file").storage.delete(name)
        purged += 1
    return purged
