"""Staff queues « Demandes (réservations) »: administrative files, registrations, booking
and cancellation requests, declared absences to excuse or bill, days marked absent to
decide, and any validated day to record an absence on.

Each queue is declared with the staff-screen kit (core.staff.Queue): what it lists, its
filters (activity, school year, dates), its decisions and the service each one calls. The
kit gives the list, the item, one screen per decision and the bulk screen; every button
calls the item's service, which checks the state, records who decided and tells the family.
"""

from django.utils.translation import gettext_lazy as _

from core.staff import ModelAdminGroup, register

from .absences import AbsenceQueue, AbsentMarkQueue, BookedDayQueue
from .bookings import BookingRequestQueue, CancellationRequestQueue
from .common import queue_url
from .requests import EnrolmentQueue, RegistrationQueue


class ReservationRequestsGroup(ModelAdminGroup):
    menu_label = _("Requests (reservations)")
    menu_icon = "tasks"
    menu_order = 215
    items = (
        EnrolmentQueue,
        RegistrationQueue,
        BookingRequestQueue,
        CancellationRequestQueue,
        AbsenceQueue,
        AbsentMarkQueue,
        BookedDayQueue,
    )


register(ReservationRequestsGroup)

__all__ = [
    "AbsenceQueue",
    "AbsentMarkQueue",
    "BookedDayQueue",
    "BookingRequestQueue",
    "CancellationRequestQueue",
    "EnrolmentQueue",
    "RegistrationQueue",
    "queue_url",
]
