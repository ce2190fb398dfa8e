"""Attendance ("pointage"): staff mark who came, and record children who came unbooked."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.choices import RequestStatus

from .. import capacity
from ..choices import Attendance, ReservationStatus
from ..errors import ReservationError
from ..models import Registration, Reservation, Slot
from .history import reservation_transition


def attendance_mark(*, reservation_ids, attendance: str, actor, now=None) -> int:
    """Mark validated reservations present or absent (or clear the mark)."""
    if attendance not in Attendance.values:
        raise ReservationError(_("Unknown attendance mark."))
    return Reservation.objects.filter(
        pk__in=reservation_ids, status=ReservationStatus.ACCEPTED
    ).update(attendance=attendance)


def attendance_walk_in(*, child_id: int, slot_id: int, actor, now=None) -> Reservation:
    """A child registered to the activity came without a booking: record the day as booked
    and present, if the slot has a place left (else raise its capacity first)."""
    now = now or timezone.now()
    with transaction.atomic():
        slot = Slot.objects.select_related("unit__activity").get(pk=slot_id)
        registration = (
            Registration.objects.select_related("family", "child")
            .filter(
                child_id=child_id,
                activity=slot.unit.activity,
                group=slot.group,
                status=RequestStatus.ACCEPTED,
            )
            .first()
        )
        if registration is None:
            raise ReservationError(_("This child is not registered to this activity and group."))
        if not capacity.place_take(slot_id=slot.pk):
            raise ReservationError(_("No place left on this day: raise the day's capacity first."))
        reservation = Reservation(
            family=registration.family,
            child=registration.child,
            unit=slot.unit,
            slot=slot,
            day=slot.day,
            requested_at=now,
            unit_price=slot.unit.price,
            decided_at=now,
            decided_by=actor,
            attendance=Attendance.PRESENT,
            walk_in=True,
        )
        try:
            with transaction.atomic():
                reservation_transition(
                    reservation=reservation,
                    to_status=ReservationStatus.ACCEPTED,
                    actor=actor,
                    by_staff=True,
                    now=now,
                    note=_("Came without booking."),
                )
        except IntegrityError as error:
            raise ReservationError(_("This child already has a reservation that day.")) from error
    return reservation
