"""The one place a reservation changes status: checks the transition table, records it."""

from django.utils.translation import gettext_lazy as _

from core.actors import user_or_none
from core.states import Moves

from ..choices import TRANSITIONS
from ..errors import ReservationError
from ..models import Reservation, ReservationEvent

MESSAGE = _("This reservation is “%(status)s”: it cannot become “%(target)s”.")
MOVES = Moves(TRANSITIONS, ReservationError, MESSAGE)

# What services set next to the status; saved with it, nothing else.
SAVED_ON_TRANSITION = [
    "status",
    "decided_at",
    "decided_by",
    "refusal_reason",
    "offer_expires_at",
    "late_cancellation",
    "cancelled_by_commune",
]


def reservation_transition(
    *, reservation: Reservation, to_status: str, actor, by_staff: bool, now, note: str = ""
) -> ReservationEvent:
    """Move a (locked) reservation to `to_status`, or refuse. The caller sets the other
    fields of SAVED_ON_TRANSITION (decision, offer, lateness) beforehand."""

    def record(reservation, from_status, to_status):
        return ReservationEvent.objects.create(
            reservation=reservation,
            at=now,
            actor=user_or_none(actor),
            by_staff=by_staff,
            from_status=from_status or "",
            to_status=to_status,
            note=note[:255],
        )

    return MOVES.move(reservation, to_status, also=SAVED_ON_TRANSITION, history=record)


def lock_reservation(reservation_id: int) -> Reservation:
    return (
        Reservation.objects.select_for_update(of=("self",))
        .select_related("unit__activity__rule", "slot", "child", "family")
        .get(pk=reservation_id)
    )
