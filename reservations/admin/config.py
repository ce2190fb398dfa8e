"""Staff screens « Activités et calendrier »: school years and their holidays, closures,
facilities, deadline rules, activities with their units and groups, and opening days.

The buttons that build data (import the school holidays, generate the opening days, change
a day's places) call the services of `reservations.services.configuration`; the occupancy
table and the collective cancellation have their own modules, linked from this menu.
"""

from django.contrib import messages
from django.contrib.admin import ListFilter, SimpleListFilter
from django.contrib.admin.utils import quote
from django.db.models import Count, Q
from django.forms import CheckboxSelectMultiple
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import re_path, reverse
from django.utils.dateparse import parse_date
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    get_form_for_model,
)
from wagtail_modeladmin.helpers import ButtonHelper, PermissionHelper
from wagtail_modeladmin.options import ModelAdminGroup, modeladmin_register
from wagtail_modeladmin.views import EditView, InstanceSpecificView

from core.bounds import parse_id
from portal_features.admin_base import StaffModelAdmin

from ..choices import ReservationStatus
from ..errors import ReservationError
from ..models import (
    Activity,
    CalendarSettings,
    Closure,
    Facility,
    Period,
    ReservationRule,
    SchoolYear,
    Slot,
    Unit,
)
from ..services.configuration import (
    activity_slots_generate,
    school_year_holidays_import,
    slot_update,
)
from .config_forms import (
    SCHOOL_LEVEL_CHOICES,
    WEEKDAY_CHOICES,
    ActivityForm,
    ClosureForm,
    DateRangeForm,
    GroupInlineForm,
    ListCheckboxSelectMultiple,
    ReservationRuleForm,
    SchoolYearForm,
    SlotForm,
    UnitForm,
    UnitInlineForm,
    describe_stored,
)

TEMPLATES = "reservations/admin"
OCCUPANCY_URL_NAME = "reservations_occupancy"
CANCELLATION_URL_NAME = "reservations_day_cancel"


# --- List filters (Django's related-field filters need django.contrib.admin) ----------


def related_filter(title, parameter, lookup, options):
    """A list filter "By <title>" offering `options()`, filtering on `lookup` = chosen pk."""

    def lookups(self, request, model_admin):
        return [(obj.pk, str(obj)) for obj in options()]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        value = parse_id(value)
        if value is None:
            return queryset.none()
        return queryset.filter(**{lookup: value})

    return type(
        f"{parameter.title().replace('_', '')}Filter",
        (SimpleListFilter,),
        {
            "title": title,
            "parameter_name": parameter,
            "lookups": lookups,
            "queryset": queryset,
        },
    )


SchoolYearFilter = related_filter(
    gettext_lazy("school year"), "school_year", "school_year_id", SchoolYear.objects.all
)
FacilityFilter = related_filter(
    gettext_lazy("facility"), "facility", "facility_id", Facility.objects.all
)
ActivityOfUnitFilter = related_filter(
    gettext_lazy("activity"), "activity", "activity_id", Activity.objects.all
)
ActivityOfSlotFilter = related_filter(
    gettext_lazy("activity"), "activity", "unit__activity_id", Activity.objects.all
)


class DayRangeFilter(ListFilter):
    """From one day to another (either bound optional), as two date inputs."""

    title = gettext_lazy("day")
    template = f"{TEMPLATES}/config_day_range_filter.html"
    parameters = ("day_from", "day_to")

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        self.raw = {}
        for name in self.parameters:
            if name in params:
                value = params.pop(name)
                self.raw[name] = value[-1] if isinstance(value, list) else value
        self.kept = []

    def day(self, name):
        try:
            return parse_date(self.raw.get(name) or "")
        except ValueError:
            return None

    def has_output(self):
        return True

    def expected_parameters(self):
        return list(self.parameters)

    def choices(self, changelist):
        # The other criteria of the list (those it applies), kept when the range is applied.
        self.kept = [
            (key, value)
            for key, values in changelist.params.lists()
            if key not in self.parameters
            for value in values
        ]
        return []

    def queryset(self, request, queryset):
        first, last = self.day("day_from"), self.day("day_to")
        if first:
            queryset = queryset.filter(day__gte=first)
        if last:
            queryset = queryset.filter(day__lte=last)
        return queryset


