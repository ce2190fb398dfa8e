"""« Réserver ces jours »: the days a family ticks on its calendar, booked in one request.

The same rules as the basket (the child is the family's, registered and validated to the
activity, the day open, within the booking window and deadline, not already booked, no
excluded unit that day), evaluated on rows read once per table for all the days and
children. The places are then taken in one transaction: the slots locked in id order
(`SELECT … ORDER BY id FOR UPDATE`), one `UPDATE … SET booked = booked + n WHERE id IN (…)
AND booked < capacity` (the CHECK constraint as the last guard), the reservations, their
history and the order written by bulk inserts, the order numbered and the family told once.
The number of statements does not grow with the number of days or children.
"""

import datetime
import functools
import logging
import operator
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from core.actors import user_or_none
from core.choices import RequestStatus
from portal_features.alerts.tell import family_tell
from portal_features.models import Child, Link

from ..choices import ACTIVE, AlertKind, BasketAction, ReservationStatus, ValidationMode
from ..eligibility import BookingWindow
from ..errors import ReservationError
from ..models import (
    BasketItem,
    Order,
    OrderLine,
    Registration,
    Reservation,
    ReservationEvent,
    Slot,
    Unit,
)
from ..opening import commune_holiday_check
from ..pricing import booking_prices, total
from .basket import order_number_next, order_summary_text
from .history import MOVES

logger = logging.getLogger(__name__)
S = ReservationStatus


@dataclass
class Pick:
    """One ticked day: a child, a unit, a day, and the slot it books once checked."""

    child: Child
    unit: Unit
    day: datetime.date
    slot: Slot | None = None
    # The same day waits in the family's basket (it leaves the basket once booked).
    in_basket: bool = False

    def label(self) -> str:
        return f"{self.child.first_name} – {self.unit.name} – {self.day:%d/%m/%Y}"


def _day(day) -> str:
    return f"{day:%d/%m/%Y}"


def _read_picks(family, picks) -> list[Pick]:
    """The ticked (child id, unit id, day), with the family's children and the units read
    once; another family's child or an unknown unit is not found."""
    wanted = sorted(set(picks))
    if not wanted:
        raise ReservationError(_("Tick at least one day to book."))
    child_ids = {child_id for child_id, _unit, _day in wanted}
    unit_ids = {unit_id for _child, unit_id, _day in wanted}
    children = Child.objects.for_family(family).in_bulk(child_ids)
    units = Unit.objects.select_related("activity__rule").in_bulk(unit_ids)
    if len(children) != len(child_ids):
        raise Child.DoesNotExist
    if len(units) != len(unit_ids):
        raise Unit.DoesNotExist
    return [Pick(children[child_id], units[unit_id], day) for child_id, unit_id, day in wanted]


def days_blockers(*, family, picks: list[Pick], now, is_holiday) -> dict[int, str]:
    """{index of the pick: why it cannot be booked}; sets each bookable pick's slot.
    One read of registrations, slots, exclusions, reservations and basket for all picks."""
    child_ids = {pick.child.pk for pick in picks}
    units = {pick.unit.pk: pick.unit for pick in picks}
    days = {pick.day for pick in picks}
    groups = {
        (child_id, activity_id): group_id
        for child_id, activity_id, group_id in Registration.objects.filter(
            family=family,
            child_id__in=child_ids,
            activity_id__in={unit.activity_id for unit in units.values()},
            status=RequestStatus.ACCEPTED,
        ).values_list("child_id", "activity_id", "group_id")
    }
    slots = {
        (slot.unit_id, slot.group_id, slot.day): slot
        for slot in Slot.objects.filter(
            unit_id__in=units, group_id__in=set(groups.values()), day__in=days
        )
    }
    excluded = defaultdict(set)
    for from_id, to_id in Unit.excludes.through.objects.filter(from_unit_id__in=units).values_list(
        "from_unit_id", "to_unit_id"
    ):
        excluded[from_id].add(to_id)
    taken = set(
        Reservation.objects.filter(
            child_id__in=child_ids, day__in=days, status__in=ACTIVE
        ).values_list("child_id", "day", "unit_id")
    )
    # What else the child would have that day: its bookings, its basket, the other picks.
    elsewhere = defaultdict(set)
    for child_id, day, unit_id in taken:
        elsewhere[(child_id, day)].add(unit_id)
    in_basket = set(
        BasketItem.objects.filter(
            family=family, child_id__in=child_ids, day__in=days, action=BasketAction.BOOK
        ).values_list("child_id", "day", "unit_id")
    )
    for child_id, day, unit_id in in_basket:
        elsewhere[(child_id, day)].add(unit_id)
    for pick in picks:
        elsewhere[(pick.child.pk, pick.day)].add(pick.unit.pk)
        pick.in_basket = (pick.child.pk, pick.day, pick.unit.pk) in in_basket
    windows = {}
    blockers = {}
    for index, pick in enumerate(picks):
        child, unit, day = pick.child, pick.unit, pick.day
        group_id = groups.get((child.pk, unit.activity_id))
        slot = slots.get((unit.pk, group_id, day))
        if group_id is None:
            blockers[index] = _("%(child)s is not registered to %(activity)s.") % {
                "child": child.first_name,
                "activity": unit.activity,
            }
        elif slot is None or slot.is_closed:
            blockers[index] = _("Closed on %(day)s.") % {"day": _day(day)}
        elif (child.pk, day, unit.pk) in taken:
            blockers[index] = _("Already booked on %(day)s.") % {"day": _day(day)}
        elif excluded[unit.pk] & elsewhere[(child.pk, day)]:
            blockers[index] = _("Another unit booked that day excludes %(unit)s.") % {
                "unit": unit.name
            }
        else:
            window = windows.get(unit.activity_id)
            if window is None:
                window = windows[unit.activity_id] = BookingWindow(unit.activity, now, is_holiday)
            reason = window.reason(day)
            if reason:
                blockers[index] = reason
            else:
                pick.slot = slot
    return blockers


