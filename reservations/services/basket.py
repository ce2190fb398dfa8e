"""The basket ("panier"): bookings and cancellations a family assembles, then submits at
once. Submitting checks every line again on the server and returns a numbered order."""

import datetime
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.actors import user_or_none
from core.choices import RequestStatus
from portal_features.models import Child

from ..choices import BasketAction
from ..errors import ReservationError
from ..models import Absence, BasketItem, Order, OrderLine, Reservation, Slot, Unit
from ..opening import commune_holiday_check
from . import batch
from .batch import Pick, line_label
from .booking import check_not_started, reservation_cancel

logger = logging.getLogger(__name__)


def basket_add_picks(*, family, picks, now=None, children=None, units=None):
    """Put the bookable (child id, unit id, day) `picks` in the basket, in one write:
    every rule checked on rows read once for all of them, each pick meeting the ones added
    before it. Returns (the picks, {index of a pick: why it was not added}); `children`
    and `units` by id when the caller read them already."""
    now = now or timezone.now()
    picks = batch.picks_read(family, picks, children=children, units=units)
    if not picks:
        return picks, {}
    blockers = batch.picks_blockers(
        family=family, picks=picks, now=now, is_holiday=commune_holiday_check(), together=False
    )
    added = [pick for index, pick in enumerate(picks) if index not in blockers]
    if added:
        BasketItem.objects.bulk_create(
            [
                BasketItem(
                    family=family,
                    child=pick.child,
                    unit=pick.unit,
                    day=pick.day,
                    action=BasketAction.BOOK,
                    added_at=now,
                )
                for pick in added
            ],
            update_conflicts=True,
            unique_fields=["family", "child", "unit", "day"],
            update_fields=["action", "added_at"],
        )
    return picks, blockers


def basket_add_bookings(*, family, child_id: int, unit_id: int, days, user, now=None):
    """Put the bookable days of one child on one unit in the basket; returns (added days,
    {day: why not})."""
    days = sorted(set(days))
    if not days:
        Child.objects.for_family(family).get(pk=child_id)
        Unit.objects.get(pk=unit_id)
        return [], {}
    picks, blockers = basket_add_picks(
        family=family, picks=[(child_id, unit_id, day) for day in days], now=now
    )
    added = [pick.day for index, pick in enumerate(picks) if index not in blockers]
    return added, {picks[index].day: reason for index, reason in blockers.items()}


def basket_add_cancellation(*, family, reservation_id: int, user, now=None) -> BasketItem:
    now = now or timezone.now()
    reservation = Reservation.objects.for_family(family).active().get(pk=reservation_id)
    check_not_started(reservation, now=now)
    if Absence.objects.filter(reservation=reservation).exists():
        # The absence decides the day (excused or billed): cancelling it would undo that.
        raise ReservationError(_("An absence is declared on this day: it cannot be cancelled."))
    item, _created = BasketItem.objects.update_or_create(
        family=family,
        child_id=reservation.child_id,
        unit_id=reservation.unit_id,
        day=reservation.day,
        defaults={"action": BasketAction.CANCEL, "added_at": now},
    )
    return item


def basket_remove(*, family, item_id: int) -> None:
    BasketItem.objects.for_family(family).get(pk=item_id).delete()


def basket_clear(*, family) -> int:
    return BasketItem.objects.for_family(family).delete()[0]


def basket_submit(*, family, user, now=None, submission_key=None) -> Order:
    """Turn the basket into one numbered order. Every line is checked again here, on rows
    read once for all of them; if one can no longer be asked (deadline passed, day
    closed…) nothing is saved and the reasons are listed. Places are then taken in the
    database at once (`batch.picks_book`): each booking is validated, awaits staff, or
    joins the waiting list; the order says which. Cancellations go line by line, each
    place freed offered to the waiting list.

    With a `submission_key` (one per rendering of the basket's form), submitting the same
    form again returns the order it made, marked `already_submitted`: the second request
    waits on the basket's lock, then finds the order instead of an empty basket."""
    now = now or timezone.now()
    is_holiday = commune_holiday_check()
    actor = user_or_none(user)
    try:
        with transaction.atomic():
            items = list(
                BasketItem.objects.select_for_update(of=("self",))
                .filter(family=family)
                .select_related("child", "unit__activity__rule")
                .order_by("pk")
            )
            if submission_key is not None:
                done = (
                    Order.objects.for_family(family).filter(submission_key=submission_key).first()
                )
                if done is not None:
                    done.already_submitted = True
                    return done
            if not items:
                raise ReservationError(_("Your basket is empty."))
            order = _submit(
                family,
                items,
                actor=actor,
                now=now,
                is_holiday=is_holiday,
                submission_key=submission_key,
            )
    except IntegrityError as error:
        # Another request booked one of these days in the meantime (unique per day).
        raise ReservationError(
            _("Some lines of your basket can no longer be submitted."),
            reasons=[_("One of these days was booked meanwhile: please reload the calendar.")],
        ) from error
    logger.info("Order %s submitted by family %s", order.pk, family.pk)
    return order


