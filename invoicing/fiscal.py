"""The fiscal attestation for childcare (« attestation pour le crédit d'impôt frais de garde
des enfants de moins de 6 ans », art. 200 quater B CGI), per child and calendar year.

What counts, written down where it is decided:
- the child is under 6 on 1 January of the year, as the tax form says it: born on or after
  1 January of (year − 6); a child turning 6 during the year still counts;
- the money is what the family paid during the year: valid payments RECEIVED that year
  (`Payment.received_on`), whatever the month billed (a December invoice paid in January
  counts for January's year); unpaid invoices give nothing, and credit notes are not money;
- only childcare lines: an allocation pays its invoice as a whole, so its childcare part for
  the child is allocation × (the child's childcare lines ÷ the invoice's total), rounded to
  the cent; meals, penalties and other charges are excluded;
- net of aid: CESU payments are prefinanced by the employer (aid already exempt), so they
  are not counted;
- the days are the days of the child's childcare lines on the invoices those payments paid.

One PDF per family and child, with the régie(s) and their SIRET, the year, the amount and
the days; families get theirs from January of the next year, staff all of them at once.
"""

import datetime
import io
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum
from django.http import Http404
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Site

from cms.models import CommuneSettings
from core.money import money
from core.time import local_today
from portal_features.models import Child, Family

from .choices import LineKind, PaymentMode, PaymentStatus
from .models import Allocation, Invoice, InvoiceLine, Regie
from .pdf import render_pdf

TEMPLATE = "invoicing/pdf/fiscal_attestation.html"
ZERO = Decimal("0.00")
AID_MODES = frozenset({PaymentMode.CESU})


def child_counts(*, birth_date: datetime.date, year: int) -> bool:
    """Under 6 on 1 January of `year`: born on or after 1 January of year − 6."""
    return datetime.date(year - 6, 1, 1) <= birth_date <= datetime.date(year, 12, 31)


@dataclass
class RegiePart:
    name: str
    siret: str
    amount: Decimal = ZERO
    days: set = field(default_factory=set)


@dataclass
class FiscalAttestation:
    family: object
    child: Child
    year: int
    parts: dict = field(default_factory=dict)  # by régie id

    @property
    def amount(self) -> Decimal:
        return sum((part.amount for part in self.parts.values()), ZERO)

    @property
    def days(self) -> int:
        return sum(len(part.days) for part in self.parts.values())


def fiscal_attestations(*, year: int, family=None) -> list[FiscalAttestation]:
    """Every attestation of `year` (or the family's), children with an amount above zero."""
    allocations = Allocation.objects.filter(
        payment__status=PaymentStatus.VALID, payment__received_on__year=year
    ).exclude(payment__mode__in=AID_MODES)
    if family is not None:
        allocations = allocations.filter(invoice__family=family)
    paid = defaultdict(lambda: ZERO)  # (invoice id) → allocated that year
    for invoice_id, amount in (
        allocations.values("invoice_id").annotate(s=Sum("amount")).values_list("invoice_id", "s")
    ):
        paid[invoice_id] = amount
    if not paid:
        return []
    lines = (
        InvoiceLine.objects.filter(invoice_id__in=paid, kind=LineKind.CHILDCARE)
        .values("invoice_id", "child_id", "day")
        .annotate(amount=Sum("amount"), quantity=Sum("quantity"))
    )
    childcare = defaultdict(lambda: ZERO)  # (invoice, child) → amount
    days = defaultdict(set)
    for row in lines:
        childcare[(row["invoice_id"], row["child_id"])] += row["amount"]
        if row["quantity"] > 0:
            days[(row["invoice_id"], row["child_id"])].add(row["day"])
    invoices = {
        row["pk"]: row
        for row in Invoice.objects.filter(pk__in=paid).values(
            "pk", "total", "regie_id", "family_id"
        )
    }
    children = {
        child.pk: child
        for child in Child.objects.filter(pk__in={child for _i, child in childcare})
        if child_counts(birth_date=child.birth_date, year=year)
    }
    regies = Regie.objects.in_bulk({row["regie_id"] for row in invoices.values()})
    families = Family.objects.in_bulk({row["family_id"] for row in invoices.values()})
    result: dict[tuple[int, int], FiscalAttestation] = {}
    for (invoice_id, child_id), amount in sorted(childcare.items()):
        invoice = invoices[invoice_id]
        if child_id not in children or amount <= 0 or invoice["total"] <= 0:
            continue
        share = money(paid[invoice_id] * amount / invoice["total"])
        if share <= 0:
            continue
        key = (invoice["family_id"], child_id)
        attestation = result.setdefault(
            key, FiscalAttestation(families[invoice["family_id"]], children[child_id], year)
        )
        regie = regies[invoice["regie_id"]]
        part = attestation.parts.setdefault(regie.pk, RegiePart(regie.name, regie.siret))
        part.amount += share
        part.days |= days[(invoice_id, child_id)]
    return sorted(result.values(), key=lambda a: (a.family.name, a.child.birth_date, a.child.pk))


def fiscal_attestation_pdf(attestation: FiscalAttestation, *, now=None) -> bytes:
    site = Site.objects.filter(is_default_site=True).first()
    return render_pdf(
        TEMPLATE,
        {
            "commune": CommuneSettings.for_site(site) if site else None,
            "attestation": attestation,
            "child": attestation.child,
            "family": attestation.family,
            "year": attestation.year,
            "parts": [
                {"name": p.name, "siret": p.siret, "amount": p.amount, "days": len(p.days)}
                for p in attestation.parts.values()
            ],
            "issued_on": local_today(now or timezone.now()),
        },
    )


def fiscal_attestation_for_family(*, family, child_id: int, year: int, now=None) -> bytes:
    """The family's attestation for one of its children, from 1 January of the next year;
    another family's child, a year not over or nothing paid gives 404."""
    if family is None or year >= local_today(now or timezone.now()).year:
        raise Http404
    for attestation in fiscal_attestations(year=year, family=family):
        if attestation.child.pk == child_id:
            return fiscal_attestation_pdf(attestation, now=now)
    raise Http404


def fiscal_attestations_zip(*, year: int, now=None) -> bytes:
    """Staff: every attestation of `year` at once, one PDF per family and child, zipped."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for attestation in fiscal_attestations(year=year):
            child = attestation.child
            name = slugify(f"{attestation.family.number} {child.last_name} {child.first_name}")
            archive.writestr(
                f"attestation-fiscale-{year}-{name}.pdf",
                fiscal_attestation_pdf(attestation, now=now),
            )
    return buffer.getvalue()
