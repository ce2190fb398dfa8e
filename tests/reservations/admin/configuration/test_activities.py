"""« Activités »: an activity with its units and groups, its opening days generated."""

import datetime

import pytest

from reservations.models import (
    Activity,
    Slot,
    Unit,
)
from tests import factories

from .helpers import admin_url, form_errors, messages_of

pytestmark = pytest.mark.django_db


def activity_post(school_year, facility, *, units, groups, **fields):
    data = {
        "school_year": school_year.pk,
        "facility": facility.pk,
        "name": "2026/2027 - ALAE Soir",
        "description": "Après la classe.",
        "is_published": "on",
        "sort_order": "0",
        "start_date": "2026-09-01",
        "end_date": "2027-07-02",
        "weekdays": ["0", "1", "3", "4"],
        "calendar": "school_days",
        "period": "",
        "registration_opens_at": "",
        "registration_closes_at": "",
        "registration_validation": "automatic",
        "booking_opens_at": "",
        "booking_closes_at": "",
        "rule": "",
        "booking_validation": "staff",
        "cancellation_validation": "automatic",
        "waiting_list": "on",
        "offer_hours": "24",
    }
    data.update(fields)
    for prefix, rows in (("units", units), ("groups", groups)):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": str(len(rows)),
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
        for index, row in enumerate(rows):
            data[f"{prefix}-{index}-id"] = ""
            data[f"{prefix}-{index}-DELETE"] = ""
            data.update({f"{prefix}-{index}-{key}": value for key, value in row.items()})
    return data


UNITS = [
    {
        "name": "Accueil soir 1",
        "start_time": "16:30",
        "end_time": "17:30",
        "price_code": "SOIR1",
        "price": "1.50",
        "sort_order": "0",
    },
    {
        "name": "Accueil soir 2",
        "start_time": "17:30",
        "end_time": "18:30",
        "price_code": "SOIR2",
        "price": "1.50",
        "sort_order": "1",
    },
]
GROUPS = [
    {
        "name": "Maternel",
        "capacity": "24",
        "school_levels": ["ps", "ms", "gs"],
        "min_age": "",
        "max_age": "",
        "sort_order": "0",
    }
]


@pytest.fixture
def year_with_holidays(db):
    from reservations.services.configuration import school_year_holidays_import

    year = factories.SchoolYearFactory()
    school_year_holidays_import(school_year=year, zone="C")
    return year


def test_create_an_activity_with_units_and_groups_then_generate_its_days(
    enfance, year_with_holidays
):
    facility = factories.FacilityFactory()

    response = enfance.post(
        admin_url("activity", "create"),
        activity_post(year_with_holidays, facility, units=UNITS, groups=GROUPS),
    )

    assert response.status_code == 302, form_errors(response)
    activity = Activity.objects.get(name="2026/2027 - ALAE Soir")
    assert activity.weekdays == [0, 1, 3, 4]
    assert activity.booking_validation == "staff"
    assert [(u.name, u.start_time, str(u.price)) for u in activity.units.all()] == [
        ("Accueil soir 1", datetime.time(16, 30), "1.50"),
        ("Accueil soir 2", datetime.time(17, 30), "1.50"),
    ]
    group = activity.groups.get()
    assert (group.name, group.capacity, group.school_levels) == ("Maternel", 24, ["ps", "ms", "gs"])

    form = enfance.get(admin_url("activity", "edit", activity.pk)).context["form"]
    assert 'value="3" id="id_weekdays_3" checked' in str(form["weekdays"])
    assert 'value="2" id="id_weekdays_2">' in str(form["weekdays"])
    levels = str(form.formsets["groups"].forms[0]["school_levels"])
    assert 'value="ms" id="id_groups-0-school_levels_2" checked' in levels
    generate_url = admin_url("activity", "generate_slots", activity.pk)
    assert generate_url in enfance.get(admin_url("activity")).content.decode()
    assert enfance.get(generate_url).status_code == 200

    response = enfance.post(generate_url)

    level, text = messages_of(response)[0]
    slots = Slot.objects.filter(unit__activity=activity)
    assert level == "success" and str(slots.count()) in text
    days = sorted(set(slots.values_list("day", flat=True)))
    assert {day.weekday() for day in days} == {0, 1, 3, 4}
    assert slots.count() == len(days) * 2  # two units, one group
    assert set(slots.values_list("capacity", flat=True)) == {24}
    # Neither the Toussaint holidays nor 11 November (public holiday) open.
    assert not any(datetime.date(2026, 10, 17) <= day <= datetime.date(2026, 11, 1) for day in days)
    assert datetime.date(2026, 11, 11) not in days and datetime.date(2026, 11, 12) in days
    assert response.url == admin_url("slot") + f"?activity={activity.pk}"

    again = enfance.post(generate_url)
    assert messages_of(again)[0][0] == "success"
    assert Slot.objects.filter(unit__activity=activity).count() == slots.count()


