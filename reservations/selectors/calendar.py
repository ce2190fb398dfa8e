"""The month calendar of a family: one row per child, activity and unit, one cell per day,
each in one state of the legend the reference portals use; or the same for one week, or
for some of the children.

Costs a fixed number of queries whatever the family's size: registrations (with child,
activity and rule), the basket (whole: its size is the calendar's count), units, slots,
reservations (with the absence's status), and the calendar settings. Slots, reservations
and basket items are read as tuples of the columns the cells need.
"""

import calendar
import datetime
from dataclasses import dataclass, field

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.bounds import parse_month
from core.choices import RequestStatus

from ..choices import ACTIVE, AbsenceStatus, Attendance, BasketAction
from ..choices import ReservationStatus as S
from ..eligibility import BookingWindow
from ..models import BasketItem, Registration, Reservation, Slot, Unit
from ..opening import commune_holiday_check


class CellState:
    CLOSED = "closed"
    AVAILABLE = "available"
    FULL = "full"
    OUT_OF_TIME = "out_of_time"
    IN_BASKET = "in_basket"
    CANCEL_IN_BASKET = "cancel_in_basket"
    REQUESTED = "requested"
    ACCEPTED = "accepted"
    CANCELLATION_REQUESTED = "cancellation_requested"
    WAITING = "waiting"
    OFFERED = "offered"
    ABSENCE_DECLARED = "absence_declared"
    ABSENCE_EXCUSED = "absence_excused"
    ABSENCE_BILLED = "absence_billed"
    # Marked absent with no absence declared: billed or excused only once staff decide.
    ABSENT_UNDECIDED = "absent_undecided"
    PRESENT = "present"


# The legend, in the order the portals show it; also the label of each cell's state.
LEGEND = [
    (CellState.AVAILABLE, _("Available")),
    (CellState.FULL, _("Full (waiting list)")),
    (CellState.CLOSED, _("Closed / public holiday")),
    (CellState.OUT_OF_TIME, _("Past the deadline")),
    (CellState.IN_BASKET, _("In the basket")),
    (CellState.CANCEL_IN_BASKET, _("Cancellation in the basket")),
    (CellState.REQUESTED, _("Awaiting validation")),
    (CellState.ACCEPTED, _("Validated")),
    (CellState.CANCELLATION_REQUESTED, _("Cancellation requested")),
    (CellState.WAITING, _("On the waiting list")),
    (CellState.OFFERED, _("Place offered")),
    (CellState.ABSENCE_DECLARED, _("Absence declared")),
    (CellState.ABSENCE_EXCUSED, _("Excused absence")),
    (CellState.ABSENCE_BILLED, _("Billed absence")),
    (CellState.ABSENT_UNDECIDED, _("Absent (to be decided)")),
    (CellState.PRESENT, _("Present")),
]
LABELS = dict(LEGEND)
# Short codes for narrow screens and print, as families know them (R, DR, DA…).
CODES = {
    CellState.ACCEPTED: "R",
    CellState.REQUESTED: "DR",
    CellState.CANCELLATION_REQUESTED: "DA",
    CellState.WAITING: "LA",
    CellState.OFFERED: "P",
    CellState.IN_BASKET: "+",
    CellState.CANCEL_IN_BASKET: "−",
    CellState.ABSENCE_DECLARED: "A",
    CellState.ABSENCE_EXCUSED: "A exc.",
    CellState.ABSENCE_BILLED: "A fact.",
    CellState.ABSENT_UNDECIDED: "A ?",
    CellState.PRESENT: "✓",
    CellState.FULL: "C",
}
BOOKABLE = frozenset({CellState.AVAILABLE, CellState.FULL})
# The basket's words when a unit booked that day excludes this one (services.basket).
EXCLUDED = _("Another unit booked that day excludes %(unit)s.")


@dataclass
class Cell:
    day: datetime.date
    state: str
    reservation_id: int | None = None
    basket_item_id: int | None = None
    reason: str = ""
    places_left: int | None = None

    @property
    def label(self) -> str:
        return LABELS[self.state]

    @property
    def code(self) -> str:
        return CODES.get(self.state, "")

    @property
    def is_bookable(self) -> bool:
        return self.state in BOOKABLE


@dataclass
class Row:
    child: object
    activity: object
    unit: Unit
    cells: list[Cell] = field(default_factory=list)

    @property
    def has_open_day(self) -> bool:
        return any(cell.state != CellState.CLOSED for cell in self.cells)


