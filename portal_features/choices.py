"""The portal's state machines on one screen: account requests, change requests and
supporting documents. Staff decide once; a decision is final.

    account request, change request:   (new) ──► pending ──► accepted
                                                    └──► refused
    supporting document:                (new) ──► pending ──► valid
                                                    └──► refused

A family that wants to change a decided request sends a new one; a document that ends or
was refused is replaced by a new upload (the old row stays, as history).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.choices import RequestStatus
from core.states import register_table

R = RequestStatus

# Account and change requests are never withdrawn (their database check allows only these).
REQUEST_STATUSES = (R.PENDING, R.ACCEPTED, R.REFUSED)

SIGNUP_REQUEST_TRANSITIONS: dict[str | None, frozenset[str]] = {
    None: frozenset({R.PENDING}),
    R.PENDING: frozenset({R.ACCEPTED, R.REFUSED}),
    R.ACCEPTED: frozenset(),
    R.REFUSED: frozenset(),
}
register_table("portal_features.signup_request", SIGNUP_REQUEST_TRANSITIONS, REQUEST_STATUSES)

CHANGE_REQUEST_TRANSITIONS: dict[str | None, frozenset[str]] = {
    None: frozenset({R.PENDING}),
    R.PENDING: frozenset({R.ACCEPTED, R.REFUSED}),
    R.ACCEPTED: frozenset(),
    R.REFUSED: frozenset(),
}
register_table("portal_features.change_request", CHANGE_REQUEST_TRANSITIONS, REQUEST_STATUSES)


class DocumentStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting validation")
    VALID = "valid", _("Validated")
    REFUSED = "refused", _("Refused")


D = DocumentStatus

DOCUMENT_TRANSITIONS: dict[str | None, frozenset[str]] = {
    None: frozenset({D.PENDING}),
    D.PENDING: frozenset({D.VALID, D.REFUSED}),
    D.VALID: frozenset(),
    D.REFUSED: frozenset(),
}
register_table("portal_features.supporting_document", DOCUMENT_TRANSITIONS, D.values)