def test_activity_form_shows_the_stored_weekdays_ticked(enfance, world):
    form = enfance.get(admin_url("activity", "edit", world.activity.pk)).context["form"]
    html = str(form["weekdays"])
    assert 'value="2" id="id_weekdays_2" checked' in html
    assert 'value="3" id="id_weekdays_3">' in html


@pytest.mark.parametrize(
    ("fields", "field_in_error"),
    [
        ({"start_date": "2026-08-01"}, "start_date"),
        ({"end_date": "2026-08-31"}, "end_date"),
        ({"weekdays": []}, "weekdays"),
        ({"weekdays": ["7"]}, "weekdays"),
        (
            {"booking_opens_at": "2026-09-10 08:00", "booking_closes_at": "2026-09-01 08:00"},
            "booking_closes_at",
        ),
    ],
)
def test_invalid_activity_is_refused_next_to_the_field(
    enfance, year_with_holidays, fields, field_in_error
):
    response = enfance.post(
        admin_url("activity", "create"),
        activity_post(
            year_with_holidays, factories.FacilityFactory(), units=UNITS, groups=GROUPS, **fields
        ),
    )
    assert response.status_code == 200
    assert field_in_error in form_errors(response)
    assert not Activity.objects.exists() and not Unit.objects.exists()


def test_a_unit_ending_before_it_starts_is_refused_in_its_row(enfance, year_with_holidays):
    units = [{**UNITS[0], "end_time": "16:00"}]
    response = enfance.post(
        admin_url("activity", "create"),
        activity_post(year_with_holidays, factories.FacilityFactory(), units=units, groups=GROUPS),
    )
    assert response.status_code == 200
    assert "end_time" in response.context["form"].formsets["units"].forms[0].errors
    assert not Activity.objects.exists()


def test_generating_without_units_says_why(enfance, year_with_holidays):
    activity = factories.ActivityFactory(school_year=year_with_holidays)
    response = enfance.post(admin_url("activity", "generate_slots", activity.pk))
    assert messages_of(response)[0][0] == "error"
    assert not Slot.objects.exists()


def test_unit_exclusions_are_chosen_among_the_units_of_the_activity(enfance, world):
    morning = factories.UnitFactory(
        activity=world.activity,
        name="Matin",
        start_time=datetime.time(8, 30),
        end_time=datetime.time(12, 0),
    )
    elsewhere = factories.UnitFactory(activity=factories.ActivityFactory(), name="Ailleurs")
    url = admin_url("unit", "edit", world.unit.pk)
    choices = enfance.get(url).context["form"].fields["excludes"].queryset
    assert list(choices) == [morning]
    data = {
        "name": "Journée",
        "start_time": "08:30",
        "end_time": "17:30",
        "includes_meal": "on",
        "price_code": "",
        "price": "12.20",
        "sort_order": "0",
    }

    refused_response = enfance.post(url, {**data, "excludes": [elsewhere.pk]})
    assert "excludes" in form_errors(refused_response)
    assert not world.unit.excludes.exists()

    response = enfance.post(url, {**data, "excludes": [morning.pk]})

    assert response.status_code == 302, form_errors(response)
    assert list(world.unit.excludes.all()) == [morning]
    assert list(morning.excludes.all()) == [world.unit]  # both ways
    listing = enfance.get(admin_url("unit"), {"activity": world.activity.pk}).content.decode()
    assert "Matin" in listing and "Ailleurs" not in listing
