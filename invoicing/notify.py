"""Telling the family that a document was published: an alert in the portal and its e-mail
copy, once the issuing transaction has committed.

The alert leads to the document's screen in « Factures » (a portal view and its arguments,
resolved when the alert is shown or e-mailed): nothing here builds an address.
"""

import logging

from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_tasks import task

from core.money import format_euros
from portal_features.alerts.tell import Link, family_tell

from .choices import NUMBERED, AlertKind, InvoiceKind
from .models import Invoice

logger = logging.getLogger(__name__)
BATCH = 500


def documents_published(invoice_ids: list[int]) -> None:
    """Queue the alerts of freshly issued documents; call it from `transaction.on_commit`
    (a run of thousands of families queues one task per batch, not one alert inline)."""
    for start in range(0, len(invoice_ids), BATCH):
        with transaction.atomic():
            documents_published_task.enqueue(invoice_ids=invoice_ids[start : start + BATCH])


def documents_published_tell(*, invoice_ids: list[int]) -> int:
    """One alert per issued document (and its e-mail copy); returns how many were sent."""
    documents = (
        Invoice.objects.filter(pk__in=invoice_ids, status__in=NUMBERED)
        .select_related("family", "regie")
        .order_by("pk")
    )
    told = 0
    for document in documents:
        values = {
            "number": document.number,
            "month": date_format(document.month, "F Y"),
            "amount": format_euros(abs(document.total)),
            "date": date_format(document.due_on, "j F Y") if document.due_on else "",
            "regie": document.regie.name,
        }
        if document.kind == InvoiceKind.CREDIT_NOTE:
            title = _("Credit note no. %(number)s available") % values
            body = (
                _(
                    "%(regie)s issued a credit note of %(amount)s for %(month)s. It pays your "
                    "oldest invoice first; what is left pays the next ones."
                )
                % values
            )
        else:
            title = _("New invoice no. %(number)s: %(amount)s") % values
            body = (
                _(
                    "%(regie)s issued your invoice for %(month)s: %(amount)s to pay by "
                    "%(date)s. See each line and why it costs what it costs in « Invoices »."
                )
                % values
            )
        with transaction.atomic():
            family_tell(
                document.family,
                kind=AlertKind.INVOICE_PUBLISHED,
                title=title,
                body=body,
                link=Link("invoicing:invoice_detail", invoice_id=document.pk),
            )
        told += 1
    logger.info("Families told of %s published documents", told)
    return told


@task()
def documents_published_task(*, invoice_ids: list[int]) -> None:
    documents_published_tell(invoice_ids=invoice_ids)
