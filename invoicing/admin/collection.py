"""« Prélèvements » and « Titres »: the direct-debit mandates to validate or refuse (a kit
Queue), the debit batches of a régie and a date with their pain.008 file and the rejects the
bank sends back, the collection dockets for the Trésor with their PES file."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.staff import (
    FormActionView,
    InspectView,
    Queue,
    calls,
    refuse_decision,
    validate_decision,
)
from core.storage import made_file_response
from core.submit import form_submit

from ..choices import MandateStatus
from ..errors import InvoicingError
from ..models import CollectionDocket, DebitBatch, DebitBatchLine, Mandate, Regie
from ..payments.sepa_fields import masked_iban
from ..services.dockets import docket_candidates, docket_create, docket_pes_xml
from ..services.sepa import (
    debit_batch_create,
    debit_reject_record,
    mandate_refuse,
    mandate_validate,
)
from .common import TEMPLATES, MadeDocumentAdmin, form_screen, regie_filter

DEBIT = "invoicing.add_debitbatch"
REJECT = "invoicing.change_debitbatch"
DOCKET = "invoicing.add_collectiondocket"


class MandateQueue(Queue):
    model = Mandate
    menu_label = gettext_lazy("Direct debit mandates")
    menu_icon = "form"
    pending_status = MandateStatus.REQUESTED
    by_state = True
    already_decided = gettext_lazy("This mandate has already been decided.")
    index_empty_message = gettext_lazy("No mandate awaits a decision.")
    bulk_label = gettext_lazy("Decide several mandates")
    bulk_items_field = "mandates"
    bulk_ordering = ("requested_at", "pk")
    list_display = ("rum", "family_column", "regie", "account_holder", "status", "requested_at")
    filters = (regie_filter(),)
    search_fields = ("rum", "family__name", "family__number", "account_holder")
    decisions = (
        validate_decision(
            calls(mandate_validate, "mandate"),
            done=gettext_lazy("Mandate validated; the family is told."),
            done_many=gettext_lazy("%(count)d mandate(s) validated; the families are told."),
        ),
        refuse_decision(
            calls(mandate_refuse, "mandate"),
            done=gettext_lazy("Mandate refused; the family is told why."),
            done_many=gettext_lazy("%(count)d mandate(s) refused; the families are told why."),
        ),
    )

    def with_related(self, queryset):
        return queryset.select_related("family", "regie", "decided_by")

    def label(self, item):
        return f"{item.rum} — {item.family.name}"

    def subtitle(self, item):
        return item.family.name

    def rows(self, item):
        rows = [
            (_("Family"), f"{item.family.name} ({item.family.number})"),
            (_("Régie"), item.regie),
            (_("Mandate reference (RUM)"), item.rum),
            (_("Account holder"), item.account_holder),
            (_("IBAN"), masked_iban(item.iban)),
            (_("BIC"), item.bic or "—"),
            (_("Signature date"), item.signed_on),
            (_("Status"), item.get_status_display()),
        ]
        if not self.is_pending(item):
            rows += [
                (_("Decided at"), item.decided_at),
                (_("Reason for refusing"), item.refusal_reason or "—"),
            ]
        return rows

    def family_column(self, item):
        return item.family.name

    family_column.short_description = gettext_lazy("Family")


class BatchForm(forms.Form):
    regie = forms.ModelChoiceField(label=gettext_lazy("Régie"), queryset=Regie.objects.all())
    collection_date = forms.DateField(
        label=gettext_lazy("Debit date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason given by the bank"),
        max_length=255,
        help_text=gettext_lazy("For example AM04, insufficient funds. The family reads it."),
    )


class RejectView(FormActionView):
    """The bank rejected one line of a batch (<instance_pk> is the line's)."""

    permission = REJECT
    form_class = RejectForm
    button_label = gettext_lazy("Record the reject")

    item_model = DebitBatchLine

    def explanation(self):
        line = self.instance
        return _(
            "The debit of %(amount)s € for invoice %(invoice)s is cancelled: the invoice owes "
            "again and the family is told."
        ) % {"amount": line.amount, "invoice": line.invoice.number}

    def perform(self, data):
        debit_reject_record(line=self.instance, reason=data["reason"], actor=self.request.user)
        return _("Reject recorded.")

    def success_url(self):
        return self.item_url(self.instance.batch_id)

    def cancel_url(self):
        return self.success_url()


class BatchInspectView(InspectView):
    def get_context_data(self, **kwargs):
        batch = self.instance
        admin = self.model_admin
        can_reject = self.request.user.has_perm(REJECT)
        lines = [
            {
                "line": line,
                "reject_url": (
                    admin.action_url("reject_line", line)
                    if can_reject and line.rejected_at is None
                    else None
                ),
            }
            for line in batch.lines.select_related("invoice__family", "mandate").order_by("pk")
        ]
        return super().get_context_data(
            batch=batch, lines=lines, xml_url=admin.action_url("xml", batch), **kwargs
        )


class DebitBatchAdmin(MadeDocumentAdmin):
    model = DebitBatch
    menu_label = gettext_lazy("Direct debit batches")
    menu_icon = "list-ul"
    list_display = ("number", "regie", "collection_date", "total", "created_at")
    list_filter = (regie_filter(),)
    inspect_view_class = BatchInspectView
    inspect_template_name = f"{TEMPLATES}/debit_batch_inspect.html"
    action_views = (("reject_line", RejectView),)
    make_permission = DEBIT
    make_label = gettext_lazy("Prepare a direct debit batch")
    file_action = "xml"
    file_label = gettext_lazy("XML file")

    def file_view(self, request, instance_pk):
        batch = get_object_or_404(DebitBatch, pk=instance_pk)
        return made_file_response(bytes(batch.xml), f"{batch.number}.xml", "application/xml")

    def make_view(self, request):
        form = BatchForm(request.POST or None)
        response = form_submit(
            request,
            form,
            lambda data: debit_batch_create(actor=request.user, **data),
            done=lambda batch: (
                _("Direct debit batch %(number)s created: %(total)s €.")
                % {"number": batch.number, "total": batch.total}
            ),
            then=self.inspect_url,
        )
        if response:
            return response
        return form_screen(
            request,
            title=_("Prepare a direct debit batch"),
            form=form,
            button_label=_("Create the batch"),
            index_url=self.url_helper.index_url,
            explanation=_(
                "The batch debits, on this date, the régie's invoices due by direct debit that "
                "still owe, under their family's active mandate. Download its file for the bank."
            ),
        )


class DocketForm(forms.Form):
    regie = forms.ModelChoiceField(label=gettext_lazy("Régie"), queryset=Regie.objects.all())
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)


