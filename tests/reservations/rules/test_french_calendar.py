from datetime import date, timedelta
from itertools import combinations

import pytest

from reservations.french_calendar import (
    SCHOOL_HOLIDAYS,
    ZONES,
    easter_sunday,
    is_public_holiday,
    is_school_holiday,
    public_holidays,
    school_holidays,
)


@pytest.mark.parametrize(
    "easter",
    [
        date(2000, 4, 23),
        date(2019, 4, 21),
        date(2024, 3, 31),
        date(2025, 4, 20),
        date(2026, 4, 5),
        date(2027, 3, 28),
        date(2038, 4, 25),
    ],
)
def test_easter_sunday(easter):
    assert easter_sunday(easter.year) == easter


def test_public_holidays_2026():
    assert list(public_holidays(2026)) == [
        date(2026, 1, 1),
        date(2026, 4, 6),
        date(2026, 5, 1),
        date(2026, 5, 8),
        date(2026, 5, 14),
        date(2026, 5, 25),
        date(2026, 7, 14),
        date(2026, 8, 15),
        date(2026, 11, 1),
        date(2026, 11, 11),
        date(2026, 12, 25),
    ]
    assert public_holidays(2026)[date(2026, 5, 14)] == "Ascension"


def test_alsace_moselle_adds_good_friday_and_saint_stephen():
    local = public_holidays(2026, alsace_moselle=True)
    extra = set(local) - set(public_holidays(2026))
    assert extra == {date(2026, 4, 3), date(2026, 12, 26)}
    assert len(local) == 13


@pytest.mark.parametrize("year", [2024, 2025, 2026, 2027, 2038])
def test_ascension_and_whit_monday_follow_easter(year):
    names = {name: day for day, name in public_holidays(year).items()}
    easter = easter_sunday(year)
    assert names["Lundi de Pâques"] == easter + timedelta(days=1)
    assert names["Ascension"] == easter + timedelta(days=39)
    assert names["Ascension"].weekday() == 3  # a Thursday
    assert names["Lundi de Pentecôte"] == easter + timedelta(days=50)
    assert names["Lundi de Pentecôte"].weekday() == 0


def test_returned_dict_is_a_copy():
    public_holidays(2026).clear()
    assert len(public_holidays(2026)) == 11


def test_is_public_holiday():
    assert is_public_holiday(date(2026, 7, 14))
    assert is_public_holiday(date(2027, 3, 29))  # Easter Monday 2027
    assert not is_public_holiday(date(2026, 7, 15))
    assert not is_public_holiday(date(2026, 12, 26))
    assert is_public_holiday(date(2026, 12, 26), alsace_moselle=True)
    assert is_public_holiday(date(2026, 4, 3), alsace_moselle=True)


ALL_PERIODS = [p for periods in SCHOOL_HOLIDAYS.values() for p in periods]


@pytest.mark.parametrize("period", ALL_PERIODS, ids=repr)
def test_each_period_is_well_formed(period):
    assert period.zone in ZONES
    assert period.first_day <= period.last_day


@pytest.mark.parametrize("school_year", list(SCHOOL_HOLIDAYS))
def test_winter_holidays_differ_between_zones(school_year):
    winter = {p.zone: p.first_day for p in SCHOOL_HOLIDAYS[school_year] if p.name == "Hiver"}
    assert sorted(winter) == list(ZONES)
    assert len(set(winter.values())) == 3


@pytest.mark.parametrize("school_year", list(SCHOOL_HOLIDAYS))
@pytest.mark.parametrize("name", ["Toussaint", "Noël"])
def test_toussaint_and_christmas_are_common(school_year, name):
    periods = [p for p in SCHOOL_HOLIDAYS[school_year] if p.name == name]
    assert sorted(p.zone for p in periods) == list(ZONES)
    assert len({(p.first_day, p.last_day) for p in periods}) == 1


@pytest.mark.parametrize("school_year", list(SCHOOL_HOLIDAYS))
@pytest.mark.parametrize("zone", ZONES)
def test_periods_of_a_year_do_not_overlap(school_year, zone):
    periods = [p for p in SCHOOL_HOLIDAYS[school_year] if p.zone == zone]
    for first, second in combinations(periods, 2):
        assert first.last_day < second.first_day or second.last_day < first.first_day


def test_toussaint_2025_follows_the_convention():
    # "Fin des cours samedi 18 octobre, reprise lundi 3 novembre 2025".
    (toussaint,) = school_holidays("A", start=date(2025, 10, 20), end=date(2025, 10, 20))
    assert toussaint.name == "Toussaint"
    assert toussaint.first_day == date(2025, 10, 18)
    assert toussaint.last_day == date(2025, 11, 2)


def test_school_holidays_in_a_range_are_sorted_and_clipped_by_overlap():
    periods = school_holidays("B", start=date(2026, 2, 1), end=date(2026, 4, 30))
    assert [p.name for p in periods] == ["Hiver", "Printemps"]
    assert periods[0].first_day == date(2026, 2, 14)


def test_is_school_holiday_inside_and_outside():
    day = date(2026, 2, 10)  # zone A winter only
    assert is_school_holiday(day, "A")
    assert not is_school_holiday(day, "B")
    assert not is_school_holiday(day, "C")
    assert is_school_holiday(date(2026, 11, 1), "C")  # last day of Toussaint 2026
    assert not is_school_holiday(date(2026, 11, 2), "C")  # reprise des cours
    assert not is_school_holiday(date(2030, 2, 10), "A")  # unknown year


def test_unknown_zone_is_refused():
    with pytest.raises(ValueError):
        is_school_holiday(date(2026, 2, 10), "D")
