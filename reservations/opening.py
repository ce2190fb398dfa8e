"""Which days an activity opens: its weekdays within its dates, per its calendar kind, minus
public holidays and closures. Pure functions, so the rules are testable without a database."""

import datetime
from collections.abc import Callable, Iterable
from functools import cache, lru_cache

from .choices import ActivityCalendar
from .french_calendar import public_holidays


@cache
def holiday_check(*, alsace_moselle: bool = False) -> Callable[[datetime.date], bool]:
    """A fast `is_holiday(day)` for French public holidays (one computation per year and
    process: the check is kept, so every calendar and booking does not compute them again)."""

    @lru_cache(maxsize=8)
    def holidays_of(year: int) -> frozenset:
        return frozenset(public_holidays(year, alsace_moselle=alsace_moselle))

    return lambda day: day in holidays_of(day.year)


def commune_holiday_check() -> Callable[[datetime.date], bool]:
    """The commune's public holidays. Whether it keeps Alsace-Moselle's is read once until
    the next purge (saving the calendar settings purges), not on every calendar and booking."""
    from cms.page_cache import cached_until_purge

    from .models import CalendarSettings

    alsace_moselle = cached_until_purge(
        "calendar-settings:alsace-moselle", lambda: CalendarSettings.load().alsace_moselle
    )
    return holiday_check(alsace_moselle=alsace_moselle)


def _within(day: datetime.date, ranges: Iterable[tuple[datetime.date, datetime.date]]) -> bool:
    return any(start <= day <= end for start, end in ranges)


def opening_days(
    *,
    start: datetime.date,
    end: datetime.date,
    weekdays: Iterable[int],
    calendar: str,
    school_holidays: list[tuple[datetime.date, datetime.date]],
    closures: list[tuple[datetime.date, datetime.date]],
    is_holiday: Callable[[datetime.date], bool],
) -> list[datetime.date]:
    chosen = set(weekdays)
    days = []
    day = start
    while day <= end:
        if (
            day.weekday() in chosen
            and not is_holiday(day)
            and not _within(day, closures)
            and (
                calendar == ActivityCalendar.ALL_DAYS
                or (calendar == ActivityCalendar.SCHOOL_DAYS) != _within(day, school_holidays)
            )
        ):
            days.append(day)
        day += datetime.timedelta(days=1)
    return days