# --- Buttons and screens for one item ---------------------------------------------------


class ActionButtonHelper(ButtonHelper):
    """Adds the ModelAdmin's `row_buttons(request, obj)`, (url, label) pairs, to each row."""

    def get_buttons_for_obj(self, obj, exclude=None, classnames_add=None, classnames_exclude=None):
        buttons = super().get_buttons_for_obj(obj, exclude, classnames_add, classnames_exclude)
        for url, label in self.view.model_admin.row_buttons(self.request, obj):
            buttons.append(
                {
                    "url": url,
                    "label": label,
                    "classname": self.finalise_classname(
                        ["button-secondary", *(classnames_add or [])], classnames_exclude
                    ),
                    "title": label,
                }
            )
        return buttons


class ActionAdminMixin:
    """For a StaffModelAdmin: registers `action_views`, (action, view class) pairs, each at
    <model>/<action>/<pk>/, and lets it add buttons to each row of its list."""

    action_views: tuple = ()
    button_helper_class = ActionButtonHelper

    def row_buttons(self, request, obj) -> list[tuple[str, str]]:
        return []

    def action_url(self, action, obj) -> str:
        return self.url_helper.get_action_url(action, quote(obj.pk))

    def _action_view(self, view_class):
        def view(request, instance_pk):
            return view_class.as_view(model_admin=self, instance_pk=instance_pk)(request)

        return view

    def extra_admin_urls(self):
        return (
            *super().extra_admin_urls(),
            *(
                re_path(
                    self.url_helper.get_action_url_pattern(action),
                    self._action_view(view_class),
                    name=self.url_helper.get_action_url_name(action),
                )
                for action, view_class in self.action_views
            ),
        )


class ConfirmActionView(InstanceSpecificView):
    """GET asks for confirmation; POST calls `perform()`, which calls one service and
    returns the success message, then goes to `success_url()`. A ReservationError is
    shown as an error and nothing is changed."""

    template_name = f"{TEMPLATES}/config_confirm.html"
    permission = ""  # "app_label.codename"
    button_label = ""

    def check_action_permitted(self, user):
        return user.has_perm(self.permission)

    def explanation(self) -> str:
        return ""

    def perform(self) -> str:
        raise NotImplementedError

    def success_url(self) -> str:
        return self.index_url

    def get(self, request, *args, **kwargs):
        context = self.get_context_data(
            explanation=self.explanation(), button_label=self.button_label
        )
        return TemplateResponse(request, self.template_name, context)

    def post(self, request, *args, **kwargs):
        try:
            message = self.perform()
        except ReservationError as error:
            messages.error(request, error.message)
            return redirect(self.index_url)
        messages.success(request, message)
        return redirect(self.success_url())


class NoCreatePermissionHelper(PermissionHelper):
    """Items made elsewhere (units in their activity, opening days by generation)."""

    def user_can_create(self, user):
        return False


class SlotPermissionHelper(NoCreatePermissionHelper):
    """Opening days are generated and hold reservations: staff change them, never delete."""

    def user_can_delete_obj(self, user, obj):
        return False


# --- School years, periods, closures, facilities ---------------------------------------


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

    @staticmethod
    def period_count(obj):
        return obj.periods_total

    period_count.short_description = gettext_lazy("Periods")


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


# --- Deadline rules -----------------------------------------------------------------


def _deadline_fields(prefix, heading):
    return MultiFieldPanel(
        [
            FieldPanel(f"{prefix}_kind"),
            FieldRowPanel(
                [
                    FieldPanel(f"{prefix}_number"),
                    FieldPanel(f"{prefix}_weekday"),
                    FieldPanel(f"{prefix}_time"),
                ]
            ),
        ],
        heading=heading,
    )