@dataclass
class MonthCalendar:
    month: datetime.date
    days: list[datetime.date]
    rows: list[Row]
    legend: list = field(default_factory=lambda: LEGEND)
    # The children registered in the span, whichever the grid shows (`child_ids`).
    children: list = field(default_factory=list)
    # How many lines wait in the family's basket, whatever their day.
    basket_count: int = 0

    @property
    def previous_month(self) -> datetime.date:
        return (self.month - datetime.timedelta(days=1)).replace(day=1)

    @property
    def next_month(self) -> datetime.date:
        return (self.month + datetime.timedelta(days=32)).replace(day=1)

    def rows_by_child(self) -> list[tuple[object, list[Row]]]:
        grouped: dict = {}
        for row in self.rows:
            grouped.setdefault(row.child, []).append(row)
        return list(grouped.items())


def month_start(value: str | None, *, today: datetime.date) -> datetime.date:
    """The first day of the month given as "YYYY-MM" (this month when absent, invalid or
    too far from today: a grid of 9999-12 has no next month to link to)."""
    return parse_month(value, today=today) or today.replace(day=1)


# A reservation's state in the grid, from its (status, attendance, absence status).
ABSENCE_STATES = {
    AbsenceStatus.DECLARED: CellState.ABSENCE_DECLARED,
    AbsenceStatus.EXCUSED: CellState.ABSENCE_EXCUSED,
    AbsenceStatus.BILLED: CellState.ABSENCE_BILLED,
}
ATTENDANCE_STATES = {
    Attendance.PRESENT: CellState.PRESENT,
    Attendance.ABSENT: CellState.ABSENT_UNDECIDED,
}
STATUS_STATES = {
    S.REQUESTED: CellState.REQUESTED,
    S.ACCEPTED: CellState.ACCEPTED,
    S.CANCELLATION_REQUESTED: CellState.CANCELLATION_REQUESTED,
    S.WAITING: CellState.WAITING,
    S.OFFERED: CellState.OFFERED,
}


def _reservation_state(status: str, attendance: str | None, absence_status: str | None) -> str:
    if absence_status is not None:
        return ABSENCE_STATES[absence_status]
    return ATTENDANCE_STATES.get(attendance) or STATUS_STATES[status]


def month_calendar(
    *, family, month: datetime.date, now=None, child_ids=None, activity_ids=None
) -> MonthCalendar:
    first = month.replace(day=1)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    return days_calendar(
        family=family,
        first=first,
        last=last,
        now=now,
        child_ids=child_ids,
        activity_ids=activity_ids,
    )


def week_calendar(*, family, monday: datetime.date, now=None, child_ids=None) -> MonthCalendar:
    """The seven days from `monday` (a week may straddle two months); `month` is the
    month of its Monday."""
    return days_calendar(
        family=family,
        first=monday,
        last=monday + datetime.timedelta(days=6),
        now=now,
        child_ids=child_ids,
    )


