"""Supporting documents sent with a request (an account, a new child) before the family file
or the child exists: checked by content and stored at once in the private storage, under a
random name; when staff accept the request each becomes a pending document of the family
(the same file), which staff may validate in the same step. A refused request's files go."""

from functools import partial

from django.db import transaction

from core.uploads import check_upload

from .services import supporting_documents_validate as documents_validate

__all__ = ["attachments_discard", "attachments_store", "documents_validate"]


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


def attachments_discard(attachments) -> None:
    """Delete a refused request's attachments; their files once the refusal is saved."""
    names = [attachment.file.name for attachment in attachments if attachment.file]
    storage = attachments.model._meta.get_field("file").storage
    attachments.delete()

    def delete_files():
        for name in names:
            storage.delete(name)

    transaction.on_commit(partial(delete_files))
