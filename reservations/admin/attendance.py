"""« Pointage »: the attendance sheets and the kitchen list in Wagtail's admin; registered
on import by reservations/wagtail_hooks.py. The views live in attendance_views.py."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import attendance_views as views


@hooks.register("register_admin_urls")
def register_attendance_urls():
    return [
        path("reservations/attendance/", views.sheet_view, name=views.SHEET_URL),
        path("reservations/attendance/walk-in/", views.walk_in_view, name=views.WALK_IN_URL),
        path("reservations/attendance/pdf/", views.sheet_pdf_view, name=views.SHEET_PDF_URL),
        path("reservations/kitchen/", views.kitchen_view, name=views.KITCHEN_URL),
        path("reservations/kitchen/pdf/", views.kitchen_pdf_view, name=views.KITCHEN_PDF_URL),
    ]


class AttendanceMenuItem(MenuItem):
    def is_shown(self, request):
        return views.user_can_take_attendance(request.user)


@hooks.register("register_admin_menu_item")
def register_attendance_menu_item():
    return AttendanceMenuItem(
        _("Roll call"),
        reverse(views.SHEET_URL),
        name="attendance",
        icon_name="tasks",
        order=216,
    )
