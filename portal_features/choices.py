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
from core.states import state_table

R = RequestStatus

# Account and change requests are never withdrawn (their database check allows only these).
REQUEST_STATUSES = (R.PENDING, R.ACCEPTED, R.REFUSED)

# Both are decided once; each table is registered (and tested) on its own.
DECIDED_ONCE = {None: {R.PENDING}, R.PENDING: {R.ACCEPTED, R.REFUSED}}
SIGNUP_REQUEST_TRANSITIONS = state_table(
    "portal_features.signup_request", REQUEST_STATUSES, DECIDED_ONCE
)
CHANGE_REQUEST_TRANSITIONS = state_table(
    "portal_features.change_request", REQUEST_STATUSES, DECIDED_ONCE
)


class DocumentStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting validation")
    VALID = "valid", _("Validated")
    REFUSED = "refused", _("Refused")


D = DocumentStatus

DOCUMENT_TRANSITIONS = state_table(
    "portal_features.supporting_document", D, {None: {D.PENDING}, D.PENDING: {D.VALID, D.REFUSED}}
)
