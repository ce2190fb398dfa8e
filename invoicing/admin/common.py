"""What invoicing's staff screens share: who may do what, the lists' filters, month labels."""

import datetime

from django import forms
from django.contrib.admin import SimpleListFilter
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils.dateparse import parse_date
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from core.bounds import parse_id
from core.staff import (
    ActionAdminMixin,
    PermissionHelper,
    ReadOnlyPermissionHelper,
    StaffModelAdmin,
    related_filter,
)

from ..models import InvoicingRun, Regie

TEMPLATES = "invoicing/admin"


class MadeDocumentAdmin(ActionAdminMixin, StaffModelAdmin):
    """Documents staff make on a « Prepare » screen (direct debit batches, collection
    dockets, deposit slips): a read-only list of the régie's documents, each with its file
    (`file_action`, served by `file_view`), and the « Prepare » button and screen
    (`make_view`) for who holds `make_permission`."""

    search_fields = ("number",)
    list_select_related = ("regie",)
    permission_helper_class = ReadOnlyPermissionHelper
    index_template_name = "core/staff/index.html"
    inspect_view_enabled = True
    make_permission = ""
    make_label = ""
    file_action = ""
    file_label = ""

    def header_buttons(self, request):
        if not request.user.has_perm(self.make_permission):
            return []
        return [(self.screen_url("create"), self.make_label)]

    def row_buttons(self, request, obj):
        return [(self.action_url(self.file_action, obj), self.file_label)]

    def inspect_url(self, obj) -> str:
        return self.url_helper.get_action_url("inspect", obj.pk)

    def file_view(self, request, instance_pk):
        raise NotImplementedError

    def make_view(self, request):
        raise NotImplementedError

    def create_view(self, request):
        if not request.user.has_perm(self.make_permission):
            raise PermissionDenied
        return self.make_view(request)

    def extra_admin_urls(self):
        return (
            *super().extra_admin_urls(),
            self.action_pattern(self.file_action, self.file_view),
            self.screen_pattern("create", self.create_view),
        )


def form_screen(request, *, title, form, button_label, index_url, explanation="", **extra):
    """A staff screen with one form (the counter, a deposit slip, a batch, an invoicing
    run…); `extra`: `pending` (what a confirmation will gather), `icon`…"""
    return TemplateResponse(
        request,
        f"{TEMPLATES}/form_screen.html",
        {
            "title": title,
            "form": form,
            "button_label": button_label,
            "index_url": index_url,
            "explanation": explanation,
            **extra,
        },
    )


def reason_form(help_text):
    """The form of an action staff must give a reason for (cancelling an invoice, a
    payment): the reason, and where it is kept (`help_text`)."""

    class ReasonForm(forms.Form):
        reason = forms.CharField(
            label=_("Reason"),
            max_length=1000,
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text=help_text,
        )

    return ReasonForm


def amount(value) -> str:
    """An amount written in a sentence before its « € »: « 1 234,50 »."""
    return number_format(value, decimal_pos=2, force_grouping=True)


def month_label(month: datetime.date | None) -> str:
    return f"{month:%m/%Y}" if month else ""


def month_column(path: str = "month", label=None):
    """A list (or export) column with the month billed at `obj.<path>` (a dotted path),
    « 09/2026 »; headed `label` when one is given."""
    attrs = path.split(".")

    def column(self, obj):
        for attr in attrs:
            obj = getattr(obj, attr)
        return month_label(obj)

    if label is not None:
        column.short_description = label
    return column


class RegiePermissionHelper(PermissionHelper):
    """A régie is set up and changed, never deleted (its documents keep it)."""

    def user_can_delete_obj(self, user, obj):
        return False


def regie_filter(lookup: str = "regie_id"):
    return related_filter(_("régie"), "regie", lookup, lambda: Regie.objects.order_by("name"))


def month_filter(path: str = "month"):
    """By month billed: the months the list's items have, newest first."""

    class MonthFilter(SimpleListFilter):
        title = _("month")
        parameter_name = "month"

        def lookups(self, request, model_admin):
            months = (
                model_admin.model._default_manager.order_by(f"-{path}")
                .values_list(path, flat=True)
                .distinct()
            )
            return [(month.isoformat(), month_label(month)) for month in months]

        def queryset(self, request, queryset):
            month = parse_date(self.value() or "")
            if month is None:
                return queryset
            return queryset.filter(**{path: month})

    return MonthFilter


def run_filter(lookup: str = "run_id"):
    """The documents or lines of one run (the run's review links here): offered only for
    the run chosen, so the list's side bar does not list every run."""

    class RunFilter(SimpleListFilter):
        title = _("run")
        parameter_name = "run"

        def lookups(self, request, model_admin):
            run_id = parse_id(self.value())
            run = InvoicingRun.objects.select_related("regie").filter(pk=run_id).first()
            return [(run.pk, str(run))] if run_id and run else []

        def queryset(self, request, queryset):
            run_id = parse_id(self.value())
            return queryset if run_id is None else queryset.filter(**{lookup: run_id})

    return RunFilter