class ReservationRuleAdmin(StaffModelAdmin):
    model = ReservationRule
    menu_label = gettext_lazy("Deadline rules")
    menu_icon = "time"
    list_display = ("name", "booking_in_words", "cancellation_in_words", "absence_delay")
    search_fields = ("name",)
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            _deadline_fields("booking", gettext_lazy("Booking deadline")),
            _deadline_fields("cancellation", gettext_lazy("Cancellation deadline")),
            FieldPanel("absence_justification_hours"),
        ],
        base_form_class=ReservationRuleForm,
    )

    @staticmethod
    def booking_in_words(obj):
        return describe_stored(obj.booking_deadline)

    booking_in_words.short_description = gettext_lazy("Booking closes")

    @staticmethod
    def cancellation_in_words(obj):
        if not obj.cancellation_deadline:
            return _("Same as booking")
        return describe_stored(obj.cancellation_deadline)

    cancellation_in_words.short_description = gettext_lazy("Cancellation closes")

    @staticmethod
    def absence_delay(obj):
        return ngettext("%(hours)s hour", "%(hours)s hours", obj.absence_justification_hours) % {
            "hours": obj.absence_justification_hours
        }

    absence_delay.short_description = gettext_lazy("Delay to justify an absence")


# --- Activities, units, opening days -------------------------------------------------


