"""Supporting documents sent with an account request ("Nouveau dossier").

Stored at once in the private storage, under a random name, as attachments of the request;
when staff accept it, each becomes a pending document of the new family (the same file),
and staff may validate them in the same step. A refused request's files are deleted."""

from functools import partial

from django.db import transaction
from django.utils.translation import gettext

from core.time import local_today
from core.uploads import check_upload

from ..audit import family_event_record
from ..documents.services import default_valid_until, supporting_document_validate
from ..models import FamilyEvent, SignupAttachment, SupportingDocument


def signup_attachments_store(*, signup_request, documents) -> list[SignupAttachment]:
    """`documents`: (child's place in the request or None, document type, uploaded file).
    Called inside the transaction that stores the request: a failure leaves no file."""
    stored = []
    try:
        for child_index, document_type, uploaded in documents:
            checked = check_upload(uploaded)
            attachment = SignupAttachment(
                signup_request=signup_request,
                document_type=document_type,
                child_index=child_index,
                original_name=checked.original_name,
                content_type=checked.content_type,
                size=checked.size,
            )
            attachment.file.save("upload", checked.file, save=False)
            stored.append(attachment)
            attachment.save()
    except BaseException:
        for attachment in stored:
            attachment.file.storage.delete(attachment.file.name)
        raise
    return stored


def signup_attachments_transfer(*, signup_request, family, children: list, actor, now):
    """Make each attachment a pending document of `family` (the file is kept as it is)."""
    documents = []
    for attachment in signup_request.attachments.select_related("document_type"):
        child = None
        if attachment.child_index is not None and attachment.child_index < len(children):
            child = children[attachment.child_index]
        document = SupportingDocument.objects.create(
            family=family,
            child=child,
            document_type=attachment.document_type,
            file=attachment.file.name,
            original_name=attachment.original_name,
            content_type=attachment.content_type,
            size=attachment.size,
            status=SupportingDocument.Status.PENDING,
            uploaded_at=signup_request.created_at,
            uploaded_by=None,
        )
        family_event_record(
            family=family,
            actor=actor,
            action=FamilyEvent.Action.CREATED,
            description=gettext("Document sent with the account request: %(document)s")
            % {"document": attachment.document_type.name},
            data={"document_id": document.pk, "file_name": document.original_name},
            now=now,
        )
        documents.append(document)
    signup_request.attachments.all().delete()
    return documents


def signup_documents_validate(*, documents, actor, now) -> None:
    """Validate the documents sent with the request from today, for each type's validity."""
    today = local_today(now)
    for document in documents:
        supporting_document_validate(
            document=document,
            actor=actor,
            valid_from=today,
            valid_until=default_valid_until(document.document_type, today),
            now=now,
        )


def signup_attachments_discard(signup_request) -> None:
    """Delete a refused request's files once the refusal is saved."""
    names = [a.file.name for a in signup_request.attachments.all() if a.file]
    storage = SignupAttachment._meta.get_field("file").storage
    signup_request.attachments.all().delete()

    def delete_files():
        for name in names:
            storage.delete(name)

    transaction.on_commit(partial(delete_files))
