"""The fixtures of the queues' tests: Enfance staff, and a daily activity around today."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from cms.staff_groups import ENFANCE, ensure_staff_groups
from tests import factories

from ...conftest import make_world


@pytest.fixture
def enfance_user():
    ensure_staff_groups()
    user = factories.UserFactory(first_name="Sophie", last_name="Marchand")
    user.groups.add(Group.objects.get(name=ENFANCE))
    return user


@pytest.fixture
def staff_client(client, enfance_user):
    client.force_login(enfance_user)
    return client


@pytest.fixture
def world(db):
    """A daily activity around today, decided by staff (bookings and cancellations), one
    place per day: the queues' screens call the services at the real time."""
    today = timezone.localdate()
    return make_world(
        capacity=1,
        start_date=today - datetime.timedelta(days=7),
        end_date=today + datetime.timedelta(days=60),
        weekdays=list(range(7)),
        booking_validation="staff",
        cancellation_validation="staff",
    )


@pytest.fixture
def day(world):
    """An opening day far enough ahead for the waiting list to be promoted."""
    soon = timezone.localdate() + datetime.timedelta(days=3)
    return world.unit.slots.filter(day__gte=soon).order_by("day").first().day
