"""« Factures »: the family's invoices and credit notes by month, one document's lines with
the price explained, its PDF, the account statement per school year and régie, and the
attendance attestation the family downloads itself.

Each view takes the family from `request.family` (family_required) and reads through the
selectors, which filter by it: another family's document is a 404. The number of queries
does not grow with the number of documents (tests/invoicing/portal).
"""

from django.http import Http404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.bounds import parse_id
from core.storage import made_file_response
from core.time import local_today
from portal_features.models import Child
from portal_features.portal.family import family_required
from portal_features.portal.views import portal_render

from .. import selectors
from ..attestations import attendance_attestation_pdf
from ..choices import InvoiceKind
from ..pdf import invoice_pdf_for_family
from ..services.online import payable_invoice_ids
from .forms import AttestationForm
from .presenters import ZERO, lines_by_child, what_it_corrects

TEMPLATES = "invoicing/portal"


def _year_from(request, years: list[int], default: int) -> int:
    year = parse_id(request.GET.get("year"))
    return year if year in years else default


@require_http_methods(["GET"])
@family_required
def invoice_list(request):
    """Every document, by year and month, newest first, with its state and its PDF."""
    family = request.family
    today = local_today()
    documents = selectors.family_invoices(family=family, today=today)
    payable = payable_invoice_ids(invoices=documents, today=today)
    years: dict[int, dict] = {}
    for document in documents:
        document.payable = document.pk in payable
        document.corrected = what_it_corrects(document, documents)
        document.credit_amount = -document.total
        months = years.setdefault(document.month.year, {})
        months.setdefault(document.month, []).append(document)
    unpaid = [d for d in documents if d.kind == InvoiceKind.INVOICE and d.remaining > 0]
    return portal_render(
        request,
        f"{TEMPLATES}/invoice_list.html",
        {
            "years": [(year, list(months.items())) for year, months in years.items()],
            "unpaid_count": len(unpaid),
            "balance_due": sum((d.remaining for d in unpaid), ZERO),
            "any_payable": bool(payable),
            "tab": "list",
        },
    )


@require_http_methods(["GET"])
@family_required
def invoice_detail_view(request, invoice_id):
    """One document: its lines per child and unit, each price explained, what paid it."""
    detail = selectors.invoice_detail(
        family=request.family, invoice_id=invoice_id, today=local_today()
    )
    if detail is None:
        raise Http404
    invoice = detail.invoice
    corrected = []
    if invoice.kind == InvoiceKind.CREDIT_NOTE and not invoice.corrects_id:
        same_month = selectors.family_documents(family=request.family).filter(
            regie_id=invoice.regie_id, month=invoice.month, kind=InvoiceKind.INVOICE
        )
        corrected = what_it_corrects(invoice, list(same_month))
    elif invoice.corrects_id:
        corrected = [invoice.corrects]
    return portal_render(
        request,
        f"{TEMPLATES}/invoice_detail.html",
        {
            "detail": detail,
            "invoice": invoice,
            "children": lines_by_child(detail.lines),
            "corrected": corrected,
            "is_credit_note": invoice.kind == InvoiceKind.CREDIT_NOTE,
            "credit_amount": -invoice.total,
            "payable": bool(payable_invoice_ids(invoices=[invoice], today=local_today())),
            "debit": selectors.invoice_debit_notice(invoice),
            "tab": "list",
        },
    )


@require_http_methods(["GET"])
@family_required
def invoice_pdf(request, invoice_id):
    """The invoice or credit note as issued, byte for byte; another family's gives 404."""
    return invoice_pdf_for_family(family=request.family, invoice_id=invoice_id)


@require_http_methods(["GET"])
@family_required
def statement(request):
    """« Relevé de compte »: per school year and régie, debits, credits and the balance."""
    family = request.family
    today = local_today()
    school_years = selectors.family_school_years(family=family)
    current = selectors.school_year_of(today)
    year = _year_from(request, school_years, school_years[0] if school_years else current)
    regies = selectors.family_regies(family=family)
    regie_id = parse_id(request.GET.get("regie"))
    regie = next((r for r in regies if r.pk == regie_id), regies[0] if regies else None)
    start, end = selectors.school_year_bounds(year)
    account = None
    opening = None
    if regie is not None:
        account = selectors.account_statement(family=family, regie=regie, start=start, end=end)
        opening = selectors.opening_balance(family=family, regie=regie, start=start)
        for entry in account.entries:
            entry.balance += opening
    return portal_render(
        request,
        f"{TEMPLATES}/statement.html",
        {
            "school_years": [(y, f"{y}-{y + 1}") for y in school_years],
            "year": year,
            "year_label": f"{year}-{year + 1}",
            "regies": regies,
            "regie": regie,
            "statement": account,
            "opening": opening,
            "closing": (opening + account.balance) if account is not None else None,
            "tab": "statement",
        },
    )


@require_http_methods(["GET"])
@family_required
def attestation(request):
    """The family picks a child and a period and downloads the attendance attestation."""
    family = request.family
    children = list(Child.objects.for_family(family).order_by("birth_date", "pk"))
    today = local_today()
    start, _end = selectors.school_year_bounds(selectors.school_year_of(today))
    form = AttestationForm(
        request.GET or None, children=children, initial={"start": start, "end": today}
    )
    if request.GET:
        child_id = parse_id(request.GET.get("child"))
        if child_id is None or child_id not in {child.pk for child in children}:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            content = attendance_attestation_pdf(
                family=family, child_id=data["child"], start=data["start"], end=data["end"]
            )
            child = next(child for child in children if child.pk == data["child"])
            filename = _("attendance-%(child)s-%(start)s-%(end)s.pdf") % {
                "child": child.first_name.lower(),
                "start": f"{data['start']:%Y%m%d}",
                "end": f"{data['end']:%Y%m%d}",
            }
            return made_file_response(content, filename, "application/pdf", private=True)
    return portal_render(
        request,
        f"{TEMPLATES}/attestation.html",
        {"form": form, "children": children, "tab": "attestation"},
    )
