"""Supporting documents sent with a new child's request (« Ajouter un enfant »).

Checked and stored at once, counted against the family's quota and hourly rate, as
attachments of the request; when staff accept it, each becomes a pending document of the
family for the child (the same file), validated in the same step when staff choose to."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from core.errors import UploadError
from core.uploads import check_upload

from ..documents.attachments import (
    attachments_discard,
    attachments_store,
    document_from_attachment,
)
from ..errors import PortalError
from ..models import ChangeRequestAttachment, DocumentType
from ..upload_limits import family_uploads_reserve


def change_attachments_store(*, change_request, documents, now) -> list:
    """`documents`: (document type, uploaded file), each of a type asked once per child.
    Called inside the transaction that stores the request: a failure leaves no file."""
    documents = list(documents)
    if any(document_type.scope != DocumentType.Scope.CHILD for document_type, _f in documents):
        raise PortalError(gettext("This document is asked once for the whole family."))
    if not documents:
        return []
    try:
        sizes = [check_upload(uploaded).size for _type, uploaded in documents]
    except ValidationError as error:
        raise UploadError(error.messages[0]) from error
    family_uploads_reserve(family=change_request.family, sizes=sizes, now=now)
    return attachments_store(
        documents=[(None, document_type, uploaded) for document_type, uploaded in documents],
        build=lambda _place, document_type, _checked: ChangeRequestAttachment(
            change_request=change_request, document_type=document_type
        ),
    )


def change_attachments_transfer(*, change_request, child, actor, now) -> list:
    """Make each attachment a pending document of the family for `child` (same file)."""
    documents = []
    family = change_request.family
    for attachment in change_request.attachments.select_related("document_type"):
        description = gettext("Document sent with the request for %(child)s: %(document)s") % {
            "child": child.first_name,
            "document": attachment.document_type.name,
        }
        document = document_from_attachment(
            attachment,
            family=family,
            child=child,
            uploaded_at=change_request.created_at,
            uploaded_by=change_request.created_by,
            actor=actor,
            description=description,
            now=now,
        )
        documents.append(document)
    change_request.attachments.all().delete()
    return documents


def change_attachments_discard(change_request) -> None:
    """Delete a refused request's files once the refusal is saved."""
    attachments_discard(change_request.attachments.all())
