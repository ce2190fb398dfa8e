"""Reads of the booking wizard (participants, common activities, planning), the basket
summary and the orders, always scoped to the family.

Each screen costs a fixed number of queries whatever the number of children, days or
lines: the planning reuses `month_calendar`; the basket reads its items and the
reservations its cancellations concern; the orders list is one annotated query per list.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, F, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from core.choices import RequestStatus
from core.time import local_today
from portal_features.models import Child

from ..choices import ActivityCalendar, BasketAction
from ..choices import ReservationStatus as S
from ..eligibility import booking_window_reason, child_age_on
from ..models import Activity, BasketItem, Order, OrderLine, Registration, Reservation, Slot, Unit
from ..opening import commune_holiday_check
from ..pricing import PriceResult, PricingContext, booking_prices, total
from .calendar import Cell, CellState, MonthCalendar

# How far the default month of the planning looks for a bookable day.
BOOKABLE_DAYS_SCANNED = 400

# --- Participants and activities -------------------------------------------------------


def booking_children(family, *, today: datetime.date) -> list[Child]:
    """The family's children, eldest first, each with its `age` today."""
    children = list(Child.objects.for_family(family).order_by("birth_date", "first_name", "pk"))
    for child in children:
        child.age = child_age_on(child, today)
    return children


def chosen_children(family, child_ids) -> list[Child]:
    """The chosen children in the family's order; 404 when one is not the family's."""
    ids = set(child_ids)
    children = list(
        Child.objects.for_family(family)
        .filter(pk__in=ids)
        .order_by("birth_date", "first_name", "pk")
    )
    if len(children) != len(ids):
        raise Http404
    return children


def common_activities(family, *, child_ids, today: datetime.date) -> list[Activity]:
    """The activities every chosen child is registered to (validated) that are not over."""
    ids = set(child_ids)
    shared = (
        Registration.objects.for_family(family)
        .filter(child_id__in=ids, status=RequestStatus.ACCEPTED, activity__end_date__gte=today)
        .values("activity_id")
        .annotate(children=Count("child_id", distinct=True))
        .filter(children=len(ids))
        .values("activity_id")
    )
    return list(
        Activity.objects.filter(pk__in=shared)
        .select_related("period", "facility")
        .order_by("start_date", "sort_order", "name")
    )


def booking_activity(family, *, activity_id, child_ids) -> Activity:
    """An activity one of the chosen children is registered to (validated), or 404."""
    activities = Activity.objects.filter(
        pk__in=Registration.objects.for_family(family)
        .filter(child_id__in=child_ids, status=RequestStatus.ACCEPTED)
        .values("activity_id")
    ).select_related("rule", "period")
    return get_object_or_404(activities, pk=activity_id)


def booking_unit(unit_id) -> Unit:
    """The unit a booking form names, with its activity, or 404."""
    return get_object_or_404(Unit.objects.select_related("activity"), pk=unit_id)


def first_bookable_month(*, family, activity: Activity, child_ids, now) -> datetime.date:
    """The month of the first day one of the children could be booked on (an open day with
    a place or a waiting list, within the booking window); this month when there is none."""
    today = local_today(now)
    group_ids = (
        Registration.objects.for_family(family)
        .filter(child_id__in=child_ids, activity=activity, status=RequestStatus.ACCEPTED)
        .values("group_id")
    )
    slots = Slot.objects.filter(
        unit__activity=activity, group_id__in=group_ids, day__gt=today, is_closed=False
    )
    if not activity.waiting_list:
        slots = slots.filter(booked__lt=F("capacity"))
    days = slots.order_by("day").values_list("day", flat=True).distinct()
    is_holiday = commune_holiday_check()
    for day in days[:BOOKABLE_DAYS_SCANNED]:
        if booking_window_reason(activity, day, now, is_holiday) is None:
            return day.replace(day=1)
    return today.replace(day=1)


# --- Planning ---------------------------------------------------------------------------


@dataclass
class PlanningDay:
    """One day of a unit: the cell of each chosen child registered to the activity."""

    day: datetime.date
    cells: list[tuple[Child, Cell]]

    @property
    def has_bookable(self) -> bool:
        return any(cell.is_bookable for _child, cell in self.cells)


