"""Booking and cancellation deadlines (délai de prévenance), pure Python."""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from core.time import PARIS
from reservations.deadlines import (
    DayOfPreviousMonth,
    HoursBefore,
    WeekdayOfPreviousWeek,
    WorkingDaysBefore,
    is_open,
    rule_from_dict,
)

EVENING = time(23, 59)
CET = timedelta(hours=1)
CEST = timedelta(hours=2)


def paris(*args):
    return datetime(*args, tzinfo=PARIS)


def holidays(*days):
    return set(days).__contains__


# --- WorkingDaysBefore ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 3, 4), date(2026, 3, 2)),  # Wednesday -> Monday
        (date(2026, 3, 9), date(2026, 3, 5)),  # Monday -> previous Thursday
        (date(2026, 3, 8), date(2026, 3, 5)),  # Sunday -> Thursday (Fri 1, Thu 2)
        (date(2026, 3, 10), date(2026, 3, 6)),  # Tuesday -> previous Friday
    ],
)
def test_working_days_before_skips_weekends(day, expected):
    deadline = WorkingDaysBefore(2, EVENING).deadline_for(day)

    assert deadline == paris(expected.year, expected.month, expected.day, 23, 59)
    assert deadline.tzinfo is PARIS


def test_working_days_before_skips_armistice_day():
    is_holiday = holidays(date(2026, 11, 11))  # a Wednesday

    deadline = WorkingDaysBefore(2, EVENING).deadline_for(date(2026, 11, 13), is_holiday=is_holiday)

    assert deadline == paris(2026, 11, 10, 23, 59)  # Thu 12, then Tue 10


def test_working_days_before_skips_easter_monday_and_the_weekend():
    is_holiday = holidays(date(2026, 4, 6))

    deadline = WorkingDaysBefore(2, EVENING).deadline_for(date(2026, 4, 8), is_holiday=is_holiday)

    assert deadline == paris(2026, 4, 3, 23, 59)  # Tue 7, then Friday 3


def test_working_days_before_without_holiday_calendar_counts_the_holiday():
    assert WorkingDaysBefore(2, EVENING).deadline_for(date(2026, 4, 8)) == paris(2026, 4, 6, 23, 59)


def test_zero_working_days_closes_on_the_day_itself():
    assert WorkingDaysBefore(0, time(9, 0)).deadline_for(date(2026, 3, 8)) == paris(
        2026, 3, 8, 9, 0
    )


def test_working_days_before_stays_at_local_time_across_spring_dst():
    rule = WorkingDaysBefore(2, EVENING)

    before = rule.deadline_for(date(2026, 3, 31))  # Mon 30, Fri 27 (winter time)
    after = rule.deadline_for(date(2026, 4, 1))  # Tue 31, Mon 30 (summer time)

    assert (before.date(), before.time(), before.utcoffset()) == (date(2026, 3, 27), EVENING, CET)
    assert (after.date(), after.time(), after.utcoffset()) == (date(2026, 3, 30), EVENING, CEST)


def test_working_days_before_stays_at_local_time_across_autumn_dst():
    rule = WorkingDaysBefore(1, EVENING)

    before = rule.deadline_for(date(2026, 10, 26))  # Friday 23 October, summer time
    after = rule.deadline_for(date(2026, 10, 27))  # Monday 26 October, winter time

    assert (before.time(), before.utcoffset()) == (EVENING, CEST)
    assert (after.time(), after.utcoffset()) == (EVENING, CET)


def test_working_days_before_gives_up_when_every_day_is_a_holiday():
    with pytest.raises(ValueError, match="no 2 working days"):
        WorkingDaysBefore(2, EVENING).deadline_for(date(2026, 3, 4), is_holiday=lambda d: True)


