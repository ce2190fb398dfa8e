"""Invoice and credit-note PDFs: rendered once, after the finalisation committed, by a task
(one per document), kept in the private storage with their SHA-256, and served afterwards
byte for byte as stored, to the payer family or to staff allowed to see invoices.

Accessible PDF (WeasyPrint's PDF/UA-1 variant: tagged, with a language and a title), A4,
amounts written the French way by `core.money.format_euros`. A worker rendering thousands
of documents grows in memory (WeasyPrint #2130): run the task worker with a recycling
limit (see README, "Production").
"""

import hashlib
import logging
from collections import OrderedDict
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q, Sum
from django.http import Http404
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django_tasks import task

from core.storage import private_file_response

from .choices import NUMBERED, InvoiceKind, LineKind
from .models import Allocation, Invoice
from .selectors import invoice_debit_notice

logger = logging.getLogger(__name__)
ZERO = Decimal("0.00")
INVOICE_TEMPLATE = "invoicing/pdf/invoice.html"


def render_pdf(template_name: str, context: dict) -> bytes:
    """A template as an accessible A4 PDF; its styles are inline, so nothing is fetched."""
    import weasyprint  # loaded on first use only: it is heavy

    html = render_to_string(template_name, context)
    return weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        pdf_variant="pdf/ua-1"
    )


def _day_list(days) -> str:
    return ", ".join(f"{day:%d/%m}" for day in sorted(days))


def invoice_children(invoice: Invoice) -> list[dict]:
    """The lines per child, grouped by activity, unit, kind and price, with their dates."""
    kinds = dict(LineKind.choices)
    lines = invoice.lines.select_related("child", "activity", "unit").order_by(
        "child__birth_date", "child_id", "activity_id", "unit_id", "kind", "day", "pk"
    )
    children: OrderedDict = OrderedDict()
    for line in lines:
        child = children.setdefault(
            line.child_id, {"name": str(line.child), "groups": OrderedDict(), "total": ZERO}
        )
        key = (
            line.activity_id,
            line.unit_id,
            line.kind,
            line.unit_price,
            line.explanation,
            line.quantity < 0,
        )
        group = child["groups"].setdefault(
            key,
            {
                "activity": line.activity.name if line.activity else "",
                "unit": line.unit.name if line.unit else line.label,
                "kind": str(kinds.get(line.kind, line.kind)),
                "taken_back": line.quantity < 0,
                "explanation": line.explanation,
                "unit_price": line.unit_price,
                "quantity": 0,
                "amount": ZERO,
                "days": [],
            },
        )
        group["quantity"] += line.quantity
        group["amount"] += line.amount
        group["days"].append(line.day)
        child["total"] += line.amount
    result = []
    for child in children.values():
        groups = list(child["groups"].values())
        for group in groups:
            group["days"] = _day_list(group["days"])
        result.append({"name": child["name"], "groups": groups, "total": child["total"]})
    return result


def invoice_pdf_context(invoice: Invoice) -> dict:
    earlier = Invoice.objects.filter(
        regie_id=invoice.regie_id, family_id=invoice.family_id, status__in=NUMBERED
    ).filter(Q(issued_at__lt=invoice.issued_at) | Q(issued_at=invoice.issued_at, pk__lt=invoice.pk))
    previous_balance = earlier.aggregate(s=Sum("total"))["s"] or ZERO
    credit_used = (
        invoice.allocations.filter(credit_note__isnull=False).aggregate(s=Sum("amount"))["s"]
        or ZERO
    )
    paid = invoice.allocations.aggregate(s=Sum("amount"))["s"] or ZERO
    applied_to = list(
        Allocation.objects.filter(credit_note=invoice)
        .select_related("invoice")
        .order_by("invoice__issued_on", "invoice__sequence")
    )
    is_credit_note = invoice.kind == InvoiceKind.CREDIT_NOTE
    return {
        "invoice": invoice,
        "is_credit_note": is_credit_note,
        "regie": invoice.regie_snapshot,
        "payer": invoice.payer,
        "children": invoice_children(invoice),
        "previous_balance": previous_balance,
        "credit_used": credit_used,
        "amount_due": invoice.total - paid,
        "debit": None if is_credit_note else invoice_debit_notice(invoice),
        "credit_amount": -invoice.total,
        "applied_to": applied_to,
        "credit_left": -invoice.total - sum((a.amount for a in applied_to), ZERO),
        "replaces": invoice.replaces.number if invoice.replaces_id else "",
        "corrects": invoice.corrects.number if invoice.corrects_id else "",
        "title": (_("Credit note %(number)s") if is_credit_note else _("Invoice %(number)s"))
        % {"number": invoice.number},
    }


def invoice_pdf_render(*, invoice_id: int) -> Invoice:
    """Render and store the document's PDF, once. Safe to run twice or at once on two
    workers: the first stored file wins, the other's is deleted."""
    invoice = Invoice.objects.select_related("regie", "replaces", "corrects").get(pk=invoice_id)
    if invoice.pdf or invoice.status not in NUMBERED:
        return invoice
    content = render_pdf(INVOICE_TEMPLATE, invoice_pdf_context(invoice))
    digest = hashlib.sha256(content).hexdigest()
    storage = invoice.pdf.storage
    name = storage.save(invoice.pdf.field.generate_filename(invoice, "x.pdf"), ContentFile(content))
    with transaction.atomic():
        stored = Invoice.objects.filter(pk=invoice.pk, pdf="").update(pdf=name, pdf_sha256=digest)
    if not stored:
        storage.delete(name)
    invoice.refresh_from_db()
    logger.info("PDF of %s stored (%s bytes)", invoice.number, len(content))
    return invoice


@task()
def invoice_pdf_task(*, invoice_id: int) -> None:
    invoice_pdf_render(invoice_id=invoice_id)


class _StoredPdf:
    """What `private_file_response` serves: the stored file under the document's number."""

    content_type = "application/pdf"

    def __init__(self, invoice: Invoice):
        self.file = invoice.pdf
        self.original_name = invoice.number


def invoice_pdf_response(*, invoice: Invoice):
    """The stored PDF, identical to what was rendered (its SHA-256 checked); rendered now if
    its task has not run yet. Call only after checking who may see the document."""
    if invoice.status not in NUMBERED:
        raise Http404
    if not invoice.pdf:
        invoice = invoice_pdf_render(invoice_id=invoice.pk)
    try:
        with invoice.pdf.open("rb") as handle:
            digest = hashlib.sha256(handle.read()).hexdigest()
    except FileNotFoundError as lost:
        logger.error("PDF of %s is missing from the private storage", invoice.number)
        raise Http404 from lost
    if digest != invoice.pdf_sha256:
        logger.error("PDF of %s does not match its SHA-256: not served", invoice.number)
        raise Http404
    return private_file_response(_StoredPdf(invoice))


def invoice_pdf_for_family(*, family, invoice_id: int):
    """A document of the logged-in family; another family's gives 404."""
    invoice = (
        Invoice.objects.for_family(family).numbered().filter(pk=invoice_id).first()
        if family is not None
        else None
    )
    if invoice is None:
        raise Http404
    return invoice_pdf_response(invoice=invoice)


def invoice_pdf_for_staff(*, user, invoice_id: int):
    """Staff who may see invoices get any issued document."""
    if not (user.is_authenticated and user.has_perm("invoicing.view_invoice")):
        raise Http404
    invoice = Invoice.objects.numbered().filter(pk=invoice_id).first()
    if invoice is None:
        raise Http404
    return invoice_pdf_response(invoice=invoice)