def days_calendar(
    *,
    family,
    first: datetime.date,
    last: datetime.date,
    now=None,
    child_ids=None,
    activity_ids=None,
) -> MonthCalendar:
    """The grid from `first` to `last` included, in the same fixed number of queries.

    Only the registrations (with child, activity and rule) and the units are model
    instances; the many rows (slots, reservations, basket items) are read as tuples of
    the columns the cells need. The basket is read whole: its size is the toolbar's count.
    """
    now = now or timezone.now()
    days = [first + datetime.timedelta(days=offset) for offset in range((last - first).days + 1)]

    registrations = (
        Registration.objects.for_family(family)
        .filter(
            status=RequestStatus.ACCEPTED,
            activity__start_date__lte=last,
            activity__end_date__gte=first,
        )
        .select_related("child", "activity__rule")
        .order_by(
            "child__birth_date", "child__first_name", "activity__sort_order", "activity__name"
        )
    )
    if activity_ids is not None:
        registrations = registrations.filter(activity_id__in=activity_ids)
    registrations = list(registrations)
    # Every registered child, for the filter: read with the rest, not one query more.
    children = list(
        {registration.child_id: registration.child for registration in registrations}.values()
    )
    if child_ids is not None:
        registrations = [
            registration for registration in registrations if registration.child_id in child_ids
        ]
    basket_rows = list(
        BasketItem.objects.for_family(family).values_list(
            "child_id", "unit_id", "day", "action", "pk"
        )
    )
    grid = MonthCalendar(
        month=first.replace(day=1),
        days=days,
        rows=[],
        children=children,
        basket_count=len(basket_rows),
    )
    if not registrations:
        return grid

    activity_ids = {registration.activity_id for registration in registrations}
    units_by_activity: dict[int, list[Unit]] = {}
    # The units and, in the same query, the units each excludes on the same day (one row
    # per pair): the planning must not offer a day the basket would refuse.
    excluded_by_unit: dict[int, set[int]] = {}
    for unit in (
        Unit.objects.filter(activity_id__in=activity_ids)
        .annotate(excluded_id=F("excludes"))
        .order_by("sort_order", "start_time", "pk")
    ):
        if unit.pk not in excluded_by_unit:
            excluded_by_unit[unit.pk] = set()
            units_by_activity.setdefault(unit.activity_id, []).append(unit)
        if unit.excluded_id:
            excluded_by_unit[unit.pk].add(unit.excluded_id)

    # The slots of these units for these groups, by plain columns (no join): a slot's unit
    # and group belong to one activity, so no other pair is read.
    slot_rows = Slot.objects.filter(
        unit_id__in=excluded_by_unit,
        group_id__in={registration.group_id for registration in registrations},
        day__range=(first, last),
    ).values_list("unit_id", "group_id", "day", "is_closed", "closed_reason", "capacity", "booked")
    # (unit, group, day) → (closed, reason for closing, places left)
    slots = {
        (unit_id, group_id, day): (is_closed, closed_reason, max(capacity - booked, 0))
        for unit_id, group_id, day, is_closed, closed_reason, capacity, booked in slot_rows
    }
    child_ids_seen = {registration.child_id for registration in registrations}
    reservation_rows = (
        Reservation.objects.for_family(family)
        .filter(day__range=(first, last), child_id__in=child_ids_seen, status__in=ACTIVE)
        .values_list("pk", "child_id", "unit_id", "day", "status", "attendance", "absence__status")
    )
    # (child, unit, day) → (reservation id, its cell's state)
    reservations = {
        (child_id, unit_id, day): (pk, _reservation_state(status, attendance, absence))
        for pk, child_id, unit_id, day, status, attendance, absence in reservation_rows
    }
    # (child, unit, day) → (action, basket item id)
    basket = {
        (child_id, unit_id, day): (action, pk)
        for child_id, unit_id, day, action, pk in basket_rows
        if first <= day <= last
    }
    # What each child has on each day, booked or in the basket: the units it excludes.
    taken: dict[tuple, set[int]] = {}
    for child_id, unit_id, day in reservations:
        taken.setdefault((child_id, day), set()).add(unit_id)
    for (child_id, unit_id, day), (action, _pk) in basket.items():
        if action == BasketAction.BOOK:
            taken.setdefault((child_id, day), set()).add(unit_id)
    is_holiday = commune_holiday_check()

    windows: dict[int, BookingWindow] = {}
    # Why a day cannot be booked depends on the activity and the day only: asked once for
    # all the children and units.
    reasons: dict[tuple, str] = {}
    for registration in registrations:
        activity = registration.activity
        if activity.pk not in windows:
            windows[activity.pk] = BookingWindow(activity, now, is_holiday)
        window = windows[activity.pk]
        child_id = registration.child_id
        for unit in units_by_activity.get(activity.pk, []):
            row = Row(child=registration.child, activity=activity, unit=unit)
            excluded = excluded_by_unit[unit.pk]
            for day in days:
                key = (child_id, unit.pk, day)
                item = basket.get(key)
                reservation = reservations.get(key)
                slot = slots.get((unit.pk, registration.group_id, day))
                cell = Cell(day=day, state=CellState.CLOSED)
                if reservation is not None:
                    cell.reservation_id, cell.state = reservation
                    if item is not None and item[0] == BasketAction.CANCEL:
                        cell.state, cell.basket_item_id = CellState.CANCEL_IN_BASKET, item[1]
                elif item is not None and item[0] == BasketAction.BOOK:
                    cell.state, cell.basket_item_id = CellState.IN_BASKET, item[1]
                elif slot is not None and slot[0]:
                    cell.reason = slot[1]
                elif slot is not None:
                    if (activity.pk, day) not in reasons:
                        reason = window.reason(day)
                        reasons[activity.pk, day] = str(reason) if reason else ""
                    reason = reasons[activity.pk, day]
                    if not reason and excluded & taken.get((child_id, day), set()):
                        reason = str(EXCLUDED) % {"unit": unit.name}
                    places_left = slot[2]
                    if reason:
                        cell.state, cell.reason = CellState.OUT_OF_TIME, reason
                    elif places_left == 0 and not activity.waiting_list:
                        cell.state, cell.reason = CellState.OUT_OF_TIME, str(_("Full."))
                        cell.places_left = places_left
                    else:
                        cell.places_left = places_left
                        cell.state = CellState.FULL if places_left == 0 else CellState.AVAILABLE
                row.cells.append(cell)
            grid.rows.append(row)
    return grid
