"""Supporting documents sent with a request (an account, a new child) before the family file
or the child exists: checked by content and stored at once in the private storage, under a
random name; when staff accept the request each becomes a pending document of the family
(the same file), which staff may validate in the same step. A refused request's files go."""

from functools import partial

from django.db import transaction

from core.uploads import check_upload

from ..audit import family_event_record
from ..models import FamilyEvent, SupportingDocument
from .services import supporting_documents_validate as documents_validate

__all__ = [
    "attachments_discard",
    "attachments_store",
    "document_from_attachment",
    "documents_validate",
]


def attachments_store(*, documents, build) -> list:
    """`documents`: (place or None, document type, uploaded file); `build(place, document
    type, checked upload)` makes the unsaved attachment. Called inside the transaction that
    stores the request: a failure leaves no file."""
    stored = []
    try:
        for place, document_type, uploaded in documents:
            checked = check_upload(uploaded)
            attachment = build(place, document_type, checked)
            attachment.original_name = checked.original_name
            attachment.content_type = checked.content_type
            attachment.size = checked.size
            attachment.file.save("upload", checked.file, save=False)
            stored.append(attachment)
            attachment.save()
    except BaseException:
        for attachment in stored:
            attachment.file.storage.delete(attachment.file.name)
        raise
    return stored


def document_from_attachment(
    attachment, *, family, child, uploaded_at, uploaded_by, actor, description, now
) -> SupportingDocument:
    """Make `attachment` a pending document of `family` (for `child`, or the family's when
    None) on the same stored file, sent at `uploaded_at` by `uploaded_by`, and write in the
    family's history `description`, the caller's own text. The attachment row stays: the
    caller deletes its request's attachments once all are transferred."""
    document = SupportingDocument.objects.create(
        family=family,
        child=child,
        document_type=attachment.document_type,
        file=attachment.file.name,
        original_name=attachment.original_name,
        content_type=attachment.content_type,
        size=attachment.size,
        status=SupportingDocument.Status.PENDING,
        uploaded_at=uploaded_at,
        uploaded_by=uploaded_by,
    )
    family_event_record(
        family=family,
        actor=actor,
        action=FamilyEvent.Action.CREATED,
        description=description,
        data={"document_id": document.pk, "file_name": document.original_name},
        now=now,
    )
    return document


def attachments_discard(attachments) -> None:
    """Delete a refused request's attachments; their files once the refusal is saved."""
    names = [attachment.file.name for attachment in attachments if attachment.file]
    storage = attachments.model._meta.get_field("file").storage
    attachments.delete()

    def delete_files():
        for name in names:
            storage.delete(name)

    transaction.on_commit(partial(delete_files))
