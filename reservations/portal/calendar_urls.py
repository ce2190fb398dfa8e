"""Month calendar, a reservation's detail and actions, printable PDF and iCal settings."""

from django.urls import path

from .stub import not_built

urlpatterns = [
    path("", not_built, name="calendar"),
    path("pdf/", not_built, name="calendar_pdf"),
    path("reservations/<int:reservation_id>/", not_built, name="reservation_detail"),
    path("reservations/<int:reservation_id>/cancel/", not_built, name="reservation_cancel"),
    path("reservations/<int:reservation_id>/absence/", not_built, name="absence_declare"),
    path("reservations/<int:reservation_id>/offer/accept/", not_built, name="offer_accept"),
    path("reservations/<int:reservation_id>/offer/decline/", not_built, name="offer_decline"),
    path("absences/<int:absence_id>/certificate/", not_built, name="absence_certificate"),
    path("feed/", not_built, name="calendar_feed_settings"),
]