@dataclass
class SelectAll:
    """A "book every available day of the month" button: these children on these days."""

    children: list[Child]
    days: list[datetime.date]


@dataclass
class UnitPlanning:
    unit: Unit
    children: list[Child]
    days: list[PlanningDay] = field(default_factory=list)
    select_all: list[SelectAll] = field(default_factory=list)
    price: Decimal | None = None  # the family's tariff, set by price_plannings

    @property
    def has_bookable(self) -> bool:
        return any(day.has_bookable for day in self.days)


def _shows_day(activity: Activity, day: datetime.date, cells: list[Cell]) -> bool:
    """Days worth a line: one a child could be booked on, has a reservation or a closing
    reason; or a closed day of the activity's usual weekdays (a public holiday, a closure),
    except for holiday activities, closed every school week."""
    if any(cell.state != CellState.CLOSED or cell.reason for cell in cells):
        return True
    return activity.calendar != ActivityCalendar.HOLIDAYS and day.weekday() in set(
        activity.weekdays or []
    )


def planning_by_unit(calendar: MonthCalendar, *, activity: Activity) -> list[UnitPlanning]:
    """The month calendar of one activity turned around for booking: per unit, one line per
    day with a cell per child, and the "whole month" buttons (one for all children when
    they can be booked on the same days, else one per child)."""
    plannings: dict[int, UnitPlanning] = {}
    rows_by_unit: dict[int, list] = {}
    for row in calendar.rows:
        if row.activity.pk != activity.pk:
            continue
        planning = plannings.setdefault(row.unit.pk, UnitPlanning(unit=row.unit, children=[]))
        planning.children.append(row.child)
        rows_by_unit.setdefault(row.unit.pk, []).append(row)
    for unit_id, planning in plannings.items():
        rows = rows_by_unit[unit_id]
        for index, day in enumerate(calendar.days):
            cells = [row.cells[index] for row in rows]
            if _shows_day(activity, day, cells):
                planning.days.append(
                    PlanningDay(day=day, cells=[(row.child, row.cells[index]) for row in rows])
                )
        bookable = [
            [cell.day for cell in row.cells if cell.is_bookable]
            for row in rows  # same order as planning.children
        ]
        if bookable and all(days == bookable[0] for days in bookable) and bookable[0]:
            planning.select_all = [SelectAll(children=list(planning.children), days=bookable[0])]
        else:
            planning.select_all = [
                SelectAll(children=[child], days=days)
                for child, days in zip(planning.children, bookable, strict=True)
                if days
            ]
    return list(plannings.values())


def price_plannings(plannings: list[UnitPlanning], *, family, month: datetime.date) -> None:
    """Set each unit's price for the family (its tariff, its QF) on the first day the
    planning shows, for the eldest chosen child: one pricing context for all units."""
    lines = [
        (planning, planning.children[0], planning.days[0].day if planning.days else month)
        for planning in plannings
        if planning.children
    ]
    if not lines:
        return
    days = [day for _planning, _child, day in lines]
    context = PricingContext.load(
        unit_ids={planning.unit for planning, _child, _day in lines},
        family_ids=[family],
        start=min(days),
        end=max(days),
    )
    for planning, child, day in lines:
        planning.price = total(
            context.prices(family=family, child=child, unit=planning.unit, day=day)
        )


# --- Basket -----------------------------------------------------------------------------


@dataclass
class BasketLine:
    item: BasketItem
    unit_price: Decimal
    # How the price was reached (the tariff's lines: childcare, meal); empty for a
    # cancellation, which shows what the day was booked at.
    prices: list[PriceResult] = field(default_factory=list)

    @property
    def explanation(self) -> str:
        return " ; ".join(price.explanation() for price in self.prices)

    @property
    def is_cancellation(self) -> bool:
        return self.item.action == BasketAction.CANCEL


@dataclass
class BasketMonth:
    month: datetime.date
    lines: list[BasketLine] = field(default_factory=list)


@dataclass
class BasketChild:
    child: Child
    months: list[BasketMonth] = field(default_factory=list)


