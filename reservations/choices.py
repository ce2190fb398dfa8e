"""The reservation's state machine on one screen: its statuses and the allowed moves.

A reservation is one child, one unit, one day. Statuses that hold a place count in the
slot's `booked` counter; a waiting reservation does not.

    (new) ──► requested ──► accepted ──► cancellation_requested ──► cancelled
      │          │  └──► refused   │  ▲            │
      │          └──► cancelled    │  └────────────┘ (staff refuse the cancellation)
      ├──► accepted                └──► cancelled
      └──► waiting ──► offered ──► accepted
              │           └──► declined / expired
              └──► cancelled
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.choices import RequestStatus
from core.states import register_table, state_table


class ReservationStatus(models.TextChoices):
    REQUESTED = "requested", _("Awaiting validation")
    ACCEPTED = "accepted", _("Validated")
    WAITING = "waiting", _("On the waiting list")
    OFFERED = "offered", _("Place offered")
    CANCELLATION_REQUESTED = "cancellation_requested", _("Cancellation requested")
    CANCELLED = "cancelled", _("Cancelled")
    REFUSED = "refused", _("Refused")
    DECLINED = "declined", _("Offer declined")
    EXPIRED = "expired", _("Offer expired")


S = ReservationStatus

# Statuses that hold a place (counted in Slot.booked).
HOLDS_PLACE = frozenset({S.REQUESTED, S.ACCEPTED, S.OFFERED, S.CANCELLATION_REQUESTED})
# Statuses of a live reservation: at most one per child, unit and day.
ACTIVE = HOLDS_PLACE | {S.WAITING}
FINAL = frozenset({S.CANCELLED, S.REFUSED, S.DECLINED, S.EXPIRED})

# from → allowed destinations. `None` is a reservation being created.
# The statuses of FINAL have no move out.
TRANSITIONS = state_table(
    "reservations.reservation",
    ReservationStatus,
    {
        # Refused at once: the day is full and the activity keeps no waiting list.
        None: {S.REQUESTED, S.ACCEPTED, S.WAITING, S.REFUSED},
        S.REQUESTED: {S.ACCEPTED, S.REFUSED, S.CANCELLED},
        S.ACCEPTED: {S.CANCELLATION_REQUESTED, S.CANCELLED},
        S.CANCELLATION_REQUESTED: {S.CANCELLED, S.ACCEPTED},
        S.WAITING: {S.OFFERED, S.CANCELLED},
        S.OFFERED: {S.ACCEPTED, S.DECLINED, S.EXPIRED, S.CANCELLED},
    },
)


def is_allowed(from_status: str | None, to_status: str) -> bool:
    return to_status in TRANSITIONS.get(from_status, frozenset())


# Enrolments and registrations (core.choices.RequestStatus): the family asks, staff (or the
# activity's rule) decide.
R = RequestStatus
# Enrolments and registrations share the table; each is checked by its own test.
REQUEST_TRANSITIONS = state_table(
    "reservations.enrolment",
    R,
    {
        None: {R.PENDING, R.ACCEPTED},
        R.PENDING: {R.ACCEPTED, R.REFUSED, R.CANCELLED},
        R.ACCEPTED: {R.CANCELLED},
    },
)
register_table("reservations.registration", REQUEST_TRANSITIONS, R.values)


class AbsenceStatus(models.TextChoices):
    DECLARED = "declared", _("Declared, awaiting review")
    EXCUSED = "excused", _("Excused absence")
    BILLED = "billed", _("Billed absence")


AB = AbsenceStatus
ABSENCE_TRANSITIONS = state_table(
    "reservations.absence",
    AB,
    {
        None: {AB.DECLARED, AB.EXCUSED, AB.BILLED},
        AB.DECLARED: {AB.EXCUSED, AB.BILLED},
        AB.BILLED: {AB.EXCUSED},
    },
)


class Attendance(models.TextChoices):
    UNKNOWN = "", _("Not marked")
    PRESENT = "present", _("Present")
    ABSENT = "absent", _("Absent")


class ValidationMode(models.TextChoices):
    AUTOMATIC = "automatic", _("Automatic")
    STAFF = "staff", _("By staff")


class ActivityCalendar(models.TextChoices):
    """Which days of the activity's date range it opens, before holidays and closures."""

    SCHOOL_DAYS = "school_days", _("School days (outside school holidays)")
    HOLIDAYS = "holidays", _("During school holidays only")
    ALL_DAYS = "all_days", _("Every chosen weekday")


class WeekParity(models.TextChoices):
    EVERY = "every", _("Every week")
    ODD = "odd", _("Odd weeks")
    EVEN = "even", _("Even weeks")


class BasketAction(models.TextChoices):
    BOOK = "book", _("Booking")
    CANCEL = "cancel", _("Cancellation")


class AlertKind(models.TextChoices):
    """What reservations tell families (registered in `ReservationsConfig.ready`); staff
    decisions on requests use portal_features' shared `request_accepted`/`request_refused`."""

    ORDER_RECEIVED = "order_received", _("Order received")
    PLACE_OFFERED = "place_offered", _("Place offered")
    DAY_CANCELLED = "day_cancelled", _("Day cancelled")
