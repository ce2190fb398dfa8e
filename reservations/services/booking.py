"""Booking, cancelling, staff decisions and the waiting list of reservations.

Places move only through `capacity.place_take` / `place_release`, inside the transaction
that changes the reservation. Slots are touched in ascending id order so that two
transactions never wait on each other's slots in opposite orders.
"""

import datetime
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.time import local_today, paris_datetime
from portal_features.alerts.kinds import AlertKind as PortalAlertKind
from portal_features.alerts.tell import FileEvent, family_tell
from portal_features.models import FamilyEvent, Link

from .. import capacity
from ..choices import AlertKind, ReservationStatus, ValidationMode
from ..eligibility import cancellation_deadline, local_datetime
from ..errors import ReservationError
from ..models import Reservation, Slot
from ..opening import commune_holiday_check
from .history import lock_reservation, reservation_transition

logger = logging.getLogger(__name__)
S = ReservationStatus
CALENDAR_LINK = Link("reservations:calendar")


def reservation_book(*, family, child, slot: Slot, unit_price, user, now, requested_at=None):
    """Create the reservation of one child on one slot: a place if one is left, else the
    waiting list (or a refusal when the activity keeps none). Call inside a transaction."""
    activity = slot.unit.activity
    try:
        with transaction.atomic():
            if capacity.place_take(slot_id=slot.pk):
                automatic = activity.booking_validation == ValidationMode.AUTOMATIC
                status, note = (S.ACCEPTED if automatic else S.REQUESTED), ""
            elif activity.waiting_list:
                status, note = S.WAITING, ""
            else:
                status, note = S.REFUSED, _("Full.")
            reservation = Reservation(
                family=family,
                child=child,
                unit=slot.unit,
                slot=slot,
                day=slot.day,
                requested_at=requested_at or now,
                unit_price=unit_price,
                refusal_reason=note,
                decided_at=now if status in (S.ACCEPTED, S.REFUSED) else None,
            )
            reservation_transition(
                reservation=reservation,
                to_status=status,
                actor=user,
                by_staff=False,
                now=now,
                note=note,
            )
    except IntegrityError as error:
        raise ReservationError(
            _("%(child)s already has a reservation for %(unit)s on %(day)s.")
            % {"child": child.first_name, "unit": slot.unit.name, "day": f"{slot.day:%d/%m/%Y}"}
        ) from error
    return reservation


def _free_place(reservation: Reservation, *, now) -> None:
    """Give back the reservation's place, then offer it to the first waiting child."""
    capacity.place_release(slot_id=reservation.slot_id)
    waiting_list_promote(slot_id=reservation.slot_id, now=now)


def waiting_list_promote(*, slot_id: int, now) -> list[Reservation]:
    """Offer every free place of the slot to the waiting children, first asked first.

    Runs after a place was released in the same transaction: the release holds the slot's
    row lock until commit, so two transactions freeing places of one slot promote one after
    the other and each waiting child is offered a place once.
    """
    offered = []
    slot = Slot.objects.select_related("unit__activity").get(pk=slot_id)
    if slot.is_closed or slot.day <= local_today(now):
        return offered
    activity = slot.unit.activity
    day_start = paris_datetime(slot.day, slot.unit.start_time)
    while True:
        waiting = (
            Reservation.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("family", "child")
            .filter(slot_id=slot_id, status=S.WAITING)
            .order_by("requested_at", "pk")
            .first()
        )
        if waiting is None or not capacity.place_take(slot_id=slot_id):
            break
        # Real hours, whatever the zone `now` comes in.
        waiting.offer_expires_at = min(
            now.astimezone(datetime.UTC) + datetime.timedelta(hours=activity.offer_hours),
            day_start,
        )
        reservation_transition(
            reservation=waiting, to_status=S.OFFERED, actor=None, by_staff=False, now=now
        )
        family_tell(
            waiting.family,
            kind=AlertKind.PLACE_OFFERED,
            title=_("A place is free for %(child)s on %(day)s")
            % {"child": waiting.child.first_name, "day": f"{slot.day:%d/%m/%Y}"},
            body=_("%(unit)s. Accept it before %(deadline)s, or it goes to the next child.")
            % {"unit": slot.unit, "deadline": local_datetime(waiting.offer_expires_at)},
            link=CALENDAR_LINK,
            now=now,
        )
        offered.append(waiting)
    return offered


