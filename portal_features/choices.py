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


class FamilyStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    ARCHIVED = "archived", _("Archived")
    ANONYMISED = "anonymised", _("Anonymised")


class QuotientSource(models.TextChoices):
    CAF = "caf", _("CAF")
    MSA = "msa", _("MSA")
    ATTESTATION = "attestation", _("Attestation sent by the family")
    STAFF = "staff", _("Entered by staff")


class ExportStatus(models.TextChoices):
    """A family's data export (RGPD), prepared by a task."""

    PENDING = "pending", _("Waiting to be prepared")
    RUNNING = "running", _("Being prepared")
    READY = "ready", _("Ready to download")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")


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
