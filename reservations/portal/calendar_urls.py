"""Month calendar, a reservation's detail and actions, printable PDF and iCal settings."""

from django.urls import path

from core.routes import object_paths

from . import absence_views, days_views
from . import calendar_views as views

urlpatterns = [
    path("", views.calendar_view, name="calendar"),
    path("pdf/", views.calendar_pdf, name="calendar_pdf"),
    path("book/", days_views.days_book_view, name="days_book"),
    *object_paths(
        "reservations",
        "reservation_id",
        ("", views.reservation_detail_view, "reservation_detail"),
        ("cancel/", views.reservation_cancel_view, "reservation_cancel"),
        ("absence/", views.absence_declare_view, "absence_declare"),
        ("offer/accept/", views.offer_accept_view, "offer_accept"),
        ("offer/decline/", views.offer_decline_view, "offer_decline"),
        (
            "absence/certificate/",
            absence_views.absence_certificate_add_view,
            "absence_certificate_add",
        ),
    ),
    path(
        "absences/<id:absence_id>/certificate/",
        views.absence_certificate,
        name="absence_certificate",
    ),
    path("absences/declare/", absence_views.absences_declare_view, name="absences_declare"),
    path("feed/", views.calendar_feed_settings, name="calendar_feed_settings"),
]
