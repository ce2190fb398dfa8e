"""Periodic booking (every / odd / even ISO week) and the days an activity opens (school
days or holidays of zone C, public holidays, closures)."""

import datetime

import pytest

from reservations.choices import ActivityCalendar, WeekParity
from reservations.errors import ReservationError
from reservations.models import BasketItem, CalendarSettings, Closure, Period, Slot
from reservations.opening import commune_holiday_check, holiday_check, opening_days
from reservations.periodic import periodic_days
from reservations.services import basket as basket_services
from reservations.services import configuration
from tests import factories

from ..conftest import NOW, WEDNESDAY, make_world

date = datetime.date
WEEKDAYS = [0, 1, 2, 3, 4]


def wednesdays(parity, start=None, end=None):
    """Wednesdays from 1 December 2026 to 31 January 2027 unless told otherwise."""
    return periodic_days(
        start=start or date(2026, 12, 1),
        end=end or date(2027, 1, 31),
        weekdays={2},
        parity=parity,
    )


# --- periodic_days across the 2026/2027 new year ------------------------------------------


def test_2026_has_53_iso_weeks_so_week_53_is_followed_by_week_1():
    assert date(2026, 12, 28).isocalendar() == (2026, 53, 1)
    assert date(2027, 1, 3).isocalendar() == (2026, 53, 7)
    assert date(2027, 1, 4).isocalendar() == (2027, 1, 1)


def test_every_week_takes_each_chosen_weekday_bounds_included():
    days = wednesdays(WeekParity.EVERY, start=date(2026, 12, 2), end=date(2027, 1, 27))

    assert days[0] == date(2026, 12, 2) and days[-1] == date(2027, 1, 27)
    assert days == [date(2026, 12, 2) + datetime.timedelta(weeks=n) for n in range(9)]


def test_odd_weeks_take_iso_week_53_and_week_1_back_to_back_across_new_year_2027():
    assert wednesdays(WeekParity.ODD) == [
        date(2026, 12, 2),  # week 49
        date(2026, 12, 16),  # week 51
        date(2026, 12, 30),  # week 53
        date(2027, 1, 6),  # week 1: the very next week, not a fortnight later
        date(2027, 1, 20),  # week 3
    ]


def test_even_weeks_skip_three_weeks_across_new_year_2027_after_iso_week_53():
    assert wednesdays(WeekParity.EVEN) == [
        date(2026, 12, 9),  # week 50
        date(2026, 12, 23),  # week 52
        date(2027, 1, 13),  # week 2: weeks 53 and 1 are both odd
        date(2027, 1, 27),  # week 4
    ]


def test_odd_and_even_weeks_split_every_week_without_overlap():
    odd, even = set(wednesdays(WeekParity.ODD)), set(wednesdays(WeekParity.EVEN))

    assert not odd & even
    assert sorted(odd | even) == wednesdays(WeekParity.EVERY)


def test_several_weekdays_in_odd_weeks_keep_whole_weeks_together():
    days = periodic_days(
        start=date(2026, 12, 28), end=date(2027, 1, 17), weekdays={0, 2}, parity=WeekParity.ODD
    )

    # Weeks 53 and 1 are odd, week 2 is not.
    assert days == [date(2026, 12, 28), date(2026, 12, 30), date(2027, 1, 4), date(2027, 1, 6)]


# --- basket_add_periodic ------------------------------------------------------------------


def add_periodic(world, *, start, end, parity="every", child_ids=None, unit_ids=None, family=None):
    return basket_services.basket_add_periodic(
        family=family or world.family,
        child_ids=child_ids or [world.child.pk],
        unit_ids=unit_ids or [world.unit.pk],
        start=start,
        end=end,
        weekdays=[2],
        parity=parity,
        user=world.guardian.user,
        now=NOW,
    )


