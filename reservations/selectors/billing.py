"""What a billable day is, defined once: invoicing reads it here (and prices it through
`reservations.pricing`); reservations never import invoicing.

Billable, for the household of the reservation (the one that booked; for a day come
unbooked, the one its custody rhythm or staff named, see `services.attendance`):
- validated (or its cancellation asked) and marked present, or not marked: PRESENT,
  UNMARKED; marked present after coming unbooked: WALK_IN;
- an absence staff decided "billed": ABSENCE_BILLED;
- cancelled after the deadline and the place taken by nobody: LATE_CANCELLATION.
Free: an excused absence, a day cancelled by the commune, a late cancellation whose place
a waiting child took, anything refused or cancelled in time.
Not billed until staff decide, and raised as alerts: an absence declared and not decided
yet; a day marked "absent" with no absence declared (staff record it excused or billed,
`services.absences.absence_record`). A billable day whose household no longer has the
child is an alert too (no payer).
"""

import datetime
from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Q
from django.utils.translation import gettext as _

from portal_features.models import ChildMembership

from .. import tariff_methods as methods
from ..choices import AbsenceStatus, Attendance
from ..choices import ReservationStatus as S
from ..models import Reservation


class Situation(StrEnum):
    PRESENT = methods.PRESENT
    UNMARKED = methods.UNMARKED
    ABSENCE_BILLED = methods.ABSENCE_BILLED
    LATE_CANCELLATION = methods.LATE_CANCELLATION
    WALK_IN = methods.WALK_IN


class AlertKind(StrEnum):
    ABSENCE_UNDECIDED = "absence_undecided"
    ABSENT_MARK_UNDECIDED = "absent_mark_undecided"
    NO_PAYER = "no_payer"


@dataclass(frozen=True)
class BillableDay:
    reservation_id: int
    family_id: int
    child_id: int
    unit_id: int
    activity_id: int
    day: datetime.date
    situation: str


@dataclass(frozen=True)
class BillingAlert:
    kind: str  # an AlertKind
    reservation_id: int
    family_id: int
    child_id: int
    unit_id: int
    activity_id: int
    day: datetime.date
    message: str


# Statuses whose day is owed when the child came or might have: validated, or its
# cancellation asked and not decided yet.
BOOKED_STATUSES = (S.ACCEPTED, S.CANCELLATION_REQUESTED)
LATE_CANCELLED = Q(
    status=S.CANCELLED, late_cancellation=True, replaced_by__isnull=True, cancelled_by_commune=False
)
UNDECIDED_ABSENT_MARK = Q(
    status__in=BOOKED_STATUSES, attendance=Attendance.ABSENT, absence__isnull=True
)


def situation_of(
    *,
    status: str,
    attendance: str,
    walk_in: bool,
    late_cancellation: bool,
    replaced: bool,
    cancelled_by_commune: bool,
    absence_status: str | None,
) -> tuple[Situation | None, AlertKind | None]:
    """(the billable situation or None, the alert or None) of one reservation."""
    if status == S.CANCELLED:
        if late_cancellation and not replaced and not cancelled_by_commune:
            return Situation.LATE_CANCELLATION, None
        return None, None
    if status not in BOOKED_STATUSES:
        return None, None
    if absence_status == AbsenceStatus.EXCUSED:
        return None, None
    if absence_status == AbsenceStatus.BILLED:
        return Situation.ABSENCE_BILLED, None
    if absence_status == AbsenceStatus.DECLARED:
        return None, AlertKind.ABSENCE_UNDECIDED
    if attendance == Attendance.ABSENT:
        return None, AlertKind.ABSENT_MARK_UNDECIDED
    if attendance == Attendance.PRESENT:
        return (Situation.WALK_IN if walk_in else Situation.PRESENT), None
    return Situation.UNMARKED, None