@dataclass
class BasketSummary:
    """The basket by child and month, with the unit price of each line and the total of the
    bookings (what the order will cost if every day is validated)."""

    children: list[BasketChild]
    total: Decimal
    count: int

    @property
    def is_empty(self) -> bool:
        return self.count == 0


def basket_summary(family) -> BasketSummary:
    items = list(
        BasketItem.objects.for_family(family)
        .select_related("child", "unit__activity")
        .order_by(
            "child__birth_date", "child__first_name", "child_id", "day", "unit__sort_order", "pk"
        )
    )
    cancelled = [item for item in items if item.action == BasketAction.CANCEL]
    booked_prices = {}
    if cancelled:
        booked_prices = {
            (reservation.child_id, reservation.unit_id, reservation.day): reservation.unit_price
            for reservation in Reservation.objects.for_family(family)
            .active()
            .filter(
                child_id__in={item.child_id for item in cancelled},
                unit_id__in={item.unit_id for item in cancelled},
                day__in={item.day for item in cancelled},
            )
        }
    booked_items = [item for item in items if item.action == BasketAction.BOOK]
    tariff_prices = dict(
        zip(
            (item.pk for item in booked_items),
            booking_prices(
                family=family,
                lines=[(item.child_id, item.unit, item.day) for item in booked_items],
            ),
            strict=True,
        )
    )
    children: list[BasketChild] = []
    basket_total = Decimal("0.00")
    for item in items:
        results = tariff_prices.get(item.pk, [])
        if item.action == BasketAction.CANCEL:
            price = booked_prices.get((item.child_id, item.unit_id, item.day), Decimal("0.00"))
        else:
            price = total(results)
            basket_total += price
        if not children or children[-1].child.pk != item.child_id:
            children.append(BasketChild(child=item.child))
        months = children[-1].months
        month = item.day.replace(day=1)
        if not months or months[-1].month != month:
            months.append(BasketMonth(month=month))
        months[-1].lines.append(BasketLine(item=item, unit_price=price, prices=results))
    return BasketSummary(children=children, total=basket_total, count=len(items))


def basket_item(family, item_id) -> BasketItem:
    """One line of the family's basket, or 404 (another family's id included)."""
    return get_object_or_404(BasketItem.objects.for_family(family), pk=item_id)


def basket_count(family) -> int:
    return BasketItem.objects.for_family(family).count()


# --- Orders -----------------------------------------------------------------------------


def _awaiting_staff():
    """Order lines whose request staff have not decided yet."""
    return Q(action=BasketAction.BOOK, reservation__status=S.REQUESTED) | Q(
        action=BasketAction.CANCEL, reservation__status=S.CANCELLATION_REQUESTED
    )


def _orders(family):
    return (
        Order.objects.for_family(family)
        .annotate(
            is_pending=Exists(OrderLine.objects.filter(_awaiting_staff(), order=OuterRef("pk"))),
            line_count=Count("lines"),
        )
        .order_by("-submitted_at", "-pk")
    )


def pending_orders(family) -> list[Order]:
    """« Mes commandes en attente »: orders with a request staff have not decided yet."""
    return list(_orders(family).filter(is_pending=True))


def order_history(family):
    """« Historique de commandes »: the orders fully processed, newest first (paginate it)."""
    return _orders(family).filter(is_pending=False)


def order_receipt(family, order_id) -> Order:
    """One of the family's orders with its `receipt_lines` (child, unit, activity) and
    `is_pending`, or 404 (another family's id included)."""
    return order_receipt_lines(get_object_or_404(Order.objects.for_family(family), pk=order_id))


def order_receipt_lines(order: Order) -> Order:
    """The `order` (already read) with its `receipt_lines` and `is_pending`."""
    order.receipt_lines = list(
        order.lines.select_related("reservation__child", "reservation__unit__activity").order_by(
            "reservation__child__birth_date",
            "reservation__child__first_name",
            "reservation__child_id",
            "reservation__day",
            "reservation__unit__sort_order",
            "pk",
        )
    )
    order.is_pending = any(
        (line.action == BasketAction.BOOK and line.reservation.status == S.REQUESTED)
        or (
            line.action == BasketAction.CANCEL
            and line.reservation.status == S.CANCELLATION_REQUESTED
        )
        for line in order.receipt_lines
    )
    return order