def test_periodic_booking_skips_closed_days_silently_and_explains_the_others(world):
    # Wednesdays from 4 November to 16 December 2026, at NOW (Monday 23 November).
    Slot.objects.filter(unit=world.unit, day=date(2026, 12, 2)).update(is_closed=True)
    book_day = WEDNESDAY  # already booked
    basket_services.basket_add_bookings(
        family=world.family,
        child_id=world.child.pk,
        unit_id=world.unit.pk,
        days=[book_day],
        user=world.guardian.user,
        now=NOW,
    )
    basket_services.basket_submit(family=world.family, user=world.guardian.user, now=NOW)

    added, refused = add_periodic(world, start=date(2026, 11, 4), end=date(2026, 12, 16))

    assert added == 2
    assert set(BasketItem.objects.values_list("day", flat=True)) == {
        date(2026, 12, 9),
        date(2026, 12, 16),
    }
    # 11 November (public holiday) and 2 December (closed) are not mentioned; past days and
    # the day already booked are, each with its reason.
    label = f"{world.child.first_name} – {world.unit.name} – "
    assert set(refused) == {f"{label}04/11/2026", f"{label}18/11/2026", f"{label}25/11/2026"}
    assert all(refused.values())


def test_periodic_booking_on_a_school_days_activity_skips_the_christmas_holidays(db):
    school_year = factories.SchoolYearFactory()
    configuration.school_year_holidays_import(school_year=school_year, zone="C")
    world = make_world(calendar=ActivityCalendar.SCHOOL_DAYS)

    added, refused = add_periodic(world, start=date(2026, 12, 1), end=date(2027, 1, 31))

    assert refused == {}
    assert added == 7
    days = set(BasketItem.objects.values_list("day", flat=True))
    assert not days & {date(2026, 12, 23), date(2026, 12, 30)}


def test_periodic_booking_for_two_children_and_two_units_in_odd_weeks(world):
    family, guardian, children = world.add_family(children=2)
    snack = factories.UnitFactory(
        activity=world.activity,
        name="Goûter",
        start_time=datetime.time(16, 0),
        end_time=datetime.time(16, 30),
    )
    configuration.activity_slots_generate(activity_id=world.activity.pk)

    added, refused = add_periodic(
        world,
        family=family,
        child_ids=[child.pk for child in children],
        unit_ids=[world.unit.pk, snack.pk],
        start=date(2026, 12, 1),
        end=date(2027, 1, 31),
        parity="odd",
    )

    # Odd-week Wednesdays: 2, 16, 30 December, 6 and 20 January; all open.
    assert refused == {}
    assert added == 2 * 2 * 5
    assert BasketItem.objects.filter(family=family, day=date(2026, 12, 30)).count() == 4
    assert BasketItem.objects.filter(family=family, day=date(2027, 1, 6)).count() == 4


def test_periodic_booking_on_a_unit_the_child_is_not_registered_to_says_so(world):
    elsewhere = make_world()

    added, refused = add_periodic(
        world, unit_ids=[elsewhere.unit.pk], start=date(2026, 12, 1), end=date(2026, 12, 31)
    )

    assert added == 0
    assert list(refused) == [f"{world.child.first_name} – {elsewhere.unit.name}"]
    assert not BasketItem.objects.exists()


# --- Opening days: the pure rule ----------------------------------------------------------


def test_school_days_and_holidays_split_the_open_weekdays():
    common = {
        "start": date(2026, 10, 1),
        "end": date(2026, 11, 30),
        "weekdays": WEEKDAYS,
        "school_holidays": [(date(2026, 10, 17), date(2026, 11, 1))],
        "closures": [(date(2026, 11, 20), date(2026, 11, 20))],
        "is_holiday": holiday_check(),
    }
    every = opening_days(calendar=ActivityCalendar.ALL_DAYS, **common)
    school = opening_days(calendar=ActivityCalendar.SCHOOL_DAYS, **common)
    holidays = opening_days(calendar=ActivityCalendar.HOLIDAYS, **common)

    assert not set(school) & set(holidays)
    assert sorted(school + holidays) == every
    assert holidays[0] == date(2026, 10, 19) and holidays[-1] == date(2026, 10, 30)
    for closed in (date(2026, 11, 11), date(2026, 11, 20)):  # Armistice, closure
        assert closed not in every


