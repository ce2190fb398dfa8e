"""« Factures et avoirs »: search by family, number, status, régie and month; an item with its
lines, what paid it and its PDF; « Annuler la facture » with a reason (a credit note takes
it back, `invoice_cancel`); the account statement of any family; exports of the list."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.columns import choice_label_column, related_column
from core.staff import (
    ActionAdminMixin,
    FormActionView,
    InspectView,
    ReadOnlyPermissionHelper,
    StaffModelAdmin,
)
from core.time import local_today
from portal_features.models import Family
from reservations.models import SchoolYear

from ..choices import InvoiceKind, InvoiceStatus
from ..models import Allocation, Invoice, Regie
from ..pdf import invoice_pdf_for_staff
from ..selectors import account_statement
from ..services import invoice_cancel
from .common import (
    TEMPLATES,
    amount,
    month_column,
    month_filter,
    reason_form,
    regie_filter,
    run_filter,
)
from .reads import documents_for_staff

CANCEL = "invoicing.change_invoice"


CancelForm = reason_form(gettext_lazy("Printed on the credit note and kept in the log."))


class CancelView(FormActionView):
    permission = CANCEL
    form_class = CancelForm
    button_label = gettext_lazy("Cancel the invoice")
    back_to_item = True

    def explanation(self):
        return _(
            "A credit note of %(total)s € is issued for the whole invoice %(number)s; what it "
            "does not settle pays the family's other open invoices. The invoice itself is kept "
            "as it was, marked cancelled."
        ) % {"total": amount(self.instance.total), "number": self.instance.number or "–"}

    def perform(self, data):
        self.credit_note = invoice_cancel(
            invoice=self.instance, reason=data["reason"], actor=self.request.user
        )
        return _("Invoice %(number)s cancelled by credit note %(credit_note)s.") % {
            "number": self.instance.number,
            "credit_note": self.credit_note.number,
        }

    def success_url(self):
        return self.item_url(self.credit_note.pk)


class InvoiceInspectView(InspectView):
    def get_context_data(self, **kwargs):
        invoice = documents_for_staff().get(pk=self.instance.pk)
        admin = self.model_admin
        return super().get_context_data(
            document=invoice,
            lines=list(
                invoice.lines.select_related("child", "unit").order_by("child_id", "day", "pk")
            ),
            allocations=list(
                Allocation.objects.filter(Q(invoice=invoice) | Q(credit_note=invoice))
                .select_related("invoice", "credit_note")
                .order_by("created_at", "pk")
            ),
            credit_notes=list(invoice.credit_notes.all()),
            payment_state=(
                invoice.payment_state_label(today=local_today())
                if invoice.kind == InvoiceKind.INVOICE and invoice.is_numbered
                else None
            ),
            can_cancel=(
                invoice.kind == InvoiceKind.INVOICE
                and invoice.status == InvoiceStatus.ISSUED
                and self.request.user.has_perm(CANCEL)
            ),
            cancel_url=admin.action_url("cancel", invoice),
            pdf_url=admin.action_url("pdf", invoice) if invoice.is_numbered else None,
            statement_url=f"{admin.screen_url('statement')}?family={invoice.family_id}",
            **kwargs,
        )


class StatementForm(forms.Form):
    family = forms.ModelChoiceField(
        label=gettext_lazy("Family"), queryset=Family.objects.order_by("name", "number")
    )
    school_year = forms.ModelChoiceField(
        label=gettext_lazy("School year"),
        queryset=SchoolYear.objects.order_by("-start_date"),
    )
    regie = forms.ModelChoiceField(
        label=gettext_lazy("Régie"),
        queryset=Regie.objects.order_by("name"),
        required=False,
        empty_label=gettext_lazy("Every régie"),
    )


class InvoiceAdmin(ActionAdminMixin, StaffModelAdmin):
    model = Invoice
    menu_label = gettext_lazy("Invoices and credit notes")
    menu_icon = "doc-full"
    list_display = (
        "document_number",
        "kind",
        "status",
        "payer_name",
        "regie",
        "month_display",
        "total",
        "remaining_amount",
        "issued_on",
    )
    list_filter = (regie_filter(), month_filter(), "kind", "status", run_filter())
    search_fields = ("number", "family__name", "family__number")
    permission_helper_class = ReadOnlyPermissionHelper
    index_template_name = "core/staff/index.html"
    inspect_view_enabled = True
    inspect_view_class = InvoiceInspectView
    inspect_template_name = f"{TEMPLATES}/invoice_inspect.html"
    action_views = (("cancel", CancelView),)
    list_export = (
        "number",
        "kind_label",
        "status_label",
        "family_number",
        "payer_name",
        "regie_code",
        "month_display",
        "issued_on",
        "due_on",
        "total",
        "paid_amount",
        "remaining_amount",
    )
    export_headings = {
        "number": gettext_lazy("Document number"),
        "kind_label": gettext_lazy("Kind"),
        "status_label": gettext_lazy("Status"),
        "family_number": gettext_lazy("Family number"),
        "payer_name": gettext_lazy("Family"),
        "regie_code": gettext_lazy("Régie"),
        "month_display": gettext_lazy("Month"),
        "issued_on": gettext_lazy("Date"),
        "due_on": gettext_lazy("Due date"),
        "total": gettext_lazy("Total (€)"),
        "paid_amount": gettext_lazy("Paid (€)"),
        "remaining_amount": gettext_lazy("Remaining (€)"),
    }
    export_filename = "factures"

    def get_queryset(self, request):
        return documents_for_staff(super().get_queryset(request))

    def header_buttons(self, request):
        return [(self.screen_url("statement"), _("Account statement of a family"))]

    def pdf_view(self, request, instance_pk):
        return invoice_pdf_for_staff(user=request.user, invoice_id=int(instance_pk))

    def statement_view(self, request):
        if not request.user.has_perm("invoicing.view_invoice"):
            raise PermissionDenied
        data = request.GET.copy() if request.GET else None
        if data is not None and not data.get("school_year"):
            year = (
                SchoolYear.objects.filter(start_date__lte=timezone.localdate())
                .order_by("-start_date")
                .first()
                or SchoolYear.objects.order_by("-start_date").first()
            )
            data["school_year"] = year.pk if year else ""
        form = StatementForm(data)
        statements = []
        if form.is_bound and form.is_valid():
            family = form.cleaned_data["family"]
            year = form.cleaned_data["school_year"]
            regies = (
                [form.cleaned_data["regie"]]
                if form.cleaned_data["regie"]
                else Regie.objects.filter(invoices__family=family).distinct().order_by("name")
            )
            statements = [
                account_statement(
                    family=family, regie=regie, start=year.start_date, end=year.end_date
                )
                for regie in regies
            ]
        return TemplateResponse(
            request,
            f"{TEMPLATES}/statement.html",
            {"form": form, "statements": statements, "index_url": self.url_helper.index_url},
        )

    def extra_admin_urls(self):
        return (
            *super().extra_admin_urls(),
            self.action_pattern("pdf", self.pdf_view),
            self.screen_pattern("statement", self.statement_view),
        )

    # Columns (list and exports).

    @staticmethod
    def document_number(obj):
        return obj.number or _("Draft")

    document_number.short_description = gettext_lazy("Document number")

    @staticmethod
    def payer_name(obj):
        return obj.payer.get("name") or obj.family.name

    payer_name.short_description = gettext_lazy("Family")

    family_number = related_column("family.number", gettext_lazy("Family number"))
    regie_code = related_column("regie.code", gettext_lazy("Régie"))

    month_display = month_column(label=gettext_lazy("Month"))
    kind_label = choice_label_column("kind")
    status_label = choice_label_column("status")

    @staticmethod
    def paid_amount(obj):
        return obj.paid if obj.kind == InvoiceKind.INVOICE else obj.credit_used

    @staticmethod
    def remaining_amount(obj):
        return obj.remaining

    remaining_amount.short_description = gettext_lazy("Remaining (€)")
