"""Billing sources are never deleted by cascade.

Deleting a family or a child reaches its reservations through Django's cascade (units and
slots protect theirs already). A reservation whose day may be billed (a day up to today
that was validated, or cancelled late with nobody taking the place) is a billing source:
invoicing reads it, and its own lines will hold it with PROTECT. `cascade_unless_billed`
is the `on_delete` of a reservation's family and child: it refuses the deletion while
Django collects what to delete, before anything is deleted, with one query; otherwise it
cascades. Deleting such a reservation, or a decided absence of such a day, directly is
refused by their `delete()`.
"""

from django.db.models import CASCADE, ProtectedError, Q
from django.utils.translation import gettext as _

from core.time import local_today

from .choices import AbsenceStatus
from .choices import ReservationStatus as S

OWED_STATUSES = (S.ACCEPTED, S.CANCELLATION_REQUESTED)


def may_be_billed_q(today) -> Q:
    """Reservations whose day is past (or today) and was owed or may be."""
    late = Q(
        status=S.CANCELLED,
        late_cancellation=True,
        replaced_by__isnull=True,
        cancelled_by_commune=False,
    )
    return Q(day__lte=today) & (Q(status__in=OWED_STATUSES) | late)


def may_be_billed(reservation, today) -> bool:
    if reservation.day > today:
        return False
    if reservation.status in OWED_STATUSES:
        return True
    return (
        reservation.status == S.CANCELLED
        and reservation.late_cancellation
        and reservation.replaced_by_id is None
        and not reservation.cancelled_by_commune
    )


def refused(reservations) -> ProtectedError:
    reservations = list(reservations)
    return ProtectedError(
        _(
            "The reservation %(reservation)s may be billed: it cannot be deleted (nor the "
            "family, child or unit it belongs to)."
        )
        % {"reservation": reservations[0]},
        set(reservations),
    )


def cascade_unless_billed(collector, field, sub_objs, using):
    """on_delete: CASCADE, unless one of the reservations reached may be billed."""
    billed = list(sub_objs.filter(may_be_billed_q(local_today()))[:10])
    if billed:
        raise refused(billed)
    CASCADE(collector, field, sub_objs, using)


def check_reservation_deletion(reservation) -> None:
    if may_be_billed(reservation, local_today()):
        raise refused([reservation])


def check_absence_deletion(absence) -> None:
    if absence.status == AbsenceStatus.DECLARED:
        return
    reservation = absence.reservation
    if reservation.day <= local_today():
        raise ProtectedError(
            _("The absence on %(reservation)s decides its billing: it cannot be deleted.")
            % {"reservation": reservation},
            {absence},
        )
