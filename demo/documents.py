"""The families' supporting documents, sent and validated through the portal's services
before anything else the families do: the administrative files and registrations of
`demo/reservations.py` need them valid.

Every required document of every family is sent with its account request (`demo/signup.py`)
or, from the second school year on, in the spring registration campaign, and validated by
staff for the whole school year; but BERNARD's proof of address, never sent (its « pièces
manquantes » say so, and BERNARD's registrations wait for it).

A document that already covers the school year is not sent again, so a second run adds
nothing; a run in a later school year sends that year's documents.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.time import PARIS
from portal_features.documents.services import (
    supporting_document_upload,
    supporting_document_validate,
)
from portal_features.models import Child, DocumentType, Family, SupportingDocument

from .families import STAFF_EMAIL, school_year_bounds
from .pdf import demo_pdf
from .quiet import alerts_without_emails

MISSING = ("julie.bernard@example.fr", "Justificatif de domicile")


def campaign_sent_at(school_year_start: datetime.date) -> datetime.datetime:
    """When the families sent their documents: the registration campaign, early June."""
    day = school_year_start.replace(month=6, day=2)
    return datetime.datetime.combine(day, datetime.time(18), tzinfo=PARIS)


def _user(family: Family):
    guardian = family.guardians.filter(user__isnull=False).select_related("user").first()
    return guardian.user if guardian else None


def _covered(family, document_type, child, start: datetime.date) -> bool:
    """A document awaiting validation, or valid on the school year's first day."""
    return (
        SupportingDocument.objects.filter(family=family, document_type=document_type, child=child)
        .filter(
            Q(status=SupportingDocument.Status.PENDING)
            | Q(
                status=SupportingDocument.Status.VALID,
                valid_from__lte=start,
                valid_until__gte=start,
            )
            | Q(status=SupportingDocument.Status.VALID, valid_from__lte=start, valid_until=None)
        )
        .exists()
    )


def family_documents_ensure(family: Family, *, staff, today: datetime.date) -> None:
    """The family's required documents for the school year of `today`, sent by the family
    and validated by staff for that school year (a campaign document, whatever its kind's
    default validity); BERNARD's proof of address excepted."""
    start, end = school_year_bounds(today)
    sent = campaign_sent_at(start)
    user = _user(family)
    logins = set(family.guardians.exclude(user=None).values_list("user__email", flat=True))
    required = DocumentType.objects.filter(is_required=True).order_by("sort_order", "pk")
    for document_type in required:
        if MISSING[0] in logins and document_type.name == MISSING[1]:
            continue
        targets = (
            list(Child.objects.for_family(family))
            if document_type.scope == DocumentType.Scope.CHILD
            else [None]
        )
        for child in targets:
            sent_with_request = SupportingDocument.objects.filter(
                family=family,
                document_type=document_type,
                child=child,
                status=SupportingDocument.Status.PENDING,
                uploaded_by=None,  # sent with the account request, not by a visitor since
            ).first()
            if sent_with_request is not None:
                supporting_document_validate(
                    document=sent_with_request,
                    actor=staff,
                    valid_from=timezone.localdate(sent_with_request.uploaded_at, PARIS),
                    valid_until=end,
                    now=sent + datetime.timedelta(days=1),
                )
                continue
            if _covered(family, document_type, child, start):
                continue
            document = supporting_document_upload(
                family=family,
                document_type=document_type,
                child=child,
                uploaded_file=demo_pdf(document_type.name),
                user=user,
                now=sent,
            )
            supporting_document_validate(
                document=document,
                actor=staff,
                valid_from=sent.date(),
                valid_until=end,
                now=sent + datetime.timedelta(days=1),
            )


@transaction.atomic
def ensure_supporting_documents(demo, *, now: datetime.datetime | None = None) -> None:
    now = now or timezone.now()
    today = timezone.localdate(now, PARIS)
    staff = get_user_model().objects.filter(email=STAFF_EMAIL).first()
    with alerts_without_emails():
        for family in Family.objects.order_by("pk"):
            family_documents_ensure(family, staff=staff, today=today)
