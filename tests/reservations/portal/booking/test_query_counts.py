"""What the planning, the basket and the orders cost in queries, for one child or line or
many."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reservations.models import Order, Slot
from reservations.services import basket as basket_services

from ...conftest import NOW, WEDNESDAY, make_world
from .conftest import DECEMBER_WEDNESDAYS, put_in_basket

pytestmark = pytest.mark.django_db


# --- Query counts -------------------------------------------------------------------------------


def family_with_bookings(world, children):
    """A family of `children` children, each booked on every Wednesday of December and with
    two more days in the basket."""
    family, guardian, kids = world.add_family(children=children)
    for child in kids:
        put_in_basket(world, family, child, DECEMBER_WEDNESDAYS)
    basket_services.basket_submit(family=family, user=guardian.user, now=NOW)
    for child in kids:
        put_in_basket(world, family, child, [datetime.date(2027, 1, 6), datetime.date(2027, 1, 13)])
    return guardian.user, kids


def _count(client, user, address) -> int:
    client.force_login(user)
    assert client.get(address).status_code == 200  # fills per-process caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("month", ["&month=2026-12", ""])
def test_the_planning_costs_the_same_queries_for_one_child_or_four(client, clock, url, month):
    world = make_world(capacity=50)
    small, (one,) = family_with_bookings(world, 1)
    large, four = family_with_bookings(world, 4)
    activity = world.activity

    def address(kids):
        return url(
            "booking_planning",
            "&".join(f"child={kid.pk}" for kid in kids) + f"&activity={activity.pk}{month}",
        )

    small_count = _count(client, small, address([one]))
    large_count = _count(client, large, address(four))
    assert small_count == large_count, f"{small_count} queries for 1 child, {large_count} for 4"
    assert large_count <= 20


@pytest.mark.parametrize("name", ["basket", "orders", "order_detail", "booking_start"])
def test_basket_and_orders_cost_the_same_queries_for_one_line_or_many(client, clock, url, name):
    world = make_world(capacity=50)
    small, _ = family_with_bookings(world, 1)
    large, _ = family_with_bookings(world, 4)

    def address(user):
        if name != "order_detail":
            return url(name)
        return url("order_detail", order_id=Order.objects.get(submitted_by=user).pk)

    small_count = _count(client, small, address(small))
    large_count = _count(client, large, address(large))
    assert small_count == large_count, f"{name}: {small_count} vs {large_count} queries"
    assert large_count <= 15


def _post_count(client, user, address, data) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(address, data)
    assert response.status_code == 302
    return len(queries)


def test_the_plannings_add_and_the_submit_cost_the_same_for_one_day_or_twenty(client, clock, url):
    world = make_world(capacity=50)
    days = list(
        Slot.objects.filter(unit=world.unit, day__gte=WEDNESDAY)
        .order_by("day")
        .values_list("day", flat=True)[:20]
    )
    # The year's first order creates its counter row: two statements more, once a year.
    put_in_basket(world, world.family, world.child, [days[-1]])
    basket_services.basket_submit(family=world.family, user=world.guardian.user, now=NOW)
    counts = {}
    # A first pass fills the per-process caches. Four children on twenty days would be
    # split into two INSERTs by SQLite's limit on parameters (not by PostgreSQL).
    for children, count in ((1, 1), (1, 1), (1, 20), (4, 1), (4, 5)):
        family, guardian, kids = world.add_family(children=children)
        data = {
            "unit": world.unit.pk,
            "child": [kid.pk for kid in kids],
            "days": [day.isoformat() for day in days[:count]],
        }
        added = _post_count(client, guardian.user, url("basket_add"), data)
        submitted = _post_count(client, guardian.user, url("basket_submit"), {})
        assert Order.objects.get(family=family).lines.count() == children * count
        counts[(children, count)] = (added, submitted)
    assert len(set(counts.values())) == 1, counts
    assert sum(counts[(1, 20)]) <= 42