def reservation_cancel(*, family, reservation_id: int, user, now=None) -> Reservation:
    """The family cancels: a request or a waiting entry is withdrawn; a validated day before
    the deadline is cancelled (or asked to staff); after it, cancelled late (billed unless a
    waiting child takes the place)."""
    now = now or timezone.now()
    with transaction.atomic():
        reservation = _lock_familys(family, reservation_id)
        check_not_started(reservation, now=now)
        status = reservation.status
        if status in (S.REQUESTED, S.WAITING):
            reservation.decided_at = now
            reservation_transition(
                reservation=reservation, to_status=S.CANCELLED, actor=user, by_staff=False, now=now
            )
            if status == S.REQUESTED:
                _free_place(reservation, now=now)
        elif status == S.OFFERED:
            return offer_decline(family=family, reservation_id=reservation_id, user=user, now=now)
        elif status == S.ACCEPTED:
            activity = reservation.unit.activity
            deadline = cancellation_deadline(activity, reservation.day, commune_holiday_check())
            late = now > deadline
            if not late and activity.cancellation_validation == ValidationMode.STAFF:
                reservation_transition(
                    reservation=reservation,
                    to_status=S.CANCELLATION_REQUESTED,
                    actor=user,
                    by_staff=False,
                    now=now,
                )
            else:
                reservation.late_cancellation = late
                reservation.decided_at = now
                reservation_transition(
                    reservation=reservation,
                    to_status=S.CANCELLED,
                    actor=user,
                    by_staff=False,
                    now=now,
                    note=_("Late cancellation: billed unless the place is taken over.")
                    if late
                    else "",
                )
                _free_place(reservation, now=now)
        elif status == S.CANCELLATION_REQUESTED:
            raise ReservationError(_("The cancellation of this day awaits the staff's decision."))
        else:
            raise ReservationError(_("This reservation cannot be cancelled any more."))
    return reservation


def _tell_family(reservation, *, accepted: bool, title: str, reason: str, actor, now) -> None:
    """A staff decision on a reservation: recorded on the family's file and announced."""
    family_tell(
        reservation.family,
        kind=PortalAlertKind.REQUEST_ACCEPTED if accepted else PortalAlertKind.REQUEST_REFUSED,
        title=title,
        body=reason,
        link=Link("reservations:reservation_detail", reservation_id=reservation.pk),
        actor=actor,
        event=FileEvent(
            FamilyEvent.Action.ACCEPTED if accepted else FamilyEvent.Action.REFUSED,
            data={"reservation_id": reservation.pk, "reason": reason},
        ),
        now=now,
    )


def _expect(reservation, status: str, message) -> None:
    if reservation.status != status:
        raise ReservationError(message)


def _lock_familys(family, reservation_id: int) -> Reservation:
    """The family's own reservation, locked; another family's is not found."""
    reservation = lock_reservation(reservation_id)
    if reservation.family_id != family.pk:
        raise Reservation.DoesNotExist
    return reservation


def check_not_started(reservation, *, now) -> None:
    if reservation.day <= local_today(now):
        raise ReservationError(_("This day has started: declare an absence instead of cancelling."))


# What a staff decision expects: the request's status, and what to say when it is not.
BOOKING_REQUEST = (S.REQUESTED, gettext_lazy("This booking request was already decided."))
CANCELLATION_REQUEST = (
    S.CANCELLATION_REQUESTED,
    gettext_lazy("This reservation has no cancellation request."),
)


def _staff_decide(
    reservation_id: int, request, to_status: str, title, *, actor, reason=None, now
) -> Reservation:
    """A staff decision on a pending `request` (BOOKING_REQUEST…): the move, the place given
    back when the reservation ends refused or cancelled, the family told (`title` names the
    reservation). A refusal gives its `reason`, required, which the family reads."""
    now = now or timezone.now()
    accepted = reason is None
    if not accepted and not reason.strip():
        raise ReservationError(_("Please give the reason for the refusal."))
    with transaction.atomic():
        reservation = lock_reservation(reservation_id)
        _expect(reservation, *request)
        reservation.decided_at, reservation.decided_by = now, actor
        if not accepted:
            reservation.refusal_reason = reason
        reservation_transition(
            reservation=reservation,
            to_status=to_status,
            actor=actor,
            by_staff=True,
            now=now,
            note=reason or "",
        )
        if to_status in (S.REFUSED, S.CANCELLED):
            _free_place(reservation, now=now)
        _tell_family(
            reservation,
            accepted=accepted,
            title=title % {"reservation": reservation},
            reason=reason or "",
            actor=actor,
            now=now,
        )
    return reservation