class FormInlinePanel(InlinePanel):
    """An InlinePanel whose child forms use `form`, for their own French checks."""

    def __init__(self, *args, form=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.form = form

    def clone_kwargs(self):
        return {**super().clone_kwargs(), "form": self.form}

    def get_form_options(self):
        options = super().get_form_options()
        if self.form is not None:
            # Wagtail may have built a form of its own (fields whose "required" is deferred
            # to publishing): build the same on top of ours.
            child_options = self.child_edit_handler.get_form_options()
            defer = child_options.get("defer_required_on_fields")
            options["formsets"][self.relation_name]["form"] = (
                get_form_for_model(
                    self.db_field.related_model,
                    form_class=self.form,
                    defer_required_on_fields=defer,
                )
                if defer
                else self.form
            )
        return options


class SlotsGenerateView(ConfirmActionView):
    permission = "reservations.add_slot"
    button_label = gettext_lazy("Generate the opening days")

    def get_page_title(self):
        return _("Generate the opening days")

    def explanation(self):
        return _(
            "One opening day is created for each unit and group on every day the activity "
            "opens: its weekdays between its dates, per its calendar, without public "
            "holidays and closures. Days already there, and their bookings, are kept."
        )

    def perform(self):
        added = activity_slots_generate(activity_id=self.instance.pk)
        if not added:
            return _("No opening day added: they were all there already.")
        return ngettext("%(count)s opening day added.", "%(count)s opening days added.", added) % {
            "count": added
        }

    def success_url(self):
        return slots_url(self.instance)


def slots_url(activity) -> str:
    return (
        reverse("reservations_slot_modeladmin_index") + "?" + urlencode({"activity": activity.pk})
    )


class ActivityAdmin(ActionAdminMixin, StaffModelAdmin):
    model = Activity
    menu_label = gettext_lazy("Activities")
    menu_icon = "date"
    list_display = ("name", "school_year", "facility", "dates", "is_published")
    list_filter = (SchoolYearFilter, FacilityFilter, "is_published")
    list_select_related = ("school_year", "facility")
    search_fields = ("name",)
    action_views = (("generate_slots", SlotsGenerateView),)
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("school_year"), FieldPanel("facility")]),
                    FieldPanel("name"),
                    FieldPanel("description"),
                    FieldRowPanel([FieldPanel("is_published"), FieldPanel("sort_order")]),
                ],
                heading=gettext_lazy("Activity"),
            ),
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
                    FieldPanel(
                        "weekdays",
                        widget=ListCheckboxSelectMultiple(choices=WEEKDAY_CHOICES, coerce=int),
                    ),
                    FieldPanel("calendar"),
                    FieldPanel("period"),
                ],
                heading=gettext_lazy("Opening days"),
            ),
            MultiFieldPanel(
                [
                    FieldRowPanel(
                        [
                            FieldPanel("registration_opens_at"),
                            FieldPanel("registration_closes_at"),
                        ]
                    ),
                    FieldPanel("residents_only"),
                    FieldPanel("registration_validation"),
                ],
                heading=gettext_lazy("Registration"),
            ),
            MultiFieldPanel(
                [
                    FieldRowPanel(
                        [FieldPanel("booking_opens_at"), FieldPanel("booking_closes_at")]
                    ),
                    FieldPanel("rule"),
                    FieldRowPanel(
                        [
                            FieldPanel("booking_validation"),
                            FieldPanel("cancellation_validation"),
                        ]
                    ),
                    FieldRowPanel([FieldPanel("waiting_list"), FieldPanel("offer_hours")]),
                ],
                heading=gettext_lazy("Booking"),
            ),
            FormInlinePanel(
                "units",
                form=UnitInlineForm,
                heading=gettext_lazy("Units"),
                label=gettext_lazy("unit"),
                panels=[
                    FieldPanel("name"),
                    FieldRowPanel([FieldPanel("start_time"), FieldPanel("end_time")]),
                    FieldRowPanel(
                        [
                            FieldPanel("includes_meal"),
                            FieldPanel("price_code"),
                            FieldPanel("price"),
                            FieldPanel("sort_order"),
                        ]
                    ),
                ],
            ),
            FormInlinePanel(
                "groups",
                form=GroupInlineForm,
                heading=gettext_lazy("Groups"),
                label=gettext_lazy("group"),
                panels=[
                    FieldRowPanel([FieldPanel("name"), FieldPanel("capacity")]),
                    FieldPanel(
                        "school_levels",
                        widget=ListCheckboxSelectMultiple(choices=SCHOOL_LEVEL_CHOICES),
                    ),
                    FieldRowPanel(
                        [FieldPanel("min_age"), FieldPanel("max_age"), FieldPanel("sort_order")]
                    ),
                ],
            ),
        ],
        base_form_class=ActivityForm,
    )

    def row_buttons(self, request, obj):
        user = request.user
        buttons = []
        if user.has_perm(SlotsGenerateView.permission):
            buttons.append((self.action_url("generate_slots", obj), _("Generate opening days")))
        buttons.append((slots_url(obj), _("Opening days")))
        buttons.append(
            (
                reverse("reservations_unit_modeladmin_index")
                + "?"
                + urlencode({"activity": obj.pk}),
                _("Units"),
            )
        )
        if user.has_perm("reservations.view_slot"):
            buttons.append(
                (
                    reverse(OCCUPANCY_URL_NAME) + "?" + urlencode({"activity": obj.pk}),
                    _("Occupancy"),
                )
            )
        return buttons

    @staticmethod
    def dates(obj):
        return f"{obj.start_date:%d/%m/%Y} – {obj.end_date:%d/%m/%Y}"

    dates.short_description = gettext_lazy("Dates")


class UnitAdmin(StaffModelAdmin):
    """Units are added in their activity; here staff set which cannot share a day."""

    model = Unit
    menu_label = gettext_lazy("Units")
    menu_icon = "list-ul"
    list_display = ("name", "activity", "hours", "price", "excluded_units")
    list_filter = (ActivityOfUnitFilter,)
    search_fields = ("name", "activity__name")
    ordering = ("activity__name", "sort_order", "start_time", "pk")
    permission_helper_class = NoCreatePermissionHelper
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldRowPanel([FieldPanel("start_time"), FieldPanel("end_time")]),
            FieldRowPanel(
                [FieldPanel("includes_meal"), FieldPanel("price_code"), FieldPanel("price")]
            ),
            FieldPanel("sort_order"),
            FieldPanel("excludes", widget=CheckboxSelectMultiple),
        ],
        base_form_class=UnitForm,
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("activity").prefetch_related("excludes")

    @staticmethod
    def hours(obj):
        return f"{obj.start_time:%H:%M} – {obj.end_time:%H:%M}"

    hours.short_description = gettext_lazy("Hours")

    @staticmethod
    def excluded_units(obj):
        return ", ".join(unit.name for unit in obj.excludes.all())

    excluded_units.short_description = gettext_lazy("Cannot be booked on the same day as")


