"""Order numbers: a yearly series without gaps (2026-00001, 2026-00002 …), taken in the
transaction that submits the basket."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from core.models import Counter
from reservations.errors import ReservationError
from reservations.models import Order
from reservations.services import basket as basket_services

from ..conftest import NOW, PARIS, WEDNESDAY

pytestmark = pytest.mark.django_db


def submit(world, family, child, guardian, day=WEDNESDAY, now=NOW) -> Order:
    basket_services.basket_add_bookings(
        family=family,
        child_id=child.pk,
        unit_id=world.unit.pk,
        days=[day],
        user=guardian.user,
        now=now,
    )
    return basket_services.basket_submit(family=family, user=guardian.user, now=now)


def test_orders_of_every_family_follow_each_other_in_the_years_series(world):
    other_family, other_guardian, (other_child,) = world.add_family()

    first = submit(world, world.family, world.child, world.guardian)
    second = submit(world, other_family, other_child, other_guardian)
    third = submit(world, world.family, world.child, world.guardian, day=datetime.date(2026, 12, 2))

    assert [first.number, second.number, third.number] == ["2026-00001", "2026-00002", "2026-00003"]
    assert str(first) == "Commande n° 2026-00001"


def test_a_refused_basket_takes_no_number(world):
    with pytest.raises(ReservationError):
        basket_services.basket_submit(family=world.family, user=world.guardian.user, now=NOW)

    assert not Counter.objects.filter(scope="order").exists()
    assert submit(world, world.family, world.child, world.guardian).number == "2026-00001"


def test_the_year_is_pariss_the_new_years_eve_order_after_midnight_opens_the_next_series(world):
    Counter.objects.create(scope="order", year=2026, last_value=418)
    # 23:30 UTC on 31 December is already half past midnight in Paris.
    new_year = datetime.datetime(2026, 12, 31, 23, 30, tzinfo=datetime.UTC)
    assert new_year.astimezone(PARIS).year == 2027

    order = submit(
        world,
        world.family,
        world.child,
        world.guardian,
        day=datetime.date(2027, 1, 6),
        now=new_year,
    )

    assert order.number == "2027-00001"


@pytest.mark.django_db(transaction=True)
def test_orders_from_before_the_series_keep_their_id_as_number_as_their_receipts_said():
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    # The families' table as it is today (its later migrations need none of these).
    before_orders = [
        ("reservations", "0002_absence_certificate_size"),
        ("portal_features", "0011_family_quotient_fields_removed"),
    ]
    try:
        executor.migrate(before_orders)
        executor.loader.build_graph()
        before = executor.loader.project_state(before_orders).apps
        family = before.get_model("portal_features", "Family").objects.create(
            number="202500007", name="DUPONT"
        )
        old = [
            before.get_model("reservations", "Order").objects.create(family=family) for _ in "ab"
        ]

        executor = MigrationExecutor(connection)
        executor.migrate([("reservations", "0004_order_number_unique")])

        numbers = dict(Order.objects.values_list("pk", "number"))
        assert numbers == {order.pk: str(order.pk) for order in old}
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(latest)
