"""« Demandes de réservation » and « Demandes d'annulation »: the queues of reservations
awaiting staff (booking validated by staff, cancellation past the deadline)."""

from django.utils.translation import gettext_lazy as _

from core.staff import calls

from ...choices import ReservationStatus
from ...services import booking
from .common import ReservationQueue, accept, moment, refuse


class BookingRequestQueue(ReservationQueue):
    pending_status = ReservationStatus.REQUESTED
    base_url_path = "reservations/queues/bookings"
    menu_label = _("Booking requests")
    menu_icon = "date"
    decisions = (
        accept(
            calls(booking.reservation_accept, "reservation_id", pk=True),
            _("Booking validated."),
            _("%(count)d booking(s) validated."),
        ),
        refuse(
            calls(booking.reservation_refuse, "reservation_id", pk=True),
            _("Booking refused; its place goes to the waiting list."),
            _("%(count)d booking(s) refused; their places go to the waiting list."),
        ),
    )


class CancellationRequestQueue(ReservationQueue):
    pending_status = ReservationStatus.CANCELLATION_REQUESTED
    base_url_path = "reservations/queues/cancellations"
    menu_label = _("Cancellation requests")
    menu_icon = "cross"
    asked_label = _("Cancellation asked at")
    decisions = (
        accept(
            calls(booking.cancellation_accept, "reservation_id", pk=True),
            _("Cancellation accepted; the day is not billed and its place is free."),
            _("%(count)d cancellation(s) accepted."),
        ),
        refuse(
            calls(booking.cancellation_refuse, "reservation_id", pk=True),
            _("Cancellation refused; the day stays booked."),
            _("%(count)d cancellation(s) refused; the days stay booked."),
        ),
    )

    def asked_column(self, item):
        return super().asked_column(item)

    asked_column.short_description = _("Cancellation asked at")
    asked_column.admin_order_field = "asked_at"

    def asked_rows(self, item):
        return [
            (_("Day booked at"), moment(item.requested_at)),
            *super().asked_rows(item),
        ]
