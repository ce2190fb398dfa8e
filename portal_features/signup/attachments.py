"""Supporting documents sent with an account request ("Nouveau dossier").

Stored at once in the private storage, under a random name, as attachments of the request;
when staff accept it, each becomes a pending document of the new family (the same file),
and staff may validate them in the same step. A refused request's files are deleted."""

from django.utils.translation import gettext

from ..documents.attachments import (
    attachments_discard,
    attachments_store,
    document_from_attachment,
    documents_validate,
)
from ..models import SignupAttachment


def signup_attachments_store(*, signup_request, documents) -> list[SignupAttachment]:
    """`documents`: (child's place in the request or None, document type, uploaded file).
    Called inside the transaction that stores the request: a failure leaves no file."""
    return attachments_store(
        documents=documents,
        build=lambda child_index, document_type, _checked: SignupAttachment(
            signup_request=signup_request, document_type=document_type, child_index=child_index
        ),
    )


def signup_attachments_transfer(*, signup_request, family, children: list, actor, now):
    """Make each attachment a pending document of `family` (the file is kept as it is)."""
    documents = []
    for attachment in signup_request.attachments.select_related("document_type"):
        child = None
        if attachment.child_index is not None and attachment.child_index < len(children):
            child = children[attachment.child_index]
        description = gettext("Document sent with the account request: %(document)s") % {
            "document": attachment.document_type.name
        }
        document = document_from_attachment(
            attachment,
            family=family,
            child=child,
            uploaded_at=signup_request.created_at,
            uploaded_by=None,
            actor=actor,
            description=description,
            now=now,
        )
        documents.append(document)
    signup_request.attachments.all().delete()
    return documents


# Validate the documents sent with the request from today, for each type's validity.
signup_documents_validate = documents_validate


def signup_attachments_discard(signup_request) -> None:
    """Delete a refused request's files once the refusal is saved."""
    attachments_discard(signup_request.attachments.all())
