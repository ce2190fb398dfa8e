"""Dates checked as a person would: a French message next to the field, nothing sent to
staff, never the name of a database constraint."""

import datetime

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext

from portal_features.models import ChangeRequest
from tests.factories import (
    ChildFactory,
    FamilyFactory,
    GuardianFactory,
    HealthRecordFactory,
    PortalPageFactory,
)

pytestmark = pytest.mark.django_db

TOMORROW = timezone.localdate() + datetime.timedelta(days=1)


def french(msgid, **params):
    with translation.override("fr"):
        return gettext(msgid) % params if params else gettext(msgid)


@pytest.fixture
def portal(home_page):
    return PortalPageFactory(parent=home_page)


@pytest.fixture
def guardian(db):
    return GuardianFactory(family=FamilyFactory())


@pytest.fixture
def child(guardian):
    child = ChildFactory(family=guardian.family, birth_date=datetime.date(2018, 5, 3))
    HealthRecordFactory(child=child)
    return child


@pytest.fixture
def parent(client, guardian):
    client.force_login(guardian.user)
    return client


def field_errors(response, name):
    return [str(error) for error in response.context["form"].errors.get(name, [])]


def assert_refused_next_to_the_field(response, name, message):
    assert response.status_code == 200
    assert field_errors(response, name) == [message]
    assert response.context["form"].non_field_errors() == []
    assert "constraint" not in response.content.decode().lower()
    assert not ChangeRequest.objects.exists()


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (TOMORROW, french("A vaccination date cannot be in the future.")),
        (
            datetime.date(2018, 5, 2),
            french(
                "A vaccination cannot be dated before the child's birth (%(birth_date)s).",
                birth_date="03/05/2018",
            ),
        ),
    ],
)
def test_a_vaccination_in_the_future_or_before_birth_is_refused(
    parent, portal, child, day, message
):
    response = parent.post(
        f"{portal.url}family/children/{child.pk}/vaccinations/add/",
        {"vaccine": "DTP", "date": day.isoformat()},
    )

    assert_refused_next_to_the_field(response, "date", message)


def test_a_vaccination_on_the_day_of_birth_is_sent(parent, portal, child):
    response = parent.post(
        f"{portal.url}family/children/{child.pk}/vaccinations/add/",
        {"vaccine": "BCG", "date": "2018-05-03"},
    )

    assert response.status_code == 302
    assert ChangeRequest.objects.count() == 1


def test_a_birth_date_in_the_future_is_refused(parent, portal, child):
    response = parent.post(
        f"{portal.url}family/children/{child.pk}/edit/",
        {
            "first_name": child.first_name,
            "last_name": child.last_name,
            "sex": child.sex,
            "birth_date": TOMORROW.isoformat(),
        },
    )

    assert_refused_next_to_the_field(
        response, "birth_date", french("The date of birth cannot be in the future.")
    )


def test_a_quotient_period_ending_before_it_starts_is_refused(parent, portal):
    response = parent.post(
        f"{portal.url}family/quotient/",
        {"value": "612,50", "valid_from": "2026-09-01", "valid_until": "2026-08-31"},
    )

    assert_refused_next_to_the_field(
        response, "valid_until", french("The end of the period must be after its start.")
    )
