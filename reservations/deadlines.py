"""When a booking or a cancellation for a given day closes (délai de prévenance).

Each rule kind is a small frozen dataclass whose ``deadline_for(day)`` returns the *last
instant a request is still accepted*, as an aware datetime in Europe/Paris. ``is_open``
compares that instant with ``now`` (inclusive: a request made exactly at the deadline is
accepted).

Choices made here, on purpose:

- Calendar rules (``WorkingDaysBefore``, ``DayOfPreviousMonth``, ``WeekdayOfPreviousWeek``)
  work on local dates and a local wall-clock ``at`` time, so "23:59" stays 23:59 in Paris
  on both sides of a daylight-saving change.
- ``HoursBefore`` counts real elapsed hours on aware datetimes (not wall-clock hours):
  48 h before Monday 08:00 just after the spring change is Saturday 07:00 local.
- A wall-clock time that does not exist (spring gap, e.g. 02:30 on the last Sunday of
  March) or occurs twice (autumn) is resolved as ``zoneinfo`` does with ``fold=0``: the
  offset in force before the change. Rules should avoid 02:00-03:00 anyway.
- Holidays are not looked up here: callers pass ``is_holiday`` (e.g. the French public
  holiday calendar), so the rules stay testable on their own. Default: no holidays.
- Rules serialise to a plain dict (``to_dict`` / ``rule_from_dict``) so a model can keep
  one in a JSONField.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, ClassVar

from core.time import PARIS

HolidayCheck = Callable[[date], bool]


def no_holidays(day: date) -> bool:
    return False


def is_working_day(day: date, *, is_holiday: HolidayCheck = no_holidays) -> bool:
    """Monday to Friday and not a holiday."""
    return day.weekday() < 5 and not is_holiday(day)


def _local(day: date, at: time) -> datetime:
    # Round trip through UTC so a non-existent wall time comes back as a real one.
    return datetime.combine(day, at, tzinfo=PARIS).astimezone(UTC).astimezone(PARIS)


def _check_int(name: str, value: Any, minimum: int, maximum: int | None = None) -> None:
    # bool is an int in Python; "days": true in stored JSON is a mistake, not 1.
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    if value < minimum or (maximum is not None and value > maximum):
        bounds = f">= {minimum}" if maximum is None else f"between {minimum} and {maximum}"
        raise ValueError(f"{name} must be {bounds}, got {value}")


def _check_time(name: str, value: Any) -> None:
    if not isinstance(value, time):
        raise ValueError(f"{name} must be a datetime.time, got {value!r}")
    if value.tzinfo is not None:
        raise ValueError(f"{name} must be a naive local time (Europe/Paris is implied)")


def _time_to_str(value: time) -> str:
    if value.second == 0 and value.microsecond == 0:
        return value.isoformat(timespec="minutes")
    return value.isoformat()


class _Rule:
    """Shared serialisation; subclasses are frozen dataclasses with a ``kind``."""

    kind: ClassVar[str]

    def deadline_for(self, day: date, *, is_holiday: HolidayCheck = no_holidays) -> datetime:
        raise NotImplementedError

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind}
        for field in fields(self):  # type: ignore[arg-type]
            value = getattr(self, field.name)
            data[field.name] = _time_to_str(value) if isinstance(value, time) else value
        return data


@dataclass(frozen=True)
class WorkingDaysBefore(_Rule):
    """Close ``days`` working days before the day, at ``at`` local time.

    With 2 days at 23:59: Wednesday -> Monday 23:59, Monday -> previous Thursday 23:59.
    Weekends and holidays are skipped. ``days=0`` closes on the day itself.
    """

    kind: ClassVar[str] = "working_days_before"
    days: int
    at: time

    def __post_init__(self) -> None:
        _check_int("days", self.days, 0)
        _check_time("at", self.at)

    def deadline_for(self, day: date, *, is_holiday: HolidayCheck = no_holidays) -> datetime:
        current = day
        remaining = self.days
        # A calendar that marks every day as a holiday must not hang the request.
        limit = day - timedelta(days=7 * self.days + 366)
        while remaining:
            current -= timedelta(days=1)
            if current < limit:
                raise ValueError(f"no {self.days} working days found before {day}")
            if is_working_day(current, is_holiday=is_holiday):
                remaining -= 1
        return _local(current, self.at)


@dataclass(frozen=True)
class DayOfPreviousMonth(_Rule):
    """Close on the ``day_of_month``-th of the previous month, at ``at`` local time.

    "Before the 20th" is read as *until the 20th at ``at``* (inclusive): bookings for any
    day of March close on 20 February at ``at``. A day past the month's end is clamped to
    its last day (30 -> 28 or 29 February).
    """

    kind: ClassVar[str] = "day_of_previous_month"
    day_of_month: int
    at: time

    def __post_init__(self) -> None:
        _check_int("day_of_month", self.day_of_month, 1, 31)
        _check_time("at", self.at)

    def deadline_for(self, day: date, *, is_holiday: HolidayCheck = no_holidays) -> datetime:
        year, month = (day.year - 1, 12) if day.month == 1 else (day.year, day.month - 1)
        last = calendar.monthrange(year, month)[1]
        return _local(date(year, month, min(self.day_of_month, last)), self.at)


@dataclass(frozen=True)
class WeekdayOfPreviousWeek(_Rule):
    """Close on ``weekday`` of the ISO week before the day's week, at ``at`` local time.

    ``weekday`` follows ``date.weekday()``: 0 = Monday ... 6 = Sunday. "The Tuesday of
    the week before" is ``WeekdayOfPreviousWeek(1, at)``: for any day from Monday 9 to
    Sunday 15 it is Tuesday 3.
    """

    kind: ClassVar[str] = "weekday_of_previous_week"
    weekday: int
    at: time

    def __post_init__(self) -> None:
        _check_int("weekday", self.weekday, 0, 6)
        _check_time("at", self.at)

    def deadline_for(self, day: date, *, is_holiday: HolidayCheck = no_holidays) -> datetime:
        monday_before = day - timedelta(days=day.weekday() + 7)
        return _local(monday_before + timedelta(days=self.weekday), self.at)


@dataclass(frozen=True)
class HoursBefore(_Rule):
    """Close ``hours`` real hours before the unit starts (``start`` local time on the day).

    Counted on aware datetimes, so 48 h across a daylight-saving change is 48 elapsed
    hours, not 48 wall-clock hours. Holidays play no part.
    """

    kind: ClassVar[str] = "hours_before"
    hours: int
    start: time

    def __post_init__(self) -> None:
        _check_int("hours", self.hours, 0)
        _check_time("start", self.start)

    def deadline_for(self, day: date, *, is_holiday: HolidayCheck = no_holidays) -> datetime:
        begins = datetime.combine(day, self.start, tzinfo=PARIS).astimezone(UTC)
        return (begins - timedelta(hours=self.hours)).astimezone(PARIS)


DeadlineRule = WorkingDaysBefore | DayOfPreviousMonth | WeekdayOfPreviousWeek | HoursBefore

RULE_KINDS: dict[str, type[_Rule]] = {
    cls.kind: cls
    for cls in (WorkingDaysBefore, DayOfPreviousMonth, WeekdayOfPreviousWeek, HoursBefore)
}


def rule_from_dict(data: Mapping[str, Any]) -> DeadlineRule:
    """Rebuild a rule from ``to_dict()`` output; ValueError on anything else."""
    if not isinstance(data, Mapping):
        raise ValueError(f"a deadline rule must be a mapping, got {type(data).__name__}")
    kind = data.get("kind")
    cls = RULE_KINDS.get(kind)  # type: ignore[arg-type]
    if cls is None:
        known = ", ".join(sorted(RULE_KINDS))
        raise ValueError(f"unknown deadline rule kind {kind!r}; expected one of: {known}")
    expected = {field.name: field for field in fields(cls)}  # type: ignore[arg-type]
    params = {key: value for key, value in data.items() if key != "kind"}
    if set(params) != set(expected):
        raise ValueError(f"deadline rule {kind!r} takes {sorted(expected)}, got {sorted(params)}")
    for name, value in params.items():
        if expected[name].type in (time, "time"):
            try:
                params[name] = time.fromisoformat(value)
            except (TypeError, ValueError) as exc:
                raise ValueError(f"{name} must be a time such as '23:59', got {value!r}") from exc
    return cls(**params)  # type: ignore[return-value]


def is_open(
    rule: DeadlineRule,
    day: date,
    *,
    now: datetime,
    is_holiday: HolidayCheck = no_holidays,
) -> bool:
    """True while a request for ``day`` is still accepted (up to the deadline, inclusive)."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be an aware datetime")
    deadline = rule.deadline_for(day, is_holiday=is_holiday)
    return now.astimezone(UTC) <= deadline.astimezone(UTC)
