"""Billing sources are never deleted by cascade.

Deleting a family, a child, an activity's unit or slot, or a reservation itself reaches
the reservations through Django's cascade. A reservation whose day may be billed (a day
up to today that was validated, or cancelled late with nobody taking the place) is a
billing source: invoicing reads it, and its own invoice lines will hold it with PROTECT.
Until then, and for what invoicing has not read yet, these receivers refuse the deletion,
whatever starts it; the whole deletion is then rolled back (Django sends pre_delete
inside the deletion's transaction, before deleting anything). The same holds for a
decided absence on such a day: without it the day would be billed differently.
"""

from django.db.models import ProtectedError
from django.db.models.signals import pre_delete
from django.utils.translation import gettext as _

from core.time import local_today

from .choices import AbsenceStatus
from .choices import ReservationStatus as S


def may_be_billed(reservation, today) -> bool:
    """The day is past or today, and was owed or may be (present, unmarked, absent,
    cancelled late with nobody taking the place)."""
    if reservation.day > today:
        return False
    if reservation.status in (S.ACCEPTED, S.CANCELLATION_REQUESTED):
        return True
    return (
        reservation.status == S.CANCELLED
        and reservation.late_cancellation
        and reservation.replaced_by_id is None
        and not reservation.cancelled_by_commune
    )


def protect_reservation(sender, instance, **kwargs):
    if may_be_billed(instance, local_today()):
        raise ProtectedError(
            _(
                "The reservation %(reservation)s may be billed: it cannot be deleted (nor the "
                "family, child or unit it belongs to)."
            )
            % {"reservation": instance},
            {instance},
        )


def protect_absence(sender, instance, **kwargs):
    if instance.status == AbsenceStatus.DECLARED:
        return
    reservation = instance.reservation
    if reservation.day <= local_today():
        raise ProtectedError(
            _("The absence on %(reservation)s decides its billing: it cannot be deleted.")
            % {"reservation": reservation},
            {instance},
        )


def connect() -> None:
    from .models import Absence, Reservation

    pre_delete.connect(protect_reservation, sender=Reservation, dispatch_uid="protect_reservation")
    pre_delete.connect(protect_absence, sender=Absence, dispatch_uid="protect_absence")
