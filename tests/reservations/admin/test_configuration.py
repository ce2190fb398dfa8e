"""The staff screens « Activités et calendrier »: school years and holidays, deadline rules,
activities with units and groups, opening days, occupancy and collective cancellation."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from cms.staff_groups import COMMUNICATION, ENFANCE
from portal_features.models import Notification
from reservations import deadlines
from reservations.admin.config_forms import describe, describe_stored
from reservations.choices import AlertKind
from reservations.choices import ReservationStatus as S
from reservations.models import (
    Activity,
    CalendarSettings,
    Period,
    Reservation,
    ReservationRule,
    SchoolYear,
    Slot,
    Unit,
)
from reservations.services import basket as basket_services
from reservations.services import booking
from reservations.services.configuration import activity_slots_generate
from tests import factories
from tests.portal_features.signup.test_admin import refused, staff_in

from ..conftest import NOW, WEDNESDAY, make_world

pytestmark = pytest.mark.django_db

OCCUPANCY = "reservations_occupancy"
CANCELLATION = "reservations_day_cancel"


def admin_url(model, action="index", *args):
    return reverse(f"reservations_{model}_modeladmin_{action}", args=args)


def messages_of(response):
    return [(message.level_tag, str(message)) for message in get_messages(response.wsgi_request)]


def form_errors(response):
    return response.context["form"].errors if response.context else {}


@pytest.fixture
def enfance(client):
    client.force_login(staff_in(ENFANCE))
    return client


def book(world, family, child, guardian, day=WEDNESDAY, unit=None):
    basket_services.basket_add_bookings(
        family=family,
        child_id=child.pk,
        unit_id=(unit or world.unit).pk,
        days=[day],
        user=guardian.user,
        now=NOW,
    )
    return basket_services.basket_submit(family=family, user=guardian.user, now=NOW)


# --- Who may use the screens -----------------------------------------------------------

SCREENS = [
    ("activity", "index"),
    ("activity", "create"),
    ("slot", "index"),
    ("unit", "index"),
    ("reservationrule", "index"),
    ("reservationrule", "create"),
    ("schoolyear", "index"),
    ("schoolyear", "create"),
    ("period", "index"),
    ("closure", "index"),
    ("facility", "index"),
]


def screen_urls():
    return [admin_url(model, action) for model, action in SCREENS] + [
        reverse(OCCUPANCY),
        reverse(CANCELLATION),
    ]


def test_enfance_staff_see_every_screen_and_the_menu(enfance, world):
    for url in screen_urls():
        response = enfance.get(url)
        assert response.status_code == 200, url
    home = enfance.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse(OCCUPANCY) in home and reverse(CANCELLATION) in home
    assert admin_url("activity") in home


def test_staff_without_the_permissions_are_refused(client, world):
    client.force_login(staff_in(COMMUNICATION))
    slot = world.slot()
    urls = [
        *screen_urls(),
        admin_url("slot", "edit", slot.pk),
        admin_url("activity", "generate_slots", world.activity.pk),
        admin_url("schoolyear", "import_holidays", world.activity.school_year_id),
    ]
    for url in urls:
        assert refused(client.get(url)), url
    assert refused(client.post(admin_url("activity", "generate_slots", world.activity.pk)))
    assert refused(
        client.post(
            reverse(CANCELLATION),
            {"day": "2026-11-25", "reason": "Grève", "activity": world.activity.pk, "confirm": "1"},
        )
    )
    assert Reservation.objects.filter(status=S.CANCELLED).count() == 0


def test_a_user_without_admin_access_goes_to_the_login(client, world):
    client.force_login(factories.UserFactory())
    for url in screen_urls():
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("wagtailadmin_login")), url


# --- School years and holidays -------------------------------------------------------


def test_create_a_school_year_and_import_its_holidays(enfance):
    response = enfance.post(
        admin_url("schoolyear", "create"),
        {"name": "2026-2027", "start_date": "2026-09-01", "end_date": "2027-08-31"},
    )
    assert response.status_code == 302, form_errors(response)
    year = SchoolYear.objects.get(name="2026-2027")
    import_url = admin_url("schoolyear", "import_holidays", year.pk)
    assert enfance.get(import_url).status_code == 200
    assert import_url in enfance.get(admin_url("schoolyear")).content.decode()

    response = enfance.post(import_url)

    assert messages_of(response)[0][0] == "success" and "5" in messages_of(response)[0][1]
    periods = {p.name: (p.start_date, p.end_date) for p in Period.objects.filter(school_year=year)}
    # Zone C (the default setting): the official dates shipped with the app.
    assert periods == {
        "Toussaint": (datetime.date(2026, 10, 17), datetime.date(2026, 11, 1)),
        "Noël": (datetime.date(2026, 12, 19), datetime.date(2027, 1, 3)),
        "Hiver": (datetime.date(2027, 2, 6), datetime.date(2027, 2, 21)),
        "Printemps": (datetime.date(2027, 4, 3), datetime.date(2027, 4, 18)),
        "Pont de l'Ascension": (datetime.date(2027, 5, 6), datetime.date(2027, 5, 9)),
    }
    assert response.url == admin_url("period") + f"?school_year={year.pk}"
    listing = enfance.get(response.url).content.decode()
    assert "Toussaint" in listing and "Printemps" in listing

    again = enfance.post(import_url)
    assert Period.objects.filter(school_year=year).count() == 5
    assert messages_of(again)[0][0] == "success"


def test_holidays_follow_the_zone_of_the_calendar_settings(enfance):
    settings = CalendarSettings.load()
    settings.school_holiday_zone = "A"
    settings.save()
    year = factories.SchoolYearFactory()

    enfance.post(admin_url("schoolyear", "import_holidays", year.pk))

    winter = Period.objects.get(school_year=year, name="Hiver")
    assert (winter.start_date, winter.end_date) == (
        datetime.date(2027, 2, 13),
        datetime.date(2027, 2, 28),
    )


def test_school_year_dates_out_of_order_are_refused_next_to_the_field(enfance):
    response = enfance.post(
        admin_url("schoolyear", "create"),
        {"name": "2026-2027", "start_date": "2027-08-31", "end_date": "2026-09-01"},
    )
    assert response.status_code == 200
    assert list(form_errors(response)) == ["end_date"]
    assert not SchoolYear.objects.exists()


# --- Deadline rules -----------------------------------------------------------------

RULE_CASES = [
    pytest.param(
        {"kind": "working_days_before", "number": "2", "time": "23:59"},
        {"kind": "working_days_before", "days": 2, "at": "23:59"},
        id="working-days",
    ),
    pytest.param(
        {"kind": "day_of_previous_month", "number": "20", "time": "12:00"},
        {"kind": "day_of_previous_month", "day_of_month": 20, "at": "12:00"},
        id="day-of-previous-month",
    ),
    pytest.param(
        {"kind": "weekday_of_previous_week", "weekday": "1", "time": "18:00"},
        {"kind": "weekday_of_previous_week", "weekday": 1, "at": "18:00"},
        id="weekday-of-previous-week",
    ),
    pytest.param(
        {"kind": "hours_before", "number": "48", "time": "08:30"},
        {"kind": "hours_before", "hours": 48, "start": "08:30"},
        id="hours-before",
    ),
]


def rule_post(name="Mercredis", booking=None, cancellation=None, hours="48"):
    data = {"name": name, "absence_justification_hours": hours}
    for prefix, fields in (("booking", booking or {}), ("cancellation", cancellation or {})):
        for field in ("kind", "number", "weekday", "time"):
            data[f"{prefix}_{field}"] = fields.get(field, "")
    return data


@pytest.mark.parametrize(("fields", "stored"), RULE_CASES)
def test_deadline_rule_round_trip(enfance, fields, stored):
    response = enfance.post(
        admin_url("reservationrule", "create"),
        rule_post(booking=fields, cancellation=fields),
    )
    assert response.status_code == 302, form_errors(response)
    rule = ReservationRule.objects.get()
    assert rule.booking_deadline == stored
    assert rule.cancellation_deadline == stored
    assert rule.booking_rule() == deadlines.rule_from_dict(stored)

    form = enfance.get(admin_url("reservationrule", "edit", rule.pk)).context["form"]
    for prefix in ("booking", "cancellation"):
        bound = {
            field: form[f"{prefix}_{field}"].value() for field in ("kind", "number", "weekday")
        }
        assert bound["kind"] == fields["kind"]
        assert str(bound["number"] or "") == fields.get("number", "")
        assert str("" if bound["weekday"] is None else bound["weekday"]) == fields.get(
            "weekday", ""
        )
        assert f"{form[f'{prefix}_time'].value():%H:%M}" == fields["time"]

    # Saved again unchanged, the rule stays the same.
    enfance.post(
        admin_url("reservationrule", "edit", rule.pk),
        rule_post(booking=fields, cancellation=fields),
    )
    rule.refresh_from_db()
    assert rule.booking_deadline == stored

    listing = enfance.get(admin_url("reservationrule")).content.decode()
    assert escape(describe_stored(stored)) in listing


def test_deadline_rule_without_deadlines_and_cancellation_like_booking(enfance):
    response = enfance.post(
        admin_url("reservationrule", "create"),
        rule_post(booking={"kind": "working_days_before", "number": "0", "time": "08:00"}),
    )
    assert response.status_code == 302, form_errors(response)
    rule = ReservationRule.objects.get()
    assert rule.booking_deadline == {"kind": "working_days_before", "days": 0, "at": "08:00"}
    assert rule.cancellation_deadline == {}
    assert rule.cancellation_rule() == rule.booking_rule()

    enfance.post(admin_url("reservationrule", "edit", rule.pk), rule_post())
    rule.refresh_from_db()
    assert rule.booking_deadline == {} and rule.booking_rule() is None


@pytest.mark.parametrize(
    ("booking", "field_in_error"),
    [
        ({"kind": "working_days_before", "time": "23:59"}, "booking_number"),
        ({"kind": "working_days_before", "number": "2"}, "booking_time"),
        ({"kind": "day_of_previous_month", "number": "32", "time": "12:00"}, "booking_number"),
        ({"kind": "day_of_previous_month", "number": "0", "time": "12:00"}, "booking_number"),
        ({"kind": "weekday_of_previous_week", "time": "12:00"}, "booking_weekday"),
        ({"kind": "weekday_of_previous_week", "weekday": "9", "time": "12:00"}, "booking_weekday"),
        ({"kind": "hours_before", "number": "-1", "time": "08:30"}, "booking_number"),
        ({"kind": "hours_before", "number": "48", "time": "25:00"}, "booking_time"),
        ({"kind": "every_full_moon", "number": "1", "time": "08:30"}, "booking_kind"),
    ],
)
def test_invalid_deadline_rule_is_refused_next_to_the_field(enfance, booking, field_in_error):
    response = enfance.post(admin_url("reservationrule", "create"), rule_post(booking=booking))
    assert response.status_code == 200
    assert list(form_errors(response)) == [field_in_error]
    assert not ReservationRule.objects.exists()


def test_describe_says_each_rule_in_words():
    with translation.override("en"):
        assert describe(None) == "No deadline"
        assert (
            describe(deadlines.WorkingDaysBefore(2, datetime.time(23, 59)))
            == "2 working days before at 23:59"
        )
        assert (
            describe(deadlines.WorkingDaysBefore(1, datetime.time(23, 59)))
            == "1 working day before at 23:59"
        )
        assert (
            describe(deadlines.WorkingDaysBefore(0, datetime.time(8, 0)))
            == "The day itself at 08:00"
        )
        assert (
            describe(deadlines.DayOfPreviousMonth(20, datetime.time(12, 0)))
            == "Until day 20 of the previous month at 12:00"
        )
        assert (
            describe(deadlines.WeekdayOfPreviousWeek(1, datetime.time(18, 0)))
            == "Tuesday of the previous week at 18:00"
        )
        assert (
            describe(deadlines.HoursBefore(48, datetime.time(8, 30)))
            == "48 hours before 08:30 on the day"
        )
        assert describe_stored({"kind": "nonsense"}) == "Invalid rule: edit it"


# --- Activities, units and groups ---------------------------------------------------------


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


# --- Opening days -----------------------------------------------------------------


def test_opening_days_list_filters_and_counts_the_waiting_list(enfance, world):
    book(world, world.family, world.child, world.guardian)
    for _ in range(2):
        family, guardian, (child,) = world.add_family()
        book(world, family, child, guardian)
    other = make_world()

    def listed(**params):
        response = enfance.get(admin_url("slot"), params)
        assert response.status_code == 200
        return list(response.context["object_list"])

    wednesday = listed(activity=world.activity.pk, day_from="2026-11-25", day_to="2026-11-25")
    assert [(s.pk, s.booked, s.capacity, s.waiting_total) for s in wednesday] == [
        (world.slot().pk, 2, 2, 1)
    ]
    december = listed(activity=world.activity.pk, day_from="2026-12-01", day_to="2026-12-31")
    # The fixture's activity opens every Wednesday, school holidays included.
    assert [s.day.day for s in december] == [2, 9, 16, 23, 30]
    assert {s.unit.activity_id for s in listed(activity=other.activity.pk)} == {other.activity.pk}
    Slot.objects.filter(pk=world.slot().pk).update(is_closed=True, closed_reason="Grève")
    assert [s.pk for s in listed(is_closed__exact="1")] == [world.slot().pk]
    html = enfance.get(admin_url("slot"), {"day_from": "2026-11-25", "day_to": "2026-11-25"})
    assert "2 / 2" in html.content.decode() and "Grève" in html.content.decode()


def test_a_day_capacity_below_the_places_taken_is_refused(enfance, world):
    book(world, world.family, world.child, world.guardian)
    family, guardian, (child,) = world.add_family()
    book(world, family, child, guardian)
    slot = world.slot()
    url = admin_url("slot", "edit", slot.pk)
    assert enfance.get(url).context["form"]["places"].value() == 2

    response = enfance.post(url, {"places": "1", "is_closed": "on", "closed_reason": "Sortie"})

    assert response.status_code == 200
    assert "places" in form_errors(response)
    slot.refresh_from_db()
    assert (slot.capacity, slot.booked, slot.is_closed) == (2, 2, False)


def test_a_day_capacity_and_closing_are_changed(enfance, world):
    book(world, world.family, world.child, world.guardian)
    slot = world.slot()
    url = admin_url("slot", "edit", slot.pk)

    no_reason = enfance.post(url, {"places": "5", "is_closed": "on", "closed_reason": ""})
    assert "closed_reason" in form_errors(no_reason)

    # A booked child: closing here would leave the family booked on a closed day.
    refused_closing = enfance.post(
        url, {"places": "5", "is_closed": "on", "closed_reason": "Travaux"}
    )
    assert refused_closing.status_code == 200
    assert "places" in form_errors(refused_closing)
    slot.refresh_from_db()
    assert (slot.capacity, slot.is_closed) == (2, False)

    response = enfance.post(url, {"places": "5", "closed_reason": ""})
    assert response.status_code == 302, form_errors(response)
    slot.refresh_from_db()
    assert (slot.capacity, slot.booked, slot.is_closed) == (5, 1, False)

    reservation = slot.reservations.get()
    booking.reservation_cancel(
        family=world.family, reservation_id=reservation.pk, user=world.guardian.user, now=NOW
    )
    response = enfance.post(url, {"places": "5", "is_closed": "on", "closed_reason": "Travaux"})
    assert response.status_code == 302, form_errors(response)
    slot.refresh_from_db()
    assert (slot.capacity, slot.booked, slot.is_closed, slot.closed_reason) == (
        5,
        0,
        True,
        "Travaux",
    )
    enfance.post(url, {"places": "5", "closed_reason": "Travaux"})
    slot.refresh_from_db()
    assert (slot.is_closed, slot.closed_reason) == (False, "")


def test_opening_days_cannot_be_created_or_deleted(enfance, world):
    assert refused(enfance.get(admin_url("slot", "create")))
    assert refused(enfance.get(admin_url("slot", "delete", world.slot().pk)))


# --- Occupancy ----------------------------------------------------------------------


def test_occupancy_shows_booked_places_and_waiting_per_group(enfance, world):
    little = factories.GroupFactory(
        activity=world.activity, name="Maternel", capacity=8, sort_order=1
    )
    evening = factories.UnitFactory(
        activity=world.activity,
        name="Soir",
        start_time=datetime.time(17, 30),
        end_time=datetime.time(18, 30),
        sort_order=1,
    )
    activity_slots_generate(activity_id=world.activity.pk)
    book(world, world.family, world.child, world.guardian)
    for _ in range(2):
        family, guardian, (child,) = world.add_family()
        book(world, family, child, guardian)

    response = enfance.get(
        reverse(OCCUPANCY), {"activity": world.activity.pk, "span": "week", "day": "2026-11-26"}
    )

    assert response.status_code == 200
    context = response.context
    assert (context["first"], context["last"]) == (
        datetime.date(2026, 11, 23),
        datetime.date(2026, 11, 29),
    )
    assert [unit.name for unit in context["units"]] == ["Journée", "Soir"]
    (row,) = context["rows"]
    assert row.day == WEDNESDAY
    figures = [
        [(group.name, slot.booked, slot.capacity, slot.waiting) for group, slot in cell]
        for cell in row.cells
    ]
    assert figures == [
        [("Élémentaire", 2, 2, 1), ("Maternel", 0, 8, 0)],
        [("Élémentaire", 0, 2, 0), ("Maternel", 0, 8, 0)],
    ]
    html = response.content.decode()
    assert html.count("data-full") == 1
    assert reverse("reservations_slot_modeladmin_edit", args=[world.slot().pk]) in html
    assert little.name in html and evening.name in html

    month = enfance.get(reverse(OCCUPANCY), {"activity": world.activity.pk, "day": "2026-12-10"})
    assert [row.day.day for row in month.context["rows"]] == [2, 9, 16, 23, 30]
    assert "?activity=" in month.context["next_url"] and "2027-01-01" in month.context["next_url"]


def test_occupancy_queries_do_not_grow_with_the_days(enfance, django_assert_max_num_queries):
    one_day = make_world()  # Wednesdays only: one opening day in a week
    every_day = make_world(weekdays=[0, 1, 2, 3, 4])
    for _ in range(3):
        family, guardian, (child,) = every_day.add_family()
        for day in (datetime.date(2026, 12, 1), datetime.date(2026, 12, 2)):
            book(every_day, family, child, guardian, day=day)
    small = {"activity": one_day.activity.pk, "span": "week", "day": "2026-12-02"}
    large = {"activity": every_day.activity.pk, "span": "month", "day": "2026-12-02"}
    enfance.get(reverse(OCCUPANCY), small)  # warm-up: caches of the admin shell

    with CaptureQueriesContext(connection) as queries:
        response = enfance.get(reverse(OCCUPANCY), small)
    assert len(response.context["rows"]) == 1

    with django_assert_max_num_queries(len(queries)):
        response = enfance.get(reverse(OCCUPANCY), large)
    assert len(response.context["rows"]) >= 20


# --- Collective cancellation -------------------------------------------------------------


def test_collective_cancellation_confirms_then_cancels_closes_and_notifies(enfance, world):
    book(world, world.family, world.child, world.guardian)
    families = [world.family]
    for _ in range(2):
        family, guardian, (child,) = world.add_family()
        book(world, family, child, guardian)
        families.append(family)
    other_day = datetime.date(2026, 12, 2)
    book(world, world.family, world.child, world.guardian, day=other_day)
    data = {"day": "2026-11-25", "reason": "Grève du personnel", "activity": world.activity.pk}

    preview = enfance.post(reverse(CANCELLATION), data)

    assert preview.status_code == 200
    assert preview.context["preview"] == {
        "reservations": 3,
        "families": 3,
        "children": 3,
        "slots_to_close": 1,
    }
    assert Reservation.objects.filter(status=S.CANCELLED).count() == 0
    assert 'name="confirm"' in preview.content.decode()

    response = enfance.post(reverse(CANCELLATION), {**data, "confirm": "1"})

    assert response.status_code == 302
    level, text = messages_of(response)[0]
    assert level == "success" and "3" in text
    cancelled = Reservation.objects.filter(day=WEDNESDAY)
    assert {r.status for r in cancelled} == {S.CANCELLED}
    assert all(r.cancelled_by_commune for r in cancelled)  # never billed
    assert Reservation.objects.get(day=other_day).status == S.ACCEPTED
    slot = world.slot()
    assert (slot.is_closed, slot.closed_reason, slot.booked) == (True, "Grève du personnel", 0)
    notified = Notification.objects.filter(kind=AlertKind.DAY_CANCELLED)
    assert sorted(n.family_id for n in notified) == sorted(f.pk for f in families)


def test_collective_cancellation_for_one_school_keeps_the_day_open(enfance, world):
    book(world, world.family, world.child, world.guardian)
    family, guardian, (child,) = world.add_family()
    child.school = "École Pasteur"
    child.save()
    book(world, family, child, guardian)
    data = {"day": "2026-11-25", "reason": "Sortie scolaire", "school": "École Pasteur"}

    preview = enfance.post(reverse(CANCELLATION), data)
    assert preview.context["preview"]["reservations"] == 1
    assert preview.context["preview"]["slots_to_close"] == 0
    enfance.post(reverse(CANCELLATION), {**data, "confirm": "1"})

    assert Reservation.objects.get(child=child).status == S.CANCELLED
    assert Reservation.objects.get(child=world.child).status == S.ACCEPTED
    assert not world.slot().is_closed
    assert Notification.objects.filter(kind="day_cancelled").get().family == family


@pytest.mark.parametrize(
    "scope",
    [
        {},
        {"activity": "ACTIVITY", "school": "École Jules-Ferry"},
    ],
    ids=["no-scope", "two-scopes"],
)
def test_collective_cancellation_needs_exactly_one_scope_and_a_reason(enfance, world, scope):
    book(world, world.family, world.child, world.guardian)
    scope = {
        key: world.activity.pk if value == "ACTIVITY" else value for key, value in scope.items()
    }

    response = enfance.post(
        reverse(CANCELLATION), {"day": "2026-11-25", "reason": "Grève", "confirm": "1", **scope}
    )
    blank_reason = enfance.post(
        reverse(CANCELLATION),
        {"day": "2026-11-25", "reason": "  ", "activity": world.activity.pk, "confirm": "1"},
    )

    assert response.status_code == 200 and form_errors(response)["__all__"]
    assert "reason" in form_errors(blank_reason)
    assert Reservation.objects.get().status == S.ACCEPTED
    assert not world.slot().is_closed