def reservation_accept(*, reservation_id: int, actor, now=None) -> Reservation:
    """Staff validate a booking request (its place is already held)."""
    title = _("Booking validated: %(reservation)s")
    return _staff_decide(reservation_id, BOOKING_REQUEST, S.ACCEPTED, title, actor=actor, now=now)


def reservation_refuse(*, reservation_id: int, actor, reason: str, now=None) -> Reservation:
    """Staff refuse a booking request: its place goes to the waiting list."""
    title = _("Booking refused: %(reservation)s")
    return _staff_decide(
        reservation_id, BOOKING_REQUEST, S.REFUSED, title, actor=actor, reason=reason, now=now
    )


def cancellation_accept(*, reservation_id: int, actor, now=None) -> Reservation:
    """Staff accept a cancellation request: the day is not billed and the place frees."""
    title = _("Cancellation accepted: %(reservation)s")
    return _staff_decide(
        reservation_id, CANCELLATION_REQUEST, S.CANCELLED, title, actor=actor, now=now
    )


def cancellation_refuse(*, reservation_id: int, actor, reason: str, now=None) -> Reservation:
    """Staff refuse a cancellation request: the day stays booked."""
    title = _("Cancellation refused: %(reservation)s")
    return _staff_decide(
        reservation_id, CANCELLATION_REQUEST, S.ACCEPTED, title, actor=actor, reason=reason, now=now
    )


def offer_accept(*, family, reservation_id: int, user, now=None) -> Reservation:
    """The waiting family takes the offered place; a late cancellation it replaces is free."""
    now = now or timezone.now()
    with transaction.atomic():
        reservation = _lock_familys(family, reservation_id)
        _expect(reservation, S.OFFERED, _("No place is offered on this reservation."))
        if now > reservation.offer_expires_at:
            raise ReservationError(
                _("The offer expired on %(date)s.")
                % {"date": local_datetime(reservation.offer_expires_at)}
            )
        reservation.decided_at = now
        reservation_transition(
            reservation=reservation, to_status=S.ACCEPTED, actor=user, by_staff=False, now=now
        )
        replaced = (
            Reservation.objects.select_for_update()
            .filter(slot_id=reservation.slot_id, late_cancellation=True, replaced_by__isnull=True)
            .order_by("decided_at", "pk")
            .first()
        )
        if replaced is not None:
            replaced.replaced_by = reservation
            replaced.save(update_fields=["replaced_by"])
    return reservation


def offer_decline(*, family, reservation_id: int, user, now=None) -> Reservation:
    now = now or timezone.now()
    with transaction.atomic():
        reservation = _lock_familys(family, reservation_id)
        _expect(reservation, S.OFFERED, _("No place is offered on this reservation."))
        reservation.decided_at = now
        reservation_transition(
            reservation=reservation, to_status=S.DECLINED, actor=user, by_staff=False, now=now
        )
        _free_place(reservation, now=now)
    return reservation


def offers_expire(*, now=None) -> int:
    """Close the offers nobody accepted in time and offer their places to the next child.
    Run every few minutes (`manage.py expire_place_offers`)."""
    now = now or timezone.now()
    expired = 0
    ids = list(
        Reservation.objects.filter(status=S.OFFERED, offer_expires_at__lt=now)
        .order_by("slot_id", "pk")
        .values_list("pk", flat=True)
    )
    for reservation_id in ids:
        with transaction.atomic():
            reservation = lock_reservation(reservation_id)
            if reservation.status != S.OFFERED or reservation.offer_expires_at >= now:
                continue
            reservation_transition(
                reservation=reservation, to_status=S.EXPIRED, actor=None, by_staff=False, now=now
            )
            _free_place(reservation, now=now)
            expired += 1
    return expired
