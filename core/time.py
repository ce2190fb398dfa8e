"""Time as the commune lives it: Europe/Paris, aware datetimes, a "day" is a local date."""

import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

PARIS = ZoneInfo("Europe/Paris")


def local_now(now: datetime.datetime | None = None) -> datetime.datetime:
    """`now` (default: the current instant) seen in Paris."""
    return (now or timezone.now()).astimezone(PARIS)


def local_today(now: datetime.datetime | None = None) -> datetime.date:
    """The date in Paris at `now`: after 23:00 UTC in winter it is already tomorrow there."""
    return local_now(now).date()


def paris_datetime(day: datetime.date, at: datetime.time = datetime.time.min) -> datetime.datetime:
    """The aware instant of `at` o'clock on `day` in Paris (across clock changes too)."""
    return datetime.datetime.combine(day, at, tzinfo=PARIS)


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def next_month_start(day: datetime.date) -> datetime.date:
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