def _take_places(picks: list[Pick]) -> list[bool]:
    """Lock the picks' slots in id order and take what places are left, in one UPDATE:
    whether each pick got a place. Inside the booking transaction."""
    slot_ids = sorted({pick.slot.pk for pick in picks})
    free = {
        pk: (0 if is_closed else max(capacity - booked, 0))
        for pk, booked, capacity, is_closed in Slot.objects.select_for_update()
        .filter(pk__in=slot_ids)
        .order_by("pk")
        .values_list("pk", "booked", "capacity", "is_closed")
    }
    wanted = Counter()
    got = []
    for pick in picks:
        placed = wanted[pick.slot.pk] < free.get(pick.slot.pk, 0)
        wanted[pick.slot.pk] += placed
        got.append(placed)
    wanted = {pk: count for pk, count in wanted.items() if count}
    if wanted:
        updated = Slot.objects.filter(pk__in=wanted, booked__lt=F("capacity")).update(
            booked=F("booked")
            + Case(*(When(pk=pk, then=Value(count)) for pk, count in wanted.items()))
        )
        if updated != len(wanted):  # the rows are locked: only a bug gets here
            raise RuntimeError("Places moved on locked slots.")
    return got


def _outcome(activity, placed: bool) -> tuple[str, str]:
    if placed:
        automatic = activity.booking_validation == ValidationMode.AUTOMATIC
        return (S.ACCEPTED if automatic else S.REQUESTED), ""
    if activity.waiting_list:
        return S.WAITING, ""
    return S.REFUSED, _("Full.")


def days_book(*, family, user, picks, now=None) -> Order:
    """Book the ticked `picks` ((child id, unit id, day) …) as one numbered order. Every
    day is checked here; if one cannot be booked nothing is saved and the reasons are
    listed. Each day is then validated, awaits staff, waits for a place or is refused
    (full, no waiting list), as the activity says; the order tells which."""
    now = now or timezone.now()
    picks = _read_picks(family, picks)
    blockers = days_blockers(
        family=family, picks=picks, now=now, is_holiday=commune_holiday_check()
    )
    if blockers:
        raise ReservationError(
            _("Some days cannot be booked."),
            reasons=[f"{picks[index].label()} : {reason}" for index, reason in blockers.items()],
        )
    # Ascending slot ids: the order places are given in, as the basket does.
    picks.sort(key=lambda pick: (pick.slot.pk, pick.child.pk))
    prices = booking_prices(
        family=family, lines=[(pick.child.pk, pick.unit, pick.day) for pick in picks]
    )
    actor = user_or_none(user)
    try:
        with transaction.atomic():
            placed = _take_places(picks)
            reservations = []
            for pick, got, price in zip(picks, placed, prices, strict=True):
                status, note = _outcome(pick.unit.activity, got)
                reservation = Reservation(
                    family=family,
                    child=pick.child,
                    unit=pick.unit,
                    slot=pick.slot,
                    day=pick.day,
                    requested_at=now,
                    unit_price=total(price),
                    refusal_reason=note,
                    decided_at=now if status in (S.ACCEPTED, S.REFUSED) else None,
                )
                MOVES.check(reservation, status)
                reservation.status = status
                reservations.append(reservation)
            Reservation.objects.bulk_create(reservations)
            ReservationEvent.objects.bulk_create(
                ReservationEvent(
                    reservation=reservation,
                    at=now,
                    actor=actor,
                    by_staff=False,
                    from_status="",
                    to_status=reservation.status,
                    note=reservation.refusal_reason[:255],
                )
                for reservation in reservations
            )
            order = Order.objects.create(
                number=order_number_next(now=now),
                family=family,
                submitted_at=now,
                submitted_by=actor,
                total=sum(
                    (r.unit_price for r in reservations if r.status in (S.ACCEPTED, S.REQUESTED)),
                    start=Decimal("0.00"),
                ),
            )
            lines = OrderLine.objects.bulk_create(
                OrderLine(
                    order=order,
                    reservation=reservation,
                    action=BasketAction.BOOK,
                    unit_price=reservation.unit_price,
                    outcome=reservation.status,
                )
                for reservation in reservations
            )
            # The same days waiting in the basket are booked now.
            if any(pick.in_basket for pick in picks):
                BasketItem.objects.filter(family=family, action=BasketAction.BOOK).filter(
                    functools.reduce(
                        operator.or_,
                        (Q(child=p.child, unit=p.unit, day=p.day) for p in picks if p.in_basket),
                    )
                ).delete()
            family_tell(
                family,
                kind=AlertKind.ORDER_RECEIVED,
                title=_("Order no. %(number)s received") % {"number": order.number},
                body=order_summary_text(lines),
                link=Link("reservations:order_detail", order_id=order.pk),
                # The view queues the receipt.
                email=False,
                now=now,
            )
    except IntegrityError as error:
        # Another request booked one of these days in the meantime (unique per day).
        raise ReservationError(
            _("Some days cannot be booked."),
            reasons=[_("One of these days was booked meanwhile: please reload the calendar.")],
        ) from error
    logger.info("Order %s booked by family %s (%s days)", order.pk, family.pk, len(lines))
    return order