def _submit(family, items, *, actor, now, is_holiday, submission_key) -> Order:
    bookings = [item for item in items if item.action == BasketAction.BOOK]
    cancellations = [item for item in items if item.action == BasketAction.CANCEL]
    picks = [Pick(item.child, item.unit, item.day, rank=item.pk) for item in bookings]
    blockers = {}
    if picks:
        blockers = batch.picks_blockers(
            family=family,
            picks=picks,
            now=now,
            is_holiday=is_holiday,
            basket={(item.child_id, item.day, item.unit_id) for item in bookings},
        )
    problems = [f"{picks[index].label()} : {reason}" for index, reason in blockers.items()]
    to_cancel = _reservations_to_cancel(family, cancellations)
    for item in cancellations:
        if item.pk not in to_cancel:
            problems.append(
                f"{line_label(item.child, item.unit, item.day)} : "
                + _("there is no reservation to cancel.")
            )
    if problems:
        raise ReservationError(
            _("Some lines of your basket can no longer be submitted."), reasons=problems
        )
    lines = []
    if picks:
        # What the basket showed: the tariffs of the day, siblings of the order counted.
        batch.picks_price(family=family, picks=picks)
        lines = batch.picks_book(family=family, picks=picks, actor=actor, now=now)
    for item in sorted(cancellations, key=lambda item: to_cancel[item.pk].slot_id):
        reservation = reservation_cancel(
            family=family, reservation_id=to_cancel[item.pk].pk, user=actor, now=now
        )
        lines.append(
            OrderLine(
                reservation=reservation,
                action=BasketAction.CANCEL,
                unit_price=reservation.unit_price,
                outcome=reservation.status,
            )
        )
    order = batch.order_place(
        family=family, lines=lines, actor=actor, now=now, submission_key=submission_key
    )
    BasketItem.objects.filter(pk__in=[item.pk for item in items]).delete()
    return order


def _reservations_to_cancel(family, cancellations) -> dict:
    """{basket line id: the active reservation it cancels}, read at once."""
    if not cancellations:
        return {}
    active = {
        (reservation.child_id, reservation.unit_id, reservation.day): reservation
        for reservation in Reservation.objects.for_family(family)
        .active()
        .filter(
            child_id__in={item.child_id for item in cancellations},
            unit_id__in={item.unit_id for item in cancellations},
            day__in={item.day for item in cancellations},
        )
    }
    return {
        item.pk: active[key]
        for item in cancellations
        if (key := (item.child_id, item.unit_id, item.day)) in active
    }


def basket_add_periodic(
    *,
    family,
    child_ids,
    unit_ids,
    start: datetime.date,
    end: datetime.date,
    weekdays,
    parity: str,
    user,
    now=None,
):
    """Periodic booking: every chosen weekday between two dates (every, odd or even week),
    for several children and units at once, added in one write. Days the activity does not
    open (holidays, closures) are skipped silently; other refusals are returned as
    {label: reason}."""
    from ..periodic import periodic_days

    now = now or timezone.now()
    days = periodic_days(start=start, end=end, weekdays=set(weekdays), parity=parity)
    children = Child.objects.for_family(family).in_bulk(set(child_ids))
    if len(children) != len(set(child_ids)):
        raise Child.DoesNotExist
    units = Unit.objects.select_related("activity__rule").in_bulk(set(unit_ids))
    if len(units) != len(set(unit_ids)):
        raise Unit.DoesNotExist
    # The open days of each child's group, for every unit, in one read.
    open_days = set(
        Slot.objects.filter(
            unit_id__in=units,
            day__in=days,
            is_closed=False,
            group__registrations__family=family,
            group__registrations__child_id__in=children,
            group__registrations__status=RequestStatus.ACCEPTED,
        ).values_list("group__registrations__child_id", "unit_id", "day")
    )
    picks = [
        Pick(children[child_id], units[unit_id], day)
        for child_id in child_ids
        for unit_id in unit_ids
        for day in days
        if (child_id, unit_id, day) in open_days
    ]
    refused = {}
    if picks:
        _picks, blockers = basket_add_picks(
            family=family,
            picks=[(pick.child.pk, pick.unit.pk, pick.day) for pick in picks],
            now=now,
            children=children,
            units=units,
        )
        for index, reason in blockers.items():
            refused[picks[index].label()] = reason
    added = len(picks) - len(refused)
    if days:
        opening = {(child_id, unit_id) for child_id, unit_id, _day in open_days}
        for child_id in child_ids:
            for unit_id in unit_ids:
                if (child_id, unit_id) not in opening:
                    refused[f"{children[child_id].first_name} – {units[unit_id].name}"] = _(
                        "No open day in this period (or not registered)."
                    )
    return added, refused