class SlotEditView(EditView):
    """Places and closing through `slot_update` (never below the places taken, never a
    closing over live bookings); the slot row itself is never saved from the form."""

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            slot_update(
                slot_id=self.instance.pk,
                capacity=data["places"],
                is_closed=data["is_closed"],
                closed_reason=data["closed_reason"],
            )
        except ReservationError as error:
            form.add_error("places", error.message)
            return self.form_invalid(form)
        messages.success(self.request, _("Opening day %(slot)s saved.") % {"slot": self.instance})
        return redirect(self.get_success_url())

    def get_success_url(self):
        return slots_url(self.instance.unit.activity)


class SlotAdmin(StaffModelAdmin):
    model = Slot
    menu_label = gettext_lazy("Opening days")
    menu_icon = "calendar"
    list_display = ("day", "activity", "unit_name", "group_name", "places", "waiting", "closed")
    list_filter = (ActivityOfSlotFilter, DayRangeFilter, "is_closed")
    ordering = ("day", "unit__sort_order", "group__sort_order", "pk")
    permission_helper_class = SlotPermissionHelper
    edit_view_class = SlotEditView
    history_view_enabled = False
    edit_handler = ObjectList(
        [
            FieldPanel("places"),
            FieldPanel("is_closed"),
            FieldPanel("closed_reason"),
        ],
        base_form_class=SlotForm,
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("unit__activity", "group")
            .annotate(
                waiting_total=Count(
                    "reservations", filter=Q(reservations__status=ReservationStatus.WAITING)
                )
            )
        )

    @staticmethod
    def activity(obj):
        return obj.unit.activity.name

    activity.short_description = gettext_lazy("Activity")

    @staticmethod
    def unit_name(obj):
        return obj.unit.name

    unit_name.short_description = gettext_lazy("Unit")

    @staticmethod
    def group_name(obj):
        return obj.group.name

    group_name.short_description = gettext_lazy("Group")

    @staticmethod
    def places(obj):
        return f"{obj.booked} / {obj.capacity}"

    places.short_description = gettext_lazy("Booked / places")

    @staticmethod
    def waiting(obj):
        return obj.waiting_total

    waiting.short_description = gettext_lazy("Waiting list")

    @staticmethod
    def closed(obj):
        return (obj.closed_reason or _("Closed")) if obj.is_closed else ""

    closed.short_description = gettext_lazy("Closed")


# --- The menu -------------------------------------------------------------------------


class PermissionMenuItem(MenuItem):
    def __init__(self, *args, permissions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.permissions = permissions

    def is_shown(self, request):
        return request.user.has_perms(self.permissions)


class CalendarAdminGroup(ModelAdminGroup):
    menu_label = gettext_lazy("Activities and calendar")
    menu_icon = "date"
    menu_order = 240
    items = (
        ActivityAdmin,
        SlotAdmin,
        UnitAdmin,
        ReservationRuleAdmin,
        SchoolYearAdmin,
        PeriodAdmin,
        ClosureAdmin,
        FacilityAdmin,
    )

    def get_submenu_items(self):
        items = super().get_submenu_items()
        # After "Activities" and "Opening days": the two screens that are not lists.
        items[2:2] = [
            PermissionMenuItem(
                gettext_lazy("Occupancy"),
                reverse(OCCUPANCY_URL_NAME),
                icon_name="table",
                permissions=("reservations.view_slot",),
            ),
            PermissionMenuItem(
                gettext_lazy("Collective cancellation"),
                reverse(CANCELLATION_URL_NAME),
                icon_name="warning",
                permissions=("reservations.change_reservation", "reservations.change_slot"),
            ),
        ]
        for order, item in enumerate(items, start=1):
            item.order = order
        return items


modeladmin_register(CalendarAdminGroup)
