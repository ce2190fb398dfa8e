"""The menu « Activités et calendrier »: activities, opening days, occupancy, collective
cancellation, units, deadline rules, school years, holiday periods, closures, facilities.

Each screen has its module (activities, slots, rules, calendar; occupancy and the
collective cancellation are plain admin views); this one gathers them in one menu.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy
from wagtail.admin.menu import MenuItem

from core.staff import ModelAdminGroup, register

from .activities import ActivityAdmin
from .calendar import ClosureAdmin, FacilityAdmin, PeriodAdmin, SchoolYearAdmin
from .names import CANCELLATION_URL_NAME, OCCUPANCY_URL_NAME
from .rules import ReservationRuleAdmin
from .slots import SlotAdmin, UnitAdmin


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


register(CalendarAdminGroup)
