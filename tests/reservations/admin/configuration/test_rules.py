"""« Règles de délai »: deadlines stored as entered, said in words, refused when wrong."""

import datetime

import pytest
from django.utils import translation
from django.utils.html import escape

from reservations import deadlines
from reservations.admin.config_forms import describe, describe_stored
from reservations.models import (
    ReservationRule,
)

from .helpers import admin_url, form_errors

pytestmark = pytest.mark.django_db


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