# --- DayOfPreviousMonth ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("day_of_month", "day", "expected"),
    [
        (20, date(2026, 3, 1), date(2026, 2, 20)),
        (20, date(2026, 3, 31), date(2026, 2, 20)),  # whole month shares one deadline
        (20, date(2028, 2, 29), date(2028, 1, 20)),  # leap day itself
        (20, date(2027, 1, 15), date(2026, 12, 20)),  # January -> December of last year
        (30, date(2027, 3, 10), date(2027, 2, 28)),  # clamped to February's end
        (30, date(2028, 3, 10), date(2028, 2, 29)),  # leap year
        (31, date(2026, 5, 1), date(2026, 4, 30)),
        (31, date(2026, 4, 30), date(2026, 3, 31)),
    ],
)
def test_day_of_previous_month(day_of_month, day, expected):
    deadline = DayOfPreviousMonth(day_of_month, EVENING).deadline_for(day)

    assert deadline == paris(expected.year, expected.month, expected.day, 23, 59)


def test_day_of_previous_month_means_until_that_day_at_the_given_time():
    rule = DayOfPreviousMonth(20, time(12, 0))

    assert is_open(rule, date(2026, 3, 5), now=paris(2026, 2, 20, 12, 0))
    assert not is_open(rule, date(2026, 3, 5), now=paris(2026, 2, 20, 12, 0, 1))


# --- WeekdayOfPreviousWeek ------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 3, 9), date(2026, 3, 3)),  # Monday
        (date(2026, 3, 12), date(2026, 3, 3)),  # Thursday
        (date(2026, 3, 15), date(2026, 3, 3)),  # Sunday, same ISO week
        (date(2026, 3, 16), date(2026, 3, 10)),  # next week
        (date(2026, 1, 1), date(2025, 12, 23)),  # across the new year
    ],
)
def test_tuesday_of_previous_week(day, expected):
    deadline = WeekdayOfPreviousWeek(1, time(18, 0)).deadline_for(day)

    assert deadline == paris(expected.year, expected.month, expected.day, 18, 0)


def test_sunday_of_previous_week_is_the_day_before_a_monday():
    assert WeekdayOfPreviousWeek(6, EVENING).deadline_for(date(2026, 3, 9)) == paris(
        2026, 3, 8, 23, 59
    )


# --- HoursBefore ----------------------------------------------------------------------


def test_hours_before_on_an_ordinary_week():
    assert HoursBefore(48, time(8, 0)).deadline_for(date(2026, 3, 12)) == paris(2026, 3, 10, 8, 0)


def test_hours_before_counts_real_hours_across_spring_dst():
    # Clocks went from 02:00 to 03:00 on Sunday 29 March 2026.
    start = paris(2026, 3, 30, 8, 0)

    deadline = HoursBefore(48, time(8, 0)).deadline_for(date(2026, 3, 30))

    assert deadline == paris(2026, 3, 28, 7, 0)
    assert (deadline.hour, deadline.utcoffset()) == (7, CET)
    assert start.astimezone(UTC) - deadline.astimezone(UTC) == timedelta(hours=48)


def test_hours_before_counts_real_hours_across_autumn_dst():
    # Clocks went from 03:00 back to 02:00 on Sunday 25 October 2026.
    start = paris(2026, 10, 26, 8, 0)

    deadline = HoursBefore(48, time(8, 0)).deadline_for(date(2026, 10, 26))

    assert (deadline.date(), deadline.hour, deadline.utcoffset()) == (date(2026, 10, 24), 9, CEST)
    assert start.astimezone(UTC) - deadline.astimezone(UTC) == timedelta(hours=48)


def test_hours_before_ignores_holidays():
    rule = HoursBefore(24, time(8, 0))

    assert rule.deadline_for(date(2026, 11, 12), is_holiday=lambda d: True) == paris(
        2026, 11, 11, 8, 0
    )


# --- is_open --------------------------------------------------------------------------


def test_is_open_up_to_and_including_the_deadline():
    rule = WorkingDaysBefore(2, EVENING)
    day = date(2026, 3, 4)  # deadline Monday 2 March 23:59

    assert is_open(rule, day, now=paris(2026, 3, 2, 23, 58, 59))
    assert is_open(rule, day, now=paris(2026, 3, 2, 23, 59))
    assert not is_open(rule, day, now=paris(2026, 3, 2, 23, 59, 0, 1))
    assert not is_open(rule, day, now=paris(2026, 3, 3, 0, 0))


