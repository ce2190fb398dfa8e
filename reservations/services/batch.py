"""Booking many days at once: the core « Réserver ces jours » (`days.py`), the basket and
the planning (`basket.py`) share.

The rules of a booking (the child is the family's, registered and validated to the
activity, the day open, within the booking window and deadline, not already booked, no
excluded unit that day) are evaluated on rows read once per table for all the days,
children and units. The places are then taken inside the caller's transaction: the slots
locked in id order (`SELECT … ORDER BY id FOR UPDATE`), one
`UPDATE … SET booked = booked + n WHERE id IN (…) AND booked < capacity` (the CHECK
constraint as the last guard), the reservations, their history and the order written by
bulk inserts, the order numbered and the family told once. The number of statements does
not grow with the number of days, children or units.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, F, Value, When
from django.utils.translation import gettext as _

from core.choices import RequestStatus
from core.counters import counter_next
from core.time import local_today
from portal_features.alerts.tell import family_tell
from portal_features.models import Child, Link

from ..choices import ACTIVE, AlertKind, BasketAction, ReservationStatus, ValidationMode
from ..eligibility import BookingWindow
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
from ..pricing import booking_prices, total
from .history import MOVES

S = ReservationStatus
ORDER_SCOPE = "order"


def line_label(child, unit, day) -> str:
    return f"{child.first_name} – {unit.name} – {day:%d/%m/%Y}"


@dataclass
class Pick:
    """One day asked for: a child, a unit, a day, and the slot it books once checked."""

    child: Child
    unit: Unit
    day: datetime.date
    # Who gets a place first among the picks of one slot (the basket line's id, else 0:
    # the child's id decides).
    rank: int = 0
    slot: Slot | None = None
    # The same day waits in the family's basket.
    in_basket: bool = False
    price: Decimal = Decimal("0.00")

    def label(self) -> str:
        return line_label(self.child, self.unit, self.day)


def picks_read(family, picks, *, children=None, units=None) -> list[Pick]:
    """The (child id, unit id, day) asked for, in the order given, without repeats; the
    family's children and the units (with their activity and rule) read once, unless the
    caller read them (`children`, `units` by id). Another family's child or an unknown
    unit is not found."""
    wanted = list(dict.fromkeys(picks))
    child_ids = {child_id for child_id, _unit, _day in wanted}
    unit_ids = {unit_id for _child, unit_id, _day in wanted}
    if not wanted:
        return []
    if children is None or not child_ids <= set(children):
        children = Child.objects.for_family(family).in_bulk(child_ids)
    if units is None or not unit_ids <= set(units):
        units = Unit.objects.select_related("activity__rule").in_bulk(unit_ids)
    if not child_ids <= set(children):
        raise Child.DoesNotExist
    if not unit_ids <= set(units):
        raise Unit.DoesNotExist
    return [Pick(children[child_id], units[unit_id], day) for child_id, unit_id, day in wanted]


def _day(day) -> str:
    return f"{day:%d/%m/%Y}"


def picks_blockers(
    *, family, picks: list[Pick], now, is_holiday, together=True, basket=None
) -> dict[int, str]:
    """{index of the pick: why it cannot be booked}; sets each bookable pick's slot.
    One read of registrations, slots, exclusions, reservations and basket for all picks.

    `together`: the picks are booked at once, so two units that exclude each other ticked
    the same day are both refused; otherwise (adding to the basket) each pick meets only
    the ones accepted before it. `basket`: the family's basket lines to book, as
    (child id, day, unit id), when the caller read them already."""
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
    if basket is None:
        basket = set(
            BasketItem.objects.filter(
                family=family, child_id__in=child_ids, day__in=days, action=BasketAction.BOOK
            ).values_list("child_id", "day", "unit_id")
        )
    for child_id, day, unit_id in basket:
        elsewhere[(child_id, day)].add(unit_id)
    for pick in picks:
        pick.in_basket = (pick.child.pk, pick.day, pick.unit.pk) in basket
        if together:
            elsewhere[(pick.child.pk, pick.day)].add(pick.unit.pk)
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
                elsewhere[(child.pk, day)].add(unit.pk)
    return blockers


def picks_price(*, family, picks: list[Pick]) -> None:
    """Each pick's price: the tariffs of the day, the other picks counted as siblings."""
    prices = booking_prices(
        family=family, lines=[(pick.child.pk, pick.unit, pick.day) for pick in picks]
    )
    for pick, price in zip(picks, prices, strict=True):
        pick.price = total(price)


def take_places(picks: list[Pick]) -> list[bool]:
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


def picks_book(*, family, picks: list[Pick], actor, now) -> list[OrderLine]:
    """Book the checked and priced `picks` (inside a transaction): places taken in
    ascending slot ids, then each day validated, awaiting staff, waiting or refused (full,
    no waiting list) as its activity says; the reservations and their history written at
    once. Returns the order's lines, not saved yet."""
    picks = sorted(picks, key=lambda pick: (pick.slot.pk, pick.rank, pick.child.pk))
    placed = take_places(picks)
    reservations = []
    for pick, got in zip(picks, placed, strict=True):
        status, note = _outcome(pick.unit.activity, got)
        reservation = Reservation(
            family=family,
            child=pick.child,
            unit=pick.unit,
            slot=pick.slot,
            day=pick.day,
            requested_at=now,
            unit_price=pick.price,
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
    return [
        OrderLine(
            reservation=reservation,
            action=BasketAction.BOOK,
            unit_price=reservation.unit_price,
            outcome=reservation.status,
        )
        for reservation in reservations
    ]


def order_place(*, family, lines: list[OrderLine], actor, now, submission_key=None) -> Order:
    """The numbered order of `lines` (inside the booking transaction), its lines written at
    once and the family told. Numbered last, once the places are taken: the series' row
    stays locked until commit, so concurrent orders queue on it only for the few writes
    left. The caller queues the receipt e-mail."""
    order = Order.objects.create(
        number=order_number_next(now=now),
        family=family,
        submitted_at=now,
        submitted_by=actor,
        total=sum(
            (
                line.unit_price
                for line in lines
                if line.action == BasketAction.BOOK and line.outcome in (S.ACCEPTED, S.REQUESTED)
            ),
            start=Decimal("0.00"),
        ),
        submission_key=submission_key,
    )
    for line in lines:
        line.order = order
    OrderLine.objects.bulk_create(lines)
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
    return order


def order_number_next(*, now) -> str:
    """The next order number of the year in Paris, e.g. "2026-00042" (inside the submitting
    transaction: a rolled-back order gives its number back)."""
    year = local_today(now).year
    return f"{year}-{counter_next(scope=ORDER_SCOPE, year=year):05d}"


def order_summary_text(lines) -> str:
    """One line per request with its outcome, for the alert and the e-mail copy."""
    rows = []
    for line in lines:
        reservation = line.reservation
        rows.append(
            f"{line_label(reservation.child, reservation.unit, reservation.day)} : "
            f"{line.get_action_display()} – {line.get_outcome_display()}"
        )
    return "\n".join(rows)
