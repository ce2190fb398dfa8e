"""« Paiements »: the payments list (search by family or receipt number; régie, means,
status, dates), a payment with what it paid and its receipt, « Annuler le paiement » with a
reason (`payment_cancel`), « Enregistrer un paiement au guichet » (`counter_payment_record`)
and the exports of the list; the deposit slips of cheques and cash (`deposit_slip_create`)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
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
    date_range_filter,
)
from core.storage import made_file_response
from core.submit import form_submit
from portal_features.models import Family

from ..choices import PaymentMode, PaymentStatus
from ..errors import InvoicingError
from ..fiscal import fiscal_attestations_zip
from ..models import DepositSlip, Invoice, Payment, Regie
from ..receipts import deposit_slip_pdf, receipt_response
from ..services import payment_cancel
from ..services.counter import COUNTER_MODES, VOUCHER_MODES, counter_payment_record
from ..services.deposits import DEPOSITABLE, deposit_slip_create, deposit_slip_rows
from .common import TEMPLATES, MadeDocumentAdmin, form_screen, reason_form, regie_filter
from .payment_totals import PaymentIndexView

CANCEL = "invoicing.change_payment"
RECORD = "invoicing.add_payment"
DEPOSIT = "invoicing.add_depositslip"


CancelForm = reason_form(gettext_lazy("Kept on the payment and in the log."))


class CancelView(FormActionView):
    permission = CANCEL
    form_class = CancelForm
    button_label = gettext_lazy("Cancel the payment")
    back_to_item = True

    def explanation(self):
        return _(
            "Payment %(number)s of %(amount)s € is cancelled: the invoices it paid owe again. "
            "The payment is kept, marked cancelled."
        ) % {"number": self.instance.number, "amount": self.instance.amount}

    def perform(self, data):
        payment_cancel(payment=self.instance, reason=data["reason"], actor=self.request.user)
        return _("Payment %(number)s cancelled.") % {"number": self.instance.number}


class PaymentInspectView(InspectView):
    def get_context_data(self, **kwargs):
        payment = self.instance
        admin = self.model_admin
        return super().get_context_data(
            payment=payment,
            allocations=list(
                payment.allocations.select_related("invoice").order_by("invoice__number", "pk")
            ),
            can_cancel=(
                payment.status == PaymentStatus.VALID
                and payment.deposit_slip_id is None
                and self.request.user.has_perm(CANCEL)
            ),
            cancel_url=admin.action_url("cancel", payment),
            receipt_url=admin.action_url("receipt", payment),
            **kwargs,
        )


class CounterForm(forms.Form):
    regie = forms.ModelChoiceField(label=gettext_lazy("Régie"), queryset=Regie.objects.all())
    family = forms.ModelChoiceField(
        label=gettext_lazy("Family"), queryset=Family.objects.order_by("name", "number")
    )
    mode = forms.ChoiceField(
        label=gettext_lazy("Means of payment"),
        choices=[(mode.value, mode.label) for mode in PaymentMode if mode in COUNTER_MODES],
    )
    amount = forms.DecimalField(
        label=gettext_lazy("Amount (€)"), min_value=0.01, max_digits=10, decimal_places=2
    )
    received_on = forms.DateField(
        label=gettext_lazy("Date received"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    cheque_bank = forms.CharField(label=gettext_lazy("Bank"), max_length=100, required=False)
    cheque_number = forms.CharField(
        label=gettext_lazy("Cheque number"), max_length=30, required=False
    )
    payer_name = forms.CharField(label=gettext_lazy("Paid by"), max_length=150, required=False)
    invoices = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Invoices to pay"),
        queryset=Invoice.objects.none(),
        required=False,
        help_text=gettext_lazy("None chosen: the family's open invoices, oldest due first."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["invoices"].queryset = (
            Invoice.objects.filter(kind="invoice", status="issued")
            .exclude(number="")
            .select_related("family")
            .order_by("number")
        )

    def clean(self):
        data = super().clean()
        if data.get("mode") == PaymentMode.CHEQUE:
            for name in ("cheque_bank", "cheque_number"):
                if not data.get(name):
                    self.add_error(name, _("Give the bank and the number of the cheque."))
        family, regie = data.get("family"), data.get("regie")
        for invoice in data.get("invoices") or ():
            if (family and invoice.family_id != family.pk) or (
                regie and invoice.regie_id != regie.pk
            ):
                self.add_error(
                    "invoices",
                    _("Invoice %(number)s is not the family's in this régie.")
                    % {"number": invoice.number},
                )
        return data


class PaymentAdmin(ActionAdminMixin, StaffModelAdmin):
    model = Payment
    menu_label = gettext_lazy("Payments")
    menu_icon = "doc-full"
    list_display = (
        "number",
        "received_on",
        "family_name",
        "regie",
        "mode",
        "amount",
        "status",
        "deposit_slip",
    )
    list_filter = (
        regie_filter(),
        "mode",
        "status",
        date_range_filter("received_on", gettext_lazy("date")),
    )
    search_fields = ("number", "family__name", "family__number", "payer_name")
    list_select_related = ("regie", "family", "deposit_slip")
    permission_helper_class = ReadOnlyPermissionHelper
    index_view_class = PaymentIndexView
    index_template_name = f"{TEMPLATES}/payment_index.html"
    inspect_view_enabled = True
    inspect_view_class = PaymentInspectView
    inspect_template_name = f"{TEMPLATES}/payment_inspect.html"
    action_views = (("cancel", CancelView),)
    list_export = (
        "number",
        "received_on",
        "family_number",
        "family_name",
        "payer_name",
        "regie_code",
        "mode_label",
        "amount",
        "status_label",
        "cheque_bank",
        "cheque_number",
        "reference",
        "slip_number",
    )
    export_headings = {
        "number": gettext_lazy("Receipt number"),
        "received_on": gettext_lazy("Date"),
        "family_number": gettext_lazy("Family number"),
        "family_name": gettext_lazy("Family"),
        "payer_name": gettext_lazy("Paid by"),
        "regie_code": gettext_lazy("Régie"),
        "mode_label": gettext_lazy("Means of payment"),
        "amount": gettext_lazy("Amount (€)"),
        "status_label": gettext_lazy("Status"),
        "cheque_bank": gettext_lazy("Bank"),
        "cheque_number": gettext_lazy("Cheque number"),
        "reference": gettext_lazy("Reference"),
        "slip_number": gettext_lazy("Deposit slip"),
    }
    export_filename = "paiements"

    def header_buttons(self, request):
        buttons = [(self.screen_url("fiscal"), _("Fiscal attestations"))]
        if request.user.has_perm(RECORD):
            buttons.insert(0, (self.screen_url("counter"), _("Record a payment at the counter")))
        return buttons

    def fiscal_view(self, request):
        """Every fiscal attestation (childcare costs) of a year, one PDF each, zipped."""
        form = FiscalForm(request.POST or None, initial={"year": timezone.localdate().year - 1})
        if request.method == "POST" and form.is_valid():
            year = form.cleaned_data["year"]
            return made_file_response(
                fiscal_attestations_zip(year=year),
                f"attestations-fiscales-{year}.zip",
                "application/zip",
            )
        return form_screen(
            request,
            title=_("Fiscal attestations"),
            form=form,
            button_label=_("Download the attestations"),
            index_url=self.url_helper.index_url,
            explanation=_(
                "One attestation per family and child under 7 of what was paid for childcare "
                "in the year (meals excluded), in one ZIP file."
            ),
        )

    def receipt_view(self, request, instance_pk):
        return receipt_response(get_object_or_404(Payment, pk=instance_pk))

    def counter_view(self, request):
        if not request.user.has_perm(RECORD):
            raise PermissionDenied
        form = CounterForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            if data["mode"] not in data["regie"].payment_means:
                form.add_error("mode", _("This régie does not accept this means of payment."))
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                payment = counter_payment_record(
                    regie=data["regie"],
                    family=data["family"],
                    mode=data["mode"],
                    amount=data["amount"],
                    actor=request.user,
                    invoices=list(data["invoices"]) or None,
                    received_on=data["received_on"],
                    payer_name=data["payer_name"],
                    cheque_bank=data["cheque_bank"],
                    cheque_number=data["cheque_number"],
                )
            except InvoicingError as error:
                # A voucher's cap is about the amount; anything else about the whole form.
                field = "amount" if data["mode"] in VOUCHER_MODES else None
                form.add_error(field, error.message)
            else:
                messages.success(
                    request,
                    _("Payment %(number)s of %(amount)s € recorded.")
                    % {"number": payment.number, "amount": payment.amount},
                )
                return redirect(self.url_helper.get_action_url("inspect", payment.pk))
        return form_screen(
            request,
            title=_("Record a payment at the counter"),
            form=form,
            button_label=_("Record the payment"),
            index_url=self.url_helper.index_url,
            explanation=_(
                "The payment pays the invoices chosen, or else the family's open invoices, "
                "oldest due first; what is left is kept as a credit. CESU and holiday "
                "vouchers pay only what they may pay."
            ),
        )

    def extra_admin_urls(self):
        return (
            *super().extra_admin_urls(),
            self.action_pattern("receipt", self.receipt_view),
            self.screen_pattern("counter", self.counter_view),
            self.screen_pattern("fiscal", self.fiscal_view),
        )

    # Columns (list and exports).

    family_name = related_column("family.name", gettext_lazy("Family"))
    family_number = related_column("family.number", gettext_lazy("Family number"))
    regie_code = related_column("regie.code", gettext_lazy("Régie"))

    mode_label = choice_label_column("mode")
    status_label = choice_label_column("status")

    @staticmethod
    def slip_number(obj):
        return obj.deposit_slip.number if obj.deposit_slip_id else ""


class FiscalForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100)


class DepositSlipForm(forms.Form):
    regie = forms.ModelChoiceField(label=gettext_lazy("Régie"), queryset=Regie.objects.all())
    mode = forms.ChoiceField(
        label=gettext_lazy("Means of payment"),
        choices=[(mode.value, mode.label) for mode in PaymentMode if mode in DEPOSITABLE],
        initial=PaymentMode.CHEQUE,
    )
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)


class DepositSlipInspectView(InspectView):
    def get_context_data(self, **kwargs):
        return super().get_context_data(
            slip=self.instance,
            rows=deposit_slip_rows(self.instance),
            pdf_url=self.model_admin.action_url("pdf", self.instance),
            **kwargs,
        )


class DepositSlipAdmin(MadeDocumentAdmin):
    model = DepositSlip
    menu_label = gettext_lazy("Deposit slips")
    menu_icon = "folder-inverse"
    list_display = ("number", "regie", "mode", "deposited_on", "created_at")
    list_filter = (regie_filter(), "mode")
    inspect_view_class = DepositSlipInspectView
    inspect_template_name = f"{TEMPLATES}/deposit_slip_inspect.html"
    make_permission = DEPOSIT
    make_label = gettext_lazy("Prepare a deposit slip")
    file_action = "pdf"
    file_label = gettext_lazy("PDF")

    def file_view(self, request, instance_pk):
        slip = get_object_or_404(DepositSlip, pk=instance_pk)
        return made_file_response(
            deposit_slip_pdf(slip=slip),
            f"bordereau-{slip.number}.pdf",
            "application/pdf",
            inline=True,
        )

    def make_view(self, request):
        form = DepositSlipForm(request.POST or None)
        pending = None
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            if data["confirmed"]:
                response = form_submit(
                    request,
                    form,
                    lambda data: deposit_slip_create(
                        regie=data["regie"], mode=data["mode"], actor=request.user
                    ),
                    done=lambda slip: (
                        _("Deposit slip %(number)s created.") % {"number": slip.number}
                    ),
                    then=self.inspect_url,
                )
                if response:
                    return response
            else:
                pending = list(
                    Payment.objects.filter(
                        regie=data["regie"],
                        mode=data["mode"],
                        status=PaymentStatus.VALID,
                        deposit_slip__isnull=True,
                    )
                    .select_related("family")
                    .order_by("number")
                )
                if not pending:
                    form.add_error(None, _("There is nothing to deposit."))
                else:
                    form = DepositSlipForm(initial={**data, "confirmed": True})
        return form_screen(
            request,
            title=_("Prepare a deposit slip"),
            form=form,
            button_label=_("Create the deposit slip") if pending else _("See what is deposited"),
            index_url=self.url_helper.index_url,
            explanation=_(
                "The slip gathers the régie's valid payments of this means not yet deposited; "
                "they can no longer be cancelled afterwards."
            ),
            pending=pending,
            pending_total=sum(p.amount for p in pending) if pending else None,
        )