# --- Opening days of an activity: slots generated -----------------------------------------


def open_days(activity):
    return set(Slot.objects.filter(unit__activity=activity).values_list("day", flat=True))


@pytest.fixture
def zone_c_year(db):
    school_year = factories.SchoolYearFactory()
    assert configuration.school_year_holidays_import(school_year=school_year, zone="C") == 5
    return school_year


def generate(**fields):
    activity = factories.ActivityFactory(**fields)
    factories.UnitFactory(activity=activity)
    factories.GroupFactory(activity=activity)
    configuration.activity_slots_generate(activity_id=activity.pk)
    return activity


def test_a_school_days_activity_is_closed_during_zone_c_holidays(zone_c_year):
    activity = generate(calendar=ActivityCalendar.SCHOOL_DAYS)
    days = open_days(activity)

    closed = {
        date(2026, 10, 21),  # Toussaint
        date(2026, 10, 28),
        date(2026, 11, 11),  # Armistice
        date(2026, 12, 23),  # Noël
        date(2026, 12, 30),
        date(2027, 2, 10),  # Hiver, zone C (6-21 February)
        date(2027, 2, 17),
        date(2027, 4, 7),  # Printemps, zone C (3-18 April)
        date(2027, 4, 14),
    }
    opened = {
        date(2026, 10, 14),
        date(2026, 11, 4),
        date(2027, 1, 6),
        date(2027, 2, 3),
        date(2027, 2, 24),  # zone A is on holiday, zone C is not
        date(2027, 3, 31),
        date(2027, 4, 21),  # zone B is on holiday, zone C is not
    }
    assert not days & closed
    assert opened <= days


def test_a_school_days_activity_is_closed_over_the_ascension_bridge_2027(zone_c_year):
    activity = generate(
        calendar=ActivityCalendar.SCHOOL_DAYS,
        weekdays=WEEKDAYS,
        start_date=date(2027, 5, 3),
        end_date=date(2027, 5, 14),
    )

    assert sorted(open_days(activity)) == [
        date(2027, 5, 3),
        date(2027, 5, 4),
        date(2027, 5, 5),
        # Thursday 6 (Ascension) and Friday 7 (the bridge) are closed.
        date(2027, 5, 10),
        date(2027, 5, 11),
        date(2027, 5, 12),
        date(2027, 5, 13),
        date(2027, 5, 14),
    ]


def test_a_holidays_activity_opens_only_during_school_holidays(zone_c_year):
    activity = generate(
        calendar=ActivityCalendar.HOLIDAYS,
        weekdays=WEEKDAYS,
        start_date=date(2026, 10, 1),
        end_date=date(2026, 11, 30),
    )

    monday = date(2026, 10, 19)
    assert sorted(open_days(activity)) == [
        monday + datetime.timedelta(days=offset) for offset in (0, 1, 2, 3, 4, 7, 8, 9, 10, 11)
    ]


def test_a_holidays_activity_tied_to_a_period_opens_only_during_that_period(zone_c_year):
    winter = Period.objects.get(school_year=zone_c_year, name="Hiver")
    activity = generate(calendar=ActivityCalendar.HOLIDAYS, weekdays=WEEKDAYS, period=winter)

    assert (winter.start_date, winter.end_date) == (date(2027, 2, 6), date(2027, 2, 21))
    assert sorted(open_days(activity)) == [
        date(2027, 2, 8) + datetime.timedelta(days=offset)
        for offset in (0, 1, 2, 3, 4, 7, 8, 9, 10, 11)
    ]


def test_a_holidays_activity_needs_the_school_holidays_first(db):
    activity = factories.ActivityFactory(calendar=ActivityCalendar.HOLIDAYS)
    factories.UnitFactory(activity=activity)
    factories.GroupFactory(activity=activity)

    with pytest.raises(ReservationError):
        configuration.activity_slots_generate(activity_id=activity.pk)

    assert not Slot.objects.exists()