VALUES = (
    "pk",
    "family_id",
    "child_id",
    "unit_id",
    "unit__activity_id",
    "day",
    "status",
    "attendance",
    "walk_in",
    "late_cancellation",
    "replaced_by_id",
    "cancelled_by_commune",
    "absence__status",
)


def _classified(*, activity_ids, start, end):
    """(row, situation, alert) for every reservation of the activities in [start, end]
    that is owed or might be: one query."""
    rows = (
        Reservation.objects.filter(
            Q(status__in=BOOKED_STATUSES) | LATE_CANCELLED,
            unit__activity_id__in=list(activity_ids),
            day__range=(start, end),
        )
        .order_by("day", "family_id", "child_id", "unit_id", "pk")
        .values_list(*VALUES, named=True)
    )
    for row in rows:
        situation, alert = situation_of(
            status=row.status,
            attendance=row.attendance,
            walk_in=row.walk_in,
            late_cancellation=row.late_cancellation,
            replaced=row.replaced_by_id is not None,
            cancelled_by_commune=row.cancelled_by_commune,
            absence_status=row.absence__status,
        )
        yield row, situation, alert


def _ids(row) -> dict:
    return {
        "reservation_id": row.pk,
        "family_id": row.family_id,
        "child_id": row.child_id,
        "unit_id": row.unit_id,
        "activity_id": row.unit__activity_id,
        "day": row.day,
    }


def billable_days(*, activity_ids, start: datetime.date, end: datetime.date) -> list[BillableDay]:
    """Every billable day of the activities between start and end (both included), by
    day, family and child: one query."""
    return [
        BillableDay(**_ids(row), situation=str(situation))
        for row, situation, _alert in _classified(activity_ids=activity_ids, start=start, end=end)
        if situation is not None
    ]


ALERT_MESSAGES = {
    AlertKind.ABSENCE_UNDECIDED: lambda: _(
        "Absence declared and not decided yet: not billed until staff excuse or bill it."
    ),
    AlertKind.ABSENT_MARK_UNDECIDED: lambda: _(
        "Marked absent with no absence declared: not billed until staff decide (excused "
        "or billed) in the absences queue."
    ),
    AlertKind.NO_PAYER: lambda: _(
        "The household of this reservation no longer has the child: choose who pays."
    ),
}


def billing_alerts(*, activity_ids, start: datetime.date, end: datetime.date) -> list:
    """What keeps days of the period from being billed as they should: undecided declared
    absences, "absent" marks without a decision, billable days whose household no longer
    has the child. Two queries."""
    found = []
    billable = []
    for row, situation, alert in _classified(activity_ids=activity_ids, start=start, end=end):
        if alert is not None:
            found.append((row, alert))
        if situation is not None:
            billable.append(row)
    households = set(
        ChildMembership.objects.filter(child_id__in={row.child_id for row in billable}).values_list(
            "child_id", "family_id"
        )
    )
    found += [
        (row, AlertKind.NO_PAYER)
        for row in billable
        if (row.child_id, row.family_id) not in households
    ]
    found.sort(key=lambda pair: (pair[0].day, pair[0].family_id, pair[0].child_id, pair[0].pk))
    return [
        BillingAlert(kind=str(alert), **_ids(row), message=ALERT_MESSAGES[alert]())
        for row, alert in found
    ]


def undecided_absent_marks(*, activity_ids=None):
    """Days marked "absent" with no absence declared: staff decide each (the absences
    queue's « Absents à décider »)."""
    queryset = Reservation.objects.filter(UNDECIDED_ABSENT_MARK)
    if activity_ids is not None:
        queryset = queryset.filter(unit__activity_id__in=list(activity_ids))
    return queryset


def is_undecided_absent_mark(reservation) -> bool:
    """The reservation is such a day (its absence read from select_related)."""
    return (
        reservation.status in BOOKED_STATUSES
        and reservation.attendance == Attendance.ABSENT
        and not hasattr(reservation, "absence")
    )
