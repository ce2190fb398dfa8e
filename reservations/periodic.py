"""Periodic booking: the days between two dates on chosen weekdays, every, odd or even week."""

import datetime

from .choices import WeekParity


def periodic_days(
    *, start: datetime.date, end: datetime.date, weekdays: set[int], parity: str
) -> list[datetime.date]:
    """Days from start to end (inclusive) whose weekday (0 = Monday) is chosen and whose ISO
    week number matches the parity. Closed days are filtered out later, by the slots."""
    days = []
    day = start
    while day <= end:
        week = day.isocalendar().week
        if day.weekday() in weekdays and (
            parity == WeekParity.EVERY
            or (parity == WeekParity.ODD and week % 2 == 1)
            or (parity == WeekParity.EVEN and week % 2 == 0)
        ):
            days.append(day)
        day += datetime.timedelta(days=1)
    return days