def test_public_holidays_of_spring_2027_open_no_day(db):
    activity = generate(
        weekdays=[0, 1, 2, 3, 4, 5], start_date=date(2027, 3, 22), end_date=date(2027, 5, 22)
    )
    days = open_days(activity)

    holidays = {
        date(2027, 3, 29),  # Easter Monday
        date(2027, 5, 1),  # Labour Day, a Saturday
        date(2027, 5, 6),  # Ascension Thursday
        date(2027, 5, 8),  # Victory in Europe Day, a Saturday
        date(2027, 5, 17),  # Whit Monday
    }
    neighbours = {
        date(2027, 3, 26),  # Good Friday is not a holiday outside Alsace-Moselle
        date(2027, 3, 30),
        date(2027, 4, 30),
        date(2027, 5, 7),
        date(2027, 5, 15),
        date(2027, 5, 18),
    }
    assert not days & holidays
    assert neighbours <= days


def test_alsace_moselle_communes_also_close_on_good_friday(db):
    calendar_settings = CalendarSettings.load()
    calendar_settings.alsace_moselle = True
    calendar_settings.save()

    activity = generate(weekdays=WEEKDAYS, start_date=date(2027, 3, 22), end_date=date(2027, 3, 31))

    assert date(2027, 3, 26) not in open_days(activity)
    assert date(2027, 3, 25) in open_days(activity)


def test_the_holiday_setting_is_read_once_until_saved_again(db, django_assert_num_queries):
    CalendarSettings.load()  # the commune's row, as the first save makes it
    commune_holiday_check()
    with django_assert_num_queries(0):
        assert not commune_holiday_check()(date(2027, 3, 26))

    calendar_settings = CalendarSettings.load()
    calendar_settings.alsace_moselle = True
    calendar_settings.save()

    # Saving purges: Good Friday is a holiday at once.
    assert commune_holiday_check()(date(2027, 3, 26))


def test_closures_apply_to_everyone_the_facility_or_the_activity_only(db):
    facility = factories.FacilityFactory()
    elsewhere = factories.FacilityFactory(name="Restaurant scolaire Jules-Ferry")
    sibling = factories.ActivityFactory(facility=facility)
    shape = {"weekdays": WEEKDAYS, "start_date": date(2026, 11, 2), "end_date": date(2026, 11, 27)}
    activity = factories.ActivityFactory(facility=facility, **shape)

    def close(day, **scope):
        Closure.objects.create(start_date=day, end_date=day, reason="Fermeture", **scope)

    close(date(2026, 11, 3))  # every facility
    close(date(2026, 11, 16), facility=facility)
    close(date(2026, 11, 20), facility=facility, activity=activity)
    close(date(2026, 11, 24), facility=elsewhere)
    close(date(2026, 11, 26), facility=facility, activity=sibling)
    factories.UnitFactory(activity=activity)
    factories.GroupFactory(activity=activity)
    configuration.activity_slots_generate(activity_id=activity.pk)
    days = open_days(activity)

    assert not days & {date(2026, 11, 3), date(2026, 11, 16), date(2026, 11, 20)}
    assert {date(2026, 11, 24), date(2026, 11, 26)} <= days
    assert len(days) == 20 - 1 - 3  # weekdays, minus Armistice, minus three closures


def test_generating_again_keeps_existing_days_and_their_bookings(world):
    basket_services.basket_add_bookings(
        family=world.family,
        child_id=world.child.pk,
        unit_id=world.unit.pk,
        days=[WEDNESDAY],
        user=world.guardian.user,
        now=NOW,
    )
    basket_services.basket_submit(family=world.family, user=world.guardian.user, now=NOW)

    assert configuration.activity_slots_generate(activity_id=world.activity.pk) == 0
    assert world.slot().booked == 1
