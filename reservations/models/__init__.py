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
from .tariffs import Aid, SiblingReduction, Tariff, TariffBracket

__all__ = [
    "Absence",
    "Activity",
    "Aid",
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
    "SiblingReduction",
    "Slot",
    "Tariff",
    "TariffBracket",
    "Unit",
]
