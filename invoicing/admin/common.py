"""What invoicing's staff screens share: who may do what, the lists' filters, month labels."""

import datetime

from django.contrib.admin import SimpleListFilter
from django.utils.dateparse import parse_date
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from core.bounds import parse_id
from core.staff import PermissionHelper, related_filter

from ..models import InvoicingRun, Regie

TEMPLATES = "invoicing/admin"


def amount(value) -> str:
    """An amount written in a sentence before its « € »: « 1 234,50 »."""
    return number_format(value, decimal_pos=2, force_grouping=True)


def month_label(month: datetime.date | None) -> str:
    return f"{month:%m/%Y}" if month else ""


class ReadOnlyPermissionHelper(PermissionHelper):
    """Items made and changed only by the services (runs, documents, lines, the log)."""

    def user_can_create(self, user):
        return False

    def user_can_edit_obj(self, user, obj):
        return False

    def user_can_delete_obj(self, user, obj):
        return False


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