def test_is_open_compares_instants_whatever_the_zone_of_now():
    rule = HoursBefore(48, time(8, 0))
    day = date(2026, 3, 30)  # deadline Saturday 28 March 07:00 CET = 06:00 UTC

    assert is_open(rule, day, now=datetime(2026, 3, 28, 6, 0, tzinfo=UTC))
    assert not is_open(rule, day, now=datetime(2026, 3, 28, 6, 0, 1, tzinfo=UTC))
    # Wall-clock 48 h (Saturday 08:00) would wrongly still be open.
    assert not is_open(rule, day, now=paris(2026, 3, 28, 7, 30))


def test_is_open_passes_the_holiday_calendar_on():
    rule = WorkingDaysBefore(2, EVENING)
    now = paris(2026, 4, 4, 12, 0)  # Saturday after the deadline of Friday 3

    assert is_open(rule, date(2026, 4, 8), now=now)
    assert not is_open(rule, date(2026, 4, 8), now=now, is_holiday=holidays(date(2026, 4, 6)))


def test_is_open_refuses_a_naive_now():
    with pytest.raises(ValueError, match="aware"):
        is_open(HoursBefore(48, time(8, 0)), date(2026, 3, 30), now=datetime(2026, 3, 1))


# --- Serialisation --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "data"),
    [
        (
            WorkingDaysBefore(2, EVENING),
            {"kind": "working_days_before", "days": 2, "at": "23:59"},
        ),
        (
            DayOfPreviousMonth(20, time(12, 0)),
            {"kind": "day_of_previous_month", "day_of_month": 20, "at": "12:00"},
        ),
        (
            WeekdayOfPreviousWeek(1, time(18, 0, 30)),
            {"kind": "weekday_of_previous_week", "weekday": 1, "at": "18:00:30"},
        ),
        (
            HoursBefore(48, time(8, 0)),
            {"kind": "hours_before", "hours": 48, "start": "08:00"},
        ),
    ],
)
def test_rule_round_trip(rule, data):
    assert rule.to_dict() == data
    assert rule_from_dict(data) == rule
    assert rule_from_dict(rule.to_dict()) == rule


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "next_full_moon", "days": 2}, "unknown deadline rule kind 'next_full_moon'"),
        ({"days": 2, "at": "23:59"}, "unknown deadline rule kind None"),
        ({"kind": "working_days_before", "days": 2}, r"takes \['at', 'days'\]"),
        (
            {"kind": "working_days_before", "days": 2, "at": "23:59", "extra": 1},
            r"takes \['at', 'days'\]",
        ),
        ({"kind": "working_days_before", "days": 2, "at": "late"}, "at must be a time"),
        ({"kind": "working_days_before", "days": 2, "at": 2359}, "at must be a time"),
        ({"kind": "working_days_before", "days": "2", "at": "23:59"}, "days must be an integer"),
        ({"kind": "working_days_before", "days": True, "at": "23:59"}, "days must be an integer"),
        ({"kind": "hours_before", "hours": -1, "start": "08:00"}, "hours must be >= 0"),
        ({"kind": "day_of_previous_month", "day_of_month": 32, "at": "12:00"}, "between 1 and 31"),
        ({"kind": "weekday_of_previous_week", "weekday": 7, "at": "12:00"}, "between 0 and 6"),
        (["working_days_before", 2], "must be a mapping"),
    ],
)
def test_rule_from_dict_rejects_bad_data(data, message):
    with pytest.raises(ValueError, match=message):
        rule_from_dict(data)


def test_unknown_kind_message_lists_the_known_kinds():
    with pytest.raises(ValueError) as excinfo:
        rule_from_dict({"kind": "nope"})

    assert "day_of_previous_month, hours_before, weekday_of_previous_week" in str(excinfo.value)
    assert "working_days_before" in str(excinfo.value)


def test_rules_are_frozen_and_reject_aware_times():
    rule = WorkingDaysBefore(2, EVENING)

    with pytest.raises(AttributeError):
        rule.days = 3  # type: ignore[misc]
    with pytest.raises(ValueError, match="naive local time"):
        WorkingDaysBefore(2, time(23, 59, tzinfo=UTC))
