"""What the planning, the basket and the orders cost in queries, for one child or line or
many."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reservations.models import Order
from reservations.services import basket as basket_services

from ...conftest import NOW, make_world
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
