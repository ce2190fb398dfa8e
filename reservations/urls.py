"""The reservation screens of the family portal (namespace "reservations"), mounted by
portal_features/portal_urls.py. Each part of the journey keeps its own urls module."""

from django.urls import include, path

app_name = "reservations"

urlpatterns = [
    # Hub, enrolments ("dossier administratif") and registrations ("inscriptions").
    path("", include("reservations.portal.requests_urls")),
    # Booking wizard, basket and orders.
    path("booking/", include("reservations.portal.booking_urls")),
    # Month calendar, a reservation's detail (cancel, absence, offer, history), PDF, iCal.
    path("calendar/", include("reservations.portal.calendar_urls")),
]
