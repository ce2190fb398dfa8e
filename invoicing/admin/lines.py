"""« Lignes facturées » (filtered by run, régie, month, then exported to CSV or XLSX) and
« Journal des opérations »: every staff action on money, who, when, before → after."""

import datetime
import re

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.columns import choice_label_column, related_column
from core.staff import ReadOnlyPermissionHelper, StaffModelAdmin

from ..models import InvoiceLine, MoneyEvent
from .common import month_column, month_filter, regie_filter, run_filter


class InvoiceLineAdmin(StaffModelAdmin):
    model = InvoiceLine
    menu_label = gettext_lazy("Invoice lines")
    menu_icon = "list-ul"
    list_display = (
        "document_number",
        "family_name",
        "child",
        "day",
        "unit",
        "quantity",
        "unit_price",
        "amount",
        "explanation",
    )
    list_filter = (
        regie_filter("invoice__regie_id"),
        month_filter("invoice__month"),
        run_filter("invoice__run_id"),
        "kind",
    )
    list_select_related = ("invoice__regie", "child", "unit__activity")
    search_fields = ("invoice__number", "invoice__family__name", "child__first_name")
    ordering = ("invoice_id", "child_id", "day", "pk")
    permission_helper_class = ReadOnlyPermissionHelper
    list_export = (
        "document_number",
        "document_kind",
        "document_status",
        "family_number",
        "family_name",
        "regie_code",
        "month_display",
        "child_name",
        "day",
        "activity_name",
        "unit_name",
        "kind_label",
        "quantity",
        "unit_price",
        "amount",
        "explanation",
    )
    export_headings = {
        "document_number": gettext_lazy("Document"),
        "document_kind": gettext_lazy("Kind of document"),
        "document_status": gettext_lazy("Status"),
        "family_number": gettext_lazy("Family number"),
        "family_name": gettext_lazy("Family"),
        "regie_code": gettext_lazy("Régie"),
        "month_display": gettext_lazy("Month"),
        "child_name": gettext_lazy("Child"),
        "day": gettext_lazy("Day"),
        "activity_name": gettext_lazy("Activity"),
        "unit_name": gettext_lazy("Unit"),
        "kind_label": gettext_lazy("Charge"),
        "quantity": gettext_lazy("Quantity"),
        "unit_price": gettext_lazy("Unit price (€)"),
        "amount": gettext_lazy("Amount (€)"),
        "explanation": gettext_lazy("Tariff basis"),
    }
    export_filename = "lignes-facturees"

    @staticmethod
    def document_number(obj):
        return obj.invoice.number or _("Draft")

    document_number.short_description = gettext_lazy("Document")

    @staticmethod
    def document_kind(obj):
        return obj.invoice.get_kind_display()

    @staticmethod
    def document_status(obj):
        return obj.invoice.get_status_display()

    @staticmethod
    def family_number(obj):
        return obj.invoice.payer.get("number", "")

    @staticmethod
    def family_name(obj):
        return obj.invoice.payer.get("name", "")

    family_name.short_description = gettext_lazy("Family")

    regie_code = related_column("invoice.regie.code", gettext_lazy("Régie"))

    month_display = month_column("invoice.month")

    @staticmethod
    def child_name(obj):
        return f"{obj.child.first_name} {obj.child.last_name}".strip()

    @staticmethod
    def activity_name(obj):
        return obj.unit.activity.name if obj.unit else ""

    @staticmethod
    def unit_name(obj):
        return obj.unit.name if obj.unit else obj.label

    kind_label = choice_label_column("kind")


class MoneyEventAdmin(StaffModelAdmin):
    model = MoneyEvent
    menu_label = gettext_lazy("Money log")
    menu_icon = "history"
    list_display = (
        "at",
        "actor",
        "action",
        "regie_code",
        "family",
        "invoice",
        "before_column",
        "after_column",
        "note",
    )
    list_filter = (regie_filter(), "action")
    list_select_related = ("actor", "regie", "family", "invoice")
    search_fields = ("note", "family__name", "invoice__number")
    permission_helper_class = ReadOnlyPermissionHelper

    @staticmethod
    def regie_code(obj):
        return obj.regie.code if obj.regie else ""

    regie_code.short_description = gettext_lazy("Régie")

    @staticmethod
    def before_column(obj):
        return logged_state(obj.before)

    before_column.short_description = gettext_lazy("before")

    @staticmethod
    def after_column(obj):
        return logged_state(obj.after)

    after_column.short_description = gettext_lazy("after")


ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def logged_state(value) -> str:
    """A state the journal kept (JSON) as staff read it: « clé : valeur ; … », a date the
    French way (« 23/12/2026 », not « 2026-12-23 »)."""
    if isinstance(value, dict):
        return " ; ".join(f"{key} : {logged_state(item)}" for key, item in value.items())
    if isinstance(value, list):
        return ", ".join(logged_state(item) for item in value)
    if isinstance(value, str) and ISO_DATE.match(value):
        return date_format(datetime.date.fromisoformat(value), "SHORT_DATE_FORMAT")
    return "" if value is None else str(value)
