"""What the staff screens read: a run's draft per family, and the documents' list with what
was paid on each. A constant number of queries, whatever the number of families."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.paginator import Paginator
from django.db.models import DecimalField, OuterRef, Prefetch, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from portal_features.models import Child, Family

from ..models import Allocation, Invoice, InvoiceLine, InvoicingRun

ZERO = Decimal("0.00")
FAMILIES_PER_PAGE = 25

ALERT_LABELS = {
    "qf_missing": _("Missing or expired QF"),
    "below_minimum": _("Below the minimum amount"),
    "absence_undecided": _("Absence not decided"),
    "absent_mark_undecided": _("Marked absent, not decided"),
    "no_payer": _("No payer"),
}


def _sum_of(allocations, outer: str):
    return Coalesce(
        Subquery(
            allocations.filter(**{outer: OuterRef("pk")})
            .order_by()
            .values(outer)
            .annotate(s=Sum("amount"))
            .values("s"),
            output_field=DecimalField(max_digits=10, decimal_places=2),
        ),
        Value(ZERO),
    )


def documents_for_staff(queryset=None):
    """Invoices and credit notes with their régie, what was paid on each and what each credit
    note already paid: one query for any number of them."""
    queryset = Invoice.objects.all() if queryset is None else queryset
    return queryset.select_related("regie", "family").annotate(
        paid_amount=_sum_of(Allocation.objects.all(), "invoice"),
        used_amount=_sum_of(Allocation.objects.all(), "credit_note"),
    )


@dataclass
class FamilyReview:
    document: Invoice
    lines: list
    alerts: list = field(default_factory=list)


@dataclass
class RunReview:
    run: InvoicingRun
    page: object
    families: list
    alerts: list
    totals: dict


def _alert_rows(alerts: list[dict]) -> list[dict]:
    families = Family.objects.in_bulk({a["family_id"] for a in alerts if a.get("family_id")})
    children = Child.objects.in_bulk({a["child_id"] for a in alerts if a.get("child_id")})
    rows = []
    for alert in alerts:
        family = families.get(alert.get("family_id"))
        child = children.get(alert.get("child_id"))
        rows.append(
            {
                **alert,
                "label": ALERT_LABELS.get(alert.get("kind"), alert.get("kind")),
                "family": family,
                "child": child,
            }
        )
    return rows


def run_review(*, run: InvoicingRun, page_number) -> RunReview:
    """The draft (or finalized) run as staff review it: per family its document and lines
    (child, day, unit, quantity, unit price, explanation), the alerts and the totals."""
    documents = (
        Invoice.objects.filter(run=run)
        .order_by("payer__name", "family_id", "pk")
        .prefetch_related(
            Prefetch(
                "lines",
                queryset=InvoiceLine.objects.select_related("child", "unit").order_by(
                    "child_id", "day", "pk"
                ),
            )
        )
    )
    page = Paginator(documents, FAMILIES_PER_PAGE).get_page(page_number)
    alerts = _alert_rows(run.summary.get("alerts", []))
    by_family = {}
    for alert in alerts:
        by_family.setdefault(alert.get("family_id"), []).append(alert)
    families = [
        FamilyReview(
            document=document,
            lines=list(document.lines.all()),
            alerts=by_family.get(document.family_id, []),
        )
        for document in page.object_list
    ]
    summary = run.summary
    totals = {
        "families": summary.get("families", 0),
        "invoices": summary.get("invoices", 0),
        "credit_notes": summary.get("credit_notes", 0),
        "lines": summary.get("lines", 0),
        "total_invoiced": Decimal(summary.get("total_invoiced", "0")),
        "total_credited": Decimal(summary.get("total_credited", "0")),
        "issued": summary.get("issued"),
        "carried_families": summary.get("carried_families"),
        "numbers": summary.get("numbers", {}),
    }
    return RunReview(run=run, page=page, families=families, alerts=alerts, totals=totals)
