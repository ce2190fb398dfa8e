"""Credit notes pay the family's oldest open invoices, through allocations, never by editing
a total. Every row involved is locked (in id order, so two runs never wait on each other
crosswise) before what is still owed is summed."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import F, Sum
from django.db.models.functions import Coalesce

from ..choices import InvoiceKind, InvoiceStatus, MoneyAction
from ..models import Allocation, Invoice, MoneyEvent
from .events import allocation_logged

ZERO = Decimal("0.00")


def _open_credit_family_ids(*, regie, family_ids) -> set[int]:
    return set(
        Invoice.objects.filter(
            regie=regie,
            family_id__in=family_ids,
            kind=InvoiceKind.CREDIT_NOTE,
            status=InvoiceStatus.ISSUED,
        )
        .annotate(used=Coalesce(Sum("credit_allocations__amount"), ZERO))
        .filter(total__lt=-F("used"))
        .values_list("family_id", flat=True)
    )


def credits_apply(*, regie, family_ids, actor, now) -> list[Allocation]:
    """Each family's open credit notes, oldest first, pay its open invoices, oldest first.
    Call inside the transaction that issued the documents."""
    families = _open_credit_family_ids(regie=regie, family_ids=list(family_ids))
    if not families:
        return []
    documents = Invoice.objects.filter(
        regie=regie, family_id__in=families, status=InvoiceStatus.ISSUED
    )
    list(documents.select_for_update().order_by("pk").values_list("pk", flat=True))
    rows = list(
        documents.annotate(
            paid=Coalesce(Sum("allocations__amount"), ZERO),
        )
        .order_by("issued_on", "sequence", "pk")
        .values("pk", "family_id", "kind", "total", "paid", "number")
    )
    used = dict(
        Allocation.objects.filter(credit_note__in=[r["pk"] for r in rows])
        .values("credit_note")
        .annotate(s=Sum("amount"))
        .values_list("credit_note", "s")
    )
    credits, invoices = defaultdict(list), defaultdict(list)
    for row in rows:
        if row["kind"] == InvoiceKind.CREDIT_NOTE:
            row["left"] = -row["total"] - used.get(row["pk"], ZERO)
            if row["left"] > 0:
                credits[row["family_id"]].append(row)
        else:
            row["left"] = row["total"] - row["paid"]
            if row["left"] > 0:
                invoices[row["family_id"]].append(row)
    allocations, events = [], []
    for family_id, family_credits in credits.items():
        owed = iter(invoices.get(family_id, []))
        invoice = next(owed, None)
        for credit in family_credits:
            while credit["left"] > 0 and invoice is not None:
                amount = min(credit["left"], invoice["left"])
                allocation, event = allocation_logged(
                    action=MoneyAction.CREDIT_APPLIED,
                    source={"credit_note_id": credit["pk"]},
                    paid_by={"credit_note": credit["number"]},
                    invoice_id=invoice["pk"],
                    remaining=invoice["left"],
                    amount=amount,
                    actor=actor,
                    now=now,
                    regie=regie,
                    family_id=family_id,
                )
                allocations.append(allocation)
                events.append(event)
                credit["left"] -= amount
                invoice["left"] -= amount
                if invoice["left"] == 0:
                    invoice = next(owed, None)
    Allocation.objects.bulk_create(allocations)
    MoneyEvent.objects.bulk_create(events)
    return allocations
