"""Staff screen « Activités »: an activity with its units and groups, its registration and
booking settings; generating its opening days calls `activity_slots_generate`."""

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    get_form_for_model,
)

from core.staff import ActionAdminMixin, ConfirmActionView, StaffModelAdmin

from ..models import Activity
from ..services.configuration import activity_slots_generate
from .config_forms import (
    SCHOOL_LEVEL_CHOICES,
    WEEKDAY_CHOICES,
    ActivityForm,
    GroupInlineForm,
    ListCheckboxSelectMultiple,
    UnitInlineForm,
)
from .filters import FacilityFilter, SchoolYearFilter
from .names import OCCUPANCY_URL_NAME
from .slots import slots_url


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

    def dates(self, obj):
        return f"{obj.start_date:%d/%m/%Y} – {obj.end_date:%d/%m/%Y}"

    dates.short_description = gettext_lazy("Dates")
