"""Month calendar, a reservation's detail and actions, printable PDF and iCal settings."""

from django.urls import path

from . import absence_views
from . import calendar_views as views

urlpatterns = [
    path("", views.calendar_view, name="calendar"),
    path("pdf/", views.calendar_pdf, name="calendar_pdf"),
    path(
        "reservations/<id:reservation_id>/",
        views.reservation_detail_view,
        name="reservation_detail",
    ),
    path(
        "reservations/<id:reservation_id>/cancel/",
        views.reservation_cancel_view,
        name="reservation_cancel",
    ),
    path(
        "reservations/<id:reservation_id>/absence/",
        views.absence_declare_view,
        name="absence_declare",
    ),
    path(
        "reservations/<id:reservation_id>/offer/accept/",
        views.offer_accept_view,
        name="offer_accept",
    ),
    path(
        "reservations/<id:reservation_id>/offer/decline/",
        views.offer_decline_view,
        name="offer_decline",
    ),
    path(
        "absences/<id:absence_id>/certificate/",
        views.absence_certificate,
        name="absence_certificate",
    ),
    path("absences/declare/", absence_views.absences_declare_view, name="absences_declare"),
    path(
        "reservations/<id:reservation_id>/absence/certificate/",
        absence_views.absence_certificate_add_view,
        name="absence_certificate_add",
    ),
    path("feed/", views.calendar_feed_settings, name="calendar_feed_settings"),
]
