"""« Occupation »: booked places and the waiting list per group, in few queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reservations.services.configuration import activity_slots_generate
from tests import factories

from ...conftest import WEDNESDAY, make_world
from .helpers import OCCUPANCY, book

pytestmark = pytest.mark.django_db


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
