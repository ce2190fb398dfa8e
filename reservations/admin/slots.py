"""Staff screens « Unités » and « Jours d'ouverture »: which units cannot share a day, and
each opening day's places and closing, changed through `slot_update`."""

from django.contrib import messages
from django.db.models import Count, Q
from django.forms import CheckboxSelectMultiple
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList

from core.columns import related_column
from core.staff import (
    ChangeOnlyPermissionHelper,
    EditView,
    NoCreatePermissionHelper,
    StaffModelAdmin,
)

from ..choices import ReservationStatus
from ..errors import ReservationError
from ..models import Slot, Unit
from ..services.configuration import slot_update
from .config_forms import SlotForm, UnitForm
from .filters import DayRangeFilter, activity_filter


def slots_url(activity) -> str:
    return (
        reverse("reservations_slot_modeladmin_index") + "?" + urlencode({"activity": activity.pk})
    )


class UnitAdmin(StaffModelAdmin):
    """Units are added in their activity; here staff set which cannot share a day."""

    model = Unit
    menu_label = gettext_lazy("Units")
    menu_icon = "list-ul"
    list_display = ("name", "activity", "hours", "price", "excluded_units")
    list_filter = (activity_filter("activity_id"),)
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

    def hours(self, obj):
        return f"{obj.start_time:%H:%M} – {obj.end_time:%H:%M}"

    hours.short_description = gettext_lazy("Hours")

    def excluded_units(self, obj):
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
    list_filter = (activity_filter("unit__activity_id"), DayRangeFilter, "is_closed")
    ordering = ("day", "unit__sort_order", "group__sort_order", "pk")
    permission_helper_class = ChangeOnlyPermissionHelper
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

    activity = related_column("unit.activity.name", gettext_lazy("Activity"))
    unit_name = related_column("unit.name", gettext_lazy("Unit"))
    group_name = related_column("group.name", gettext_lazy("Group"))

    def places(self, obj):
        return f"{obj.booked} / {obj.capacity}"

    places.short_description = gettext_lazy("Booked / places")

    waiting = related_column("waiting_total", gettext_lazy("Waiting list"))

    def closed(self, obj):
        return (obj.closed_reason or _("Closed")) if obj.is_closed else ""

    closed.short_description = gettext_lazy("Closed")
