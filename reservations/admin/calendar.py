"""Staff screens « Années scolaires », « Périodes de vacances », « Fermetures » and
« Structures »: the calendar the activities open on. Importing the school holidays calls
`school_year_holidays_import`."""

from django.db.models import Count
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList

from core.columns import related_column
from core.staff import ActionAdminMixin, ConfirmActionView, StaffModelAdmin

from ..models import CalendarSettings, Closure, Facility, Period, SchoolYear
from ..services.configuration import school_year_holidays_import
from .config_forms import ClosureForm, DateRangeForm, SchoolYearForm
from .filters import FacilityFilter, SchoolYearFilter


class HolidaysImportView(ConfirmActionView):
    permission = "reservations.add_period"
    button_label = gettext_lazy("Import the school holidays")

    def get_page_title(self):
        return _("Import the school holidays")

    def zone(self):
        return CalendarSettings.load().school_holiday_zone

    def explanation(self):
        return _(
            "The official school holidays of zone %(zone)s that fall within %(year)s are "
            "added as periods. Periods already there are kept. The zone is set in "
            "Settings › Calendar."
        ) % {"zone": self.zone(), "year": self.instance}

    def perform(self):
        added = school_year_holidays_import(school_year=self.instance, zone=self.zone())
        if not added:
            return _(
                "No period added: they are already there, or the holidays of this school "
                "year are not known yet."
            )
        return ngettext(
            "%(count)s holiday period added.", "%(count)s holiday periods added.", added
        ) % {"count": added}

    def success_url(self):
        return (
            reverse("reservations_period_modeladmin_index")
            + "?"
            + urlencode({"school_year": self.instance.pk})
        )


class SchoolYearAdmin(ActionAdminMixin, StaffModelAdmin):
    model = SchoolYear
    menu_label = gettext_lazy("School years")
    menu_icon = "date"
    list_display = ("name", "start_date", "end_date", "period_count")
    action_views = (("import_holidays", HolidaysImportView),)
    edit_handler = ObjectList(
        [FieldPanel("name"), FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")])],
        base_form_class=SchoolYearForm,
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(periods_total=Count("periods"))

    def row_buttons(self, request, obj):
        buttons = [
            (
                reverse("reservations_period_modeladmin_index")
                + "?"
                + urlencode({"school_year": obj.pk}),
                _("Periods"),
            )
        ]
        if request.user.has_perm(HolidaysImportView.permission):
            buttons.append((self.action_url("import_holidays", obj), _("Import school holidays")))
        return buttons

    period_count = related_column("periods_total", gettext_lazy("Periods"))


class PeriodAdmin(StaffModelAdmin):
    model = Period
    menu_label = gettext_lazy("Holiday periods")
    menu_icon = "calendar-alt"
    list_display = ("name", "kind", "start_date", "end_date", "school_year")
    list_filter = (SchoolYearFilter, "kind")
    list_select_related = ("school_year",)
    ordering = ("-school_year__start_date", "start_date")
    edit_handler = ObjectList(
        [
            FieldPanel("school_year"),
            FieldPanel("name"),
            FieldPanel("kind"),
            FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
        ],
        base_form_class=DateRangeForm,
    )


class ClosureAdmin(StaffModelAdmin):
    model = Closure
    menu_label = gettext_lazy("Closures")
    menu_icon = "cross"
    list_display = ("reason", "start_date", "end_date", "facility", "activity")
    list_filter = (FacilityFilter,)
    list_select_related = ("facility", "activity")
    search_fields = ("reason",)
    ordering = ("-start_date",)
    edit_handler = ObjectList(
        [
            FieldPanel("reason"),
            FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
            FieldPanel("facility"),
            FieldPanel("activity"),
        ],
        base_form_class=ClosureForm,
    )


class FacilityAdmin(StaffModelAdmin):
    model = Facility
    menu_label = gettext_lazy("Facilities")
    menu_icon = "home"
    list_display = ("name", "address", "email", "phone")
    search_fields = ("name",)
