"""« Facturations »: the runs per régie and month. Staff prepare a month (« Préparer la
facturation »), review the draft per family with its alerts and totals, prepare it again,
finalize it after a confirmation, and prepare a corrective run of a finalized month.
Every button calls one service of `invoicing.services.runs`, which records who did what."""

import datetime
from decimal import Decimal

from django import forms
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.columns import choice_label_column
from core.staff import (
    ActionAdminMixin,
    ConfirmActionView,
    InspectView,
    ReadOnlyPermissionHelper,
    StaffModelAdmin,
)
from core.submit import form_submit
from core.time import month_start

from ..choices import RunKind, RunStatus
from ..errors import InvoicingError
from ..models import InvoicingRun, Regie
from ..services import run_corrective, run_draft, run_finalize
from .common import (
    TEMPLATES,
    amount,
    form_screen,
    month_column,
    month_filter,
    month_label,
    regie_filter,
)
from .reads import run_review

PREPARE = "invoicing.add_invoicingrun"
FINALIZE = "invoicing.change_invoicingrun"


class PrepareForm(forms.Form):
    regie = forms.ModelChoiceField(label=gettext_lazy("Régie"), queryset=Regie.objects.all())
    month = forms.DateField(
        label=gettext_lazy("Month"),
        input_formats=["%Y-%m", "%m/%Y"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"), choices=RunKind.choices, initial=RunKind.REGULAR
    )

    def clean_month(self):
        month = month_start(self.cleaned_data["month"])
        if not datetime.date(2000, 1, 1) <= month <= datetime.date(2100, 12, 1):
            raise forms.ValidationError(gettext_lazy("Choose a month between 2000 and 2100."))
        return month


def prepare(*, regie, month, kind, actor) -> InvoicingRun:
    service = run_corrective if kind == RunKind.CORRECTIVE else run_draft
    return service(regie=regie, month=month, actor=actor)


class RunInspectView(InspectView):
    """The review of a run: per family its lines and alerts, the totals, the buttons."""

    def get_context_data(self, **kwargs):
        run = self.instance
        user = self.request.user
        admin = self.model_admin
        is_draft = run.status == RunStatus.DRAFT
        return super().get_context_data(
            review=run_review(run=run, page_number=self.request.GET.get("p")),
            can_finalize=is_draft and user.has_perm(FINALIZE),
            can_prepare=is_draft and user.has_perm(PREPARE),
            can_correct=(
                run.status == RunStatus.FINALIZED
                and run.kind == RunKind.REGULAR
                and user.has_perm(PREPARE)
            ),
            finalize_url=admin.action_url("finalize", run),
            rerun_url=admin.action_url("rerun", run),
            corrective_url=admin.action_url("corrective", run),
            lines_url=reverse("invoicing_invoiceline_modeladmin_index") + f"?run={run.pk}",
            documents_url=reverse("invoicing_invoice_modeladmin_index") + f"?run={run.pk}",
            **kwargs,
        )


class RunActionView(ConfirmActionView):
    """A confirmed action on a run that ends on a run's review."""

    permission = PREPARE
    back_to_item = True

    def success_url(self):
        return self.item_url(self.result.pk)


class FinalizeView(RunActionView):
    permission = FINALIZE
    button_label = gettext_lazy("Finalize")

    def explanation(self):
        totals = run_review(run=self.instance, page_number=1).totals
        return _(
            "%(invoices)s invoice(s) for %(invoiced)s € and %(credit_notes)s credit note(s) "
            "for %(credited)s € will be numbered and issued; invoices below the régie's "
            "minimum are carried over to next month. Issued documents can never be changed: "
            "a mistake is corrected by a credit note."
        ) % {
            "invoices": totals["invoices"],
            "invoiced": amount(totals["total_invoiced"]),
            "credit_notes": totals["credit_notes"],
            "credited": amount(totals["total_credited"]),
        }

    def perform(self):
        self.result = run_finalize(run=self.instance, actor=self.request.user)
        numbers = self.result.summary.get("numbers", {})
        ranges = ", ".join(f"{first} → {last}" for first, last in numbers.values())
        return _("Run finalized: %(issued)s document(s) issued (%(numbers)s).") % {
            "issued": self.result.summary.get("issued", 0),
            "numbers": ranges or "–",
        }


class RerunView(RunActionView):
    button_label = gettext_lazy("Prepare again")

    def explanation(self):
        return _(
            "The draft is computed again from today's reservations, attendance and tariffs; "
            "it replaces this one."
        )

    def perform(self):
        if self.instance.status != RunStatus.DRAFT:
            raise InvoicingError(_("This run is already finalized."))
        run = self.instance
        self.result = prepare(
            regie=run.regie, month=run.month, kind=run.kind, actor=self.request.user
        )
        return _("Draft prepared again.")


class CorrectiveView(RunActionView):
    button_label = gettext_lazy("Prepare a corrective run")

    def explanation(self):
        return _(
            "The days of %(month)s are compared line by line with what was billed: a credit "
            "note takes back what is no longer owed, an additional invoice bills what was "
            "added. You review it before finalizing it."
        ) % {"month": month_label(self.instance.month)}

    def perform(self):
        run = self.instance
        self.result = run_corrective(regie=run.regie, month=run.month, actor=self.request.user)
        return _("Corrective run prepared.")


class RunAdmin(ActionAdminMixin, StaffModelAdmin):
    model = InvoicingRun
    menu_label = gettext_lazy("Invoicing runs")
    menu_icon = "calendar"
    list_display = (
        "regie",
        "month_display",
        "kind",
        "status",
        "families",
        "total_invoiced",
        "total_credited",
        "created_at",
    )
    list_filter = (regie_filter(), month_filter(), "kind", "status")
    list_select_related = ("regie",)
    permission_helper_class = ReadOnlyPermissionHelper
    index_template_name = "core/staff/index.html"
    inspect_view_enabled = True
    inspect_view_class = RunInspectView
    inspect_template_name = f"{TEMPLATES}/run_review.html"
    action_views = (
        ("finalize", FinalizeView),
        ("rerun", RerunView),
        ("corrective", CorrectiveView),
    )
    list_export = (
        "regie",
        "month_display",
        "kind_label",
        "status_label",
        "families",
        "invoices",
        "credit_notes",
        "lines",
        "total_invoiced",
        "total_credited",
        "created_at",
        "finalized_at",
    )
    export_headings = {
        "regie": gettext_lazy("Régie"),
        "month_display": gettext_lazy("Month"),
        "kind_label": gettext_lazy("Kind"),
        "status_label": gettext_lazy("Status"),
        "families": gettext_lazy("Families"),
        "invoices": gettext_lazy("Invoices"),
        "credit_notes": gettext_lazy("Credit notes"),
        "lines": gettext_lazy("Lines"),
        "total_invoiced": gettext_lazy("Total invoiced (€)"),
        "total_credited": gettext_lazy("Total credited (€)"),
        "created_at": gettext_lazy("Prepared at"),
        "finalized_at": gettext_lazy("Finalized at"),
    }
    export_filename = "facturations"

    def header_buttons(self, request):
        if not request.user.has_perm(PREPARE):
            return []
        return [(self.screen_url("prepare"), _("Prepare the invoicing"))]

    def row_buttons(self, request, obj):
        if obj.status == RunStatus.DRAFT and request.user.has_perm(FINALIZE):
            return [(self.action_url("finalize", obj), _("Finalize"))]
        return []

    def prepare_view(self, request):
        if not request.user.has_perm(PREPARE):
            raise PermissionDenied
        initial = {"month": month_start(month_start(timezone.localdate()) - datetime.timedelta(1))}
        form = PrepareForm(request.POST or None, initial=initial)
        response = form_submit(
            request,
            form,
            lambda data: prepare(actor=request.user, **data),
            done=_("Draft prepared: review it, then finalize it."),
            then=lambda run: self.url_helper.get_action_url("inspect", run.pk),
        )
        if response:
            return response
        return form_screen(
            request,
            title=_("Prepare the invoicing"),
            form=form,
            button_label=_("Prepare the draft"),
            index_url=self.url_helper.index_url,
            explanation=_(
                "The draft lists, per family, every billable day of the month with its price "
                "and why, and the alerts to check. Nothing is sent to families before you "
                "finalize it; preparing it again replaces it."
            ),
            icon="calendar",
        )

    def extra_admin_urls(self):
        return (*super().extra_admin_urls(), self.screen_pattern("prepare", self.prepare_view))

    # Columns (list and exports).

    month_display = month_column(label=gettext_lazy("Month"))
    kind_label = choice_label_column("kind")
    status_label = choice_label_column("status")

    @staticmethod
    def families(obj):
        return obj.summary.get("families", 0)

    families.short_description = gettext_lazy("Families")

    @staticmethod
    def invoices(obj):
        return obj.summary.get("invoices", 0)

    @staticmethod
    def credit_notes(obj):
        return obj.summary.get("credit_notes", 0)

    @staticmethod
    def lines(obj):
        return obj.summary.get("lines", 0)

    @staticmethod
    def total_invoiced(obj):
        return Decimal(obj.summary.get("total_invoiced", "0"))

    total_invoiced.short_description = gettext_lazy("Total invoiced (€)")

    @staticmethod
    def total_credited(obj):
        return Decimal(obj.summary.get("total_credited", "0"))

    total_credited.short_description = gettext_lazy("Total credited (€)")