class DocketInspectView(InspectView):
    def get_context_data(self, **kwargs):
        docket = self.instance
        return super().get_context_data(
            docket=docket,
            items=list(docket.items.select_related("invoice__family").order_by("article")),
            xml_url=self.model_admin.action_url("pes", docket),
            **kwargs,
        )


class CollectionDocketAdmin(MadeDocumentAdmin):
    model = CollectionDocket
    menu_label = gettext_lazy("Collection dockets")
    menu_icon = "folder-open-inverse"
    list_display = ("number", "regie", "issued_on", "threshold", "total")
    list_filter = (regie_filter(),)
    inspect_view_class = DocketInspectView
    inspect_template_name = f"{TEMPLATES}/docket_inspect.html"
    make_permission = DOCKET
    make_label = gettext_lazy("Prepare a collection docket")
    file_action = "pes"
    file_label = gettext_lazy("PES file")

    def file_view(self, request, instance_pk):
        docket = get_object_or_404(CollectionDocket, pk=instance_pk)
        try:
            xml = docket_pes_xml(docket=docket)
        except InvoicingError as error:
            messages.error(request, error.message)
            return redirect(self.inspect_url(docket))
        return made_file_response(xml, f"{docket.number}.xml", "application/xml")

    def make_view(self, request):
        form = DocketForm(request.POST or None)
        pending = None
        if request.method == "POST" and form.is_valid():
            regie = form.cleaned_data["regie"]
            if form.cleaned_data["confirmed"]:
                response = form_submit(
                    request,
                    form,
                    lambda _data: docket_create(regie=regie, actor=request.user),
                    done=lambda docket: (
                        _("Collection docket %(number)s created: %(total)s €.")
                        % {"number": docket.number, "total": docket.total}
                    ),
                    then=self.inspect_url,
                )
                if response:
                    return response
            else:
                rows = docket_candidates(regie=regie, today=timezone.localdate())
                pending = [
                    _("Invoice %(number)s: %(left)s €") % {"number": r["number"], "left": r["left"]}
                    for r in rows
                ]
                if not pending:
                    form.add_error(
                        None, _("No overdue invoice reaches the régie's threshold for the Trésor.")
                    )
                else:
                    form = DocketForm(initial={"regie": regie, "confirmed": True})
        return form_screen(
            request,
            title=_("Prepare a collection docket"),
            form=form,
            button_label=_("Create the docket") if pending else _("See what is handed over"),
            index_url=self.url_helper.index_url,
            explanation=_(
                "The docket hands the régie's overdue invoices over to the Trésor public for "
                "collection; they can no longer be paid here afterwards."
            ),
            pending=pending,
        )
