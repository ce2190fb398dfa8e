from .configuration import (
    Activity,
    CalendarSettings,
    Closure,
    Facility,
    Group,
    Period,
    ReservationRule,
    SchoolYear,
    Slot,
    Unit,
)
from .registrations import Enrolment, Registration
from .reservations import (
    Absence,
    BasketItem,
    CalendarFeed,
    Order,
    OrderLine,
    Reservation,
    ReservationEvent,
)

__all__ = [
    "Absence",
    "Activity",
    "BasketItem",
    "CalendarFeed",
    "CalendarSettings",
    "Closure",
    "Enrolment",
    "Facility",
    "Group",
    "Order",
    "OrderLine",
    "Period",
    "Registration",
    "Reservation",
    "ReservationEvent",
    "ReservationRule",
    "SchoolYear",
    "Slot",
    "Unit",
]
