"""« Années scolaires »: a school year and its holidays imported for the zone."""

import datetime

import pytest

from reservations.models import (
    CalendarSettings,
    Period,
    SchoolYear,
)
from tests import factories

from .helpers import admin_url, form_errors, messages_of

pytestmark = pytest.mark.django_db


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
