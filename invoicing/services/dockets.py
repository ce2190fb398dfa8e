"""Collection dockets (« bordereaux de titres »): after their due date, the invoices of
payers who still owe at least the régie's threshold (15 € by default) are handed over to
the Trésor public, which recovers them. A docket is numbered without gaps per régie and year
(`docket:<code>`, kernel counter); its invoices show « transmise au Trésor public » and can no
longer be paid to the régie (`payment_record` refuses them, the online flow too). The docket
is exported as a PES v2 ORMC « PES_Aller » file by `invoicing.exports.pes`.

Left out of a docket: invoices not yet due (due date today included), those already handed
over, those an online payment is opening right now (they would be paid twice), and what is
owed below the threshold (summed per payer over all its overdue invoices of the régie).
"""

import datetime
import re
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from core.time import local_today

from ..choices import MoneyAction
from ..errors import InvoicingError
from ..exports.errors import ExportError
from ..exports.pes import (
    CollectivityData,
    DebtorData,
    DocketData,
    PieceData,
    PieceLineData,
    build_pes_docket,
)
from ..models import CollectionDocket, CollectionDocketItem, Invoice, PaymentRequestInvoice, Regie
from ..numbering import regie_numbered
from .events import money_event_record
from .payments import _sum_of

ZERO = Decimal("0.00")
DOCKET_NUMBER_FORMAT = "T{regie}-{yy}-{seq:06}"


def docket_candidates(*, regie: Regie, today: datetime.date, lock: bool = False) -> list[dict]:
    """The overdue invoices that would go in a docket today: [{"pk", "family_id", "number",
    "left"}], only for payers owing at least the threshold in all."""
    invoices = (
        Invoice.objects.collected_by(regie)
        .filter(due_on__lt=today)
        .exclude(pk__in=PaymentRequestInvoice.objects.filter(active=True).values("invoice_id"))
    )
    if lock:
        ids = list(invoices.select_for_update().order_by("pk").values_list("pk", flat=True))
        invoices = Invoice.objects.filter(pk__in=ids)
    rows = (
        invoices.annotate(paid_amount=_sum_of({"invoice": OuterRef("pk")}, "invoice"))
        .order_by("payer__name", "family_id", "due_on", "sequence")
        .values("pk", "family_id", "number", "total", "paid_amount")
    )
    per_family = defaultdict(list)
    for row in rows:
        left = row["total"] - row["paid_amount"]
        if left > 0:
            per_family[row["family_id"]].append({**row, "left": left})
    return [
        row
        for family_rows in per_family.values()
        if sum((r["left"] for r in family_rows), ZERO) >= regie.docket_threshold
        for row in family_rows
    ]


def docket_create(*, regie: Regie, actor, now: datetime.datetime | None = None):
    """Build the régie's docket of today's overdue invoices (see the module's rules), hand
    them over to the Trésor and number it. Refused when nothing qualifies."""
    now = now or timezone.now()
    today = local_today(now)
    with transaction.atomic():
        rows = docket_candidates(regie=regie, today=today, lock=True)
        if not rows:
            raise InvoicingError(
                _("No overdue invoice reaches the threshold of %(threshold)s € for the Trésor.")
                % {"threshold": regie.docket_threshold}
            )
        docket = CollectionDocket.objects.create(
            **regie_numbered("docket", DOCKET_NUMBER_FORMAT, regie=regie, now=now, actor=actor),
            issued_on=today,
            threshold=regie.docket_threshold,
            total=sum((row["left"] for row in rows), ZERO),
        )
        CollectionDocketItem.objects.bulk_create(
            [
                CollectionDocketItem(
                    docket=docket, invoice_id=row["pk"], article=index, amount=row["left"]
                )
                for index, row in enumerate(rows, start=1)
            ]
        )
        Invoice.objects.filter(pk__in=[row["pk"] for row in rows]).update(handed_over_at=now)
        money_event_record(
            action=MoneyAction.DOCKET_CREATED,
            actor=actor,
            at=now,
            regie=regie,
            after={
                "docket": docket.number,
                "total": str(docket.total),
                "invoices": {row["number"]: str(row["left"]) for row in rows},
            },
        )
    return docket


def debt_number(invoice_number: str) -> str:
    """The invoice's number as the Trésor's NumDette: its digits, 13 at most."""
    return re.sub(r"\D", "", invoice_number)[-13:]


# What the Trésor reads is French whatever the language of the staff member exporting: the
# file's texts are written here, not translated.
def docket_pes_data(
    *, docket: CollectionDocket, sent_on: datetime.date | None = None, period: int = 1
) -> DocketData:
    regie = docket.regie
    if not (regie.pes_post_code and regie.pes_collectivity_code and regie.pes_budget_code):
        raise InvoicingError(
            _(
                "Fill in the régie's Trésor post code, collectivity code and budget code "
                "before exporting a docket."
            )
        )
    items = docket.items.select_related("invoice__family").order_by("article")
    pieces = []
    for item in items:
        invoice = item.invoice
        family = invoice.family
        guardian = family.guardians.filter(is_primary=True).first() or family.guardians.first()
        civility = {"mme": "MME", "m": "M"}.get(getattr(guardian, "civility", ""), "")
        address = " ".join(filter(None, (family.address_line, family.address_complement)))
        pieces.append(
            PieceData(
                number=item.article,
                debt_number=debt_number(invoice.number),
                subject=f"Facture {invoice.number} de {invoice.month:%m/%Y}",
                debtor=DebtorData(
                    last_name=guardian.last_name if guardian else family.name,
                    first_name=guardian.first_name if guardian else "",
                    civility=civility,
                    address=address,
                    postcode=family.postal_code,
                    city=family.city,
                ),
                lines=(
                    PieceLineData(
                        label=f"Facture {invoice.number}, reste dû",
                        product_code=regie.pes_product_code,
                        amount=item.amount,
                    ),
                ),
            )
        )
    return DocketData(
        file_name=f"PESORMC-{regie.code}-{docket.year}-{docket.sequence:07d}.xml",
        collectivity=CollectivityData(
            id_post=regie.pes_post_code,
            siret=regie.siret,
            cod_col=regie.pes_collectivity_code,
            cod_bud=regie.pes_budget_code,
            budget_label=regie.name,
        ),
        year=docket.year,
        number=docket.sequence,
        period=period,
        issued_on=docket.issued_on,
        sent_on=sent_on or docket.issued_on,
        subject=f"Impayés {regie.name}, bordereau {docket.number}",
        pieces=tuple(pieces),
    )


def docket_pes_xml(
    *, docket: CollectionDocket, sent_on: datetime.date | None = None, period: int = 1
) -> bytes:
    """The docket as a PES_Aller ORMC file (ISO-8859-1), checked against its schema; an
    incomplete debtor or régie is refused with a French message (InvoicingError)."""
    try:
        return build_pes_docket(docket_pes_data(docket=docket, sent_on=sent_on, period=period))
    except ExportError as error:
        raise InvoicingError(error.message) from error
