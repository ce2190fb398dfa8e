"""The basket (remove, empty, submit refused) and the orders (« Mes commandes »)."""

from decimal import Decimal
from html import escape

import pytest

from reservations.choices import ReservationStatus as S
from reservations.models import BasketItem, Order, Reservation
from reservations.services import basket as basket_services

from ...conftest import NOW
from .conftest import DECEMBER_WEDNESDAYS, put_in_basket

pytestmark = pytest.mark.django_db


# --- The basket: remove, empty, submit refused -------------------------------------------------


def test_removing_a_line_then_emptying_the_basket(parent, world, url):
    put_in_basket(world, world.family, world.child, DECEMBER_WEDNESDAYS[:3])
    first = BasketItem.objects.order_by("day").first()

    response = parent.post(url("basket_remove", item_id=first.pk))
    assert response.status_code == 302
    assert response["Location"] == url("basket")
    assert BasketItem.objects.count() == 2

    response = parent.get(url("basket"))
    assert response.context["summary"].total == Decimal("24.40")
    assert "24,40\u00a0€" in response.text

    response = parent.post(url("basket_clear"))
    assert response.status_code == 302
    assert not BasketItem.objects.exists()
    assert parent.get(url("basket")).context["summary"].is_empty


def test_submitting_an_empty_basket_says_so(parent, world, url):
    response = parent.post(url("basket_submit"))
    assert response.status_code == 200
    assert response.context["submit_error"].message in response.text
    assert not Order.objects.exists()


def test_a_line_that_can_no_longer_be_submitted_is_explained_and_nothing_is_lost(
    parent, world, url
):
    put_in_basket(world, world.family, world.child, DECEMBER_WEDNESDAYS[:2])
    slot = world.slot(DECEMBER_WEDNESDAYS[0])
    slot.is_closed, slot.closed_reason = True, "Grève"
    slot.save()

    response = parent.post(url("basket_submit"))
    assert response.status_code == 200
    error = response.context["submit_error"]
    assert error.reasons and "02/12/2026" in error.reasons[0]
    assert escape(error.reasons[0]) in response.text
    assert BasketItem.objects.count() == 2
    assert not Order.objects.exists()
    assert not Reservation.objects.exists()


def test_cancellations_in_the_basket_show_the_booked_price(parent, world, url):
    put_in_basket(world, world.family, world.child, [DECEMBER_WEDNESDAYS[0]])
    basket_services.basket_submit(family=world.family, user=None, now=NOW)
    reservation = Reservation.objects.get()
    basket_services.basket_add_cancellation(
        family=world.family, reservation_id=reservation.pk, user=None, now=NOW
    )
    response = parent.get(url("basket"))
    (line,) = response.context["summary"].children[0].months[0].lines
    assert line.is_cancellation and line.unit_price == Decimal("12.20")
    assert response.context["summary"].total == Decimal("0.00")


# --- Orders -----------------------------------------------------------------------------------


def test_an_order_awaiting_staff_is_pending_until_decided(parent, world, url):
    world.activity.booking_validation = "staff"
    world.activity.save()
    put_in_basket(world, world.family, world.child, DECEMBER_WEDNESDAYS[:2])
    order = basket_services.basket_submit(family=world.family, user=None, now=NOW)

    response = parent.get(url("orders"))
    assert [o.pk for o in response.context["pending"]] == [order.pk]
    assert not response.context["page_obj"].object_list
    assert "24,40\u00a0€" in response.text

    detail = parent.get(url("order_detail", order_id=order.pk))
    assert detail.context["order"].is_pending
    assert escape(str(S.REQUESTED.label)) in detail.text


def test_another_familys_order_or_basket_line_is_not_found(parent, world, url):
    other, other_guardian, (other_child,) = world.add_family()
    put_in_basket(world, other, other_child, DECEMBER_WEDNESDAYS[:2])
    order = basket_services.basket_submit(family=other, user=other_guardian.user, now=NOW)
    put_in_basket(world, other, other_child, [DECEMBER_WEDNESDAYS[3]])
    item = BasketItem.objects.get(family=other)

    assert parent.get(url("order_detail", order_id=order.pk)).status_code == 404
    assert parent.get(url("basket_remove", item_id=item.pk)).status_code == 404
    assert parent.post(url("basket_remove", item_id=item.pk)).status_code == 404
    assert BasketItem.objects.filter(pk=item.pk).exists()
    # The control: the same addresses with the family's own ids.
    put_in_basket(world, world.family, world.child, [DECEMBER_WEDNESDAYS[0]])
    own = basket_services.basket_submit(family=world.family, user=None, now=NOW)
    assert parent.get(url("order_detail", order_id=own.pk)).status_code == 200
    put_in_basket(world, world.family, world.child, [DECEMBER_WEDNESDAYS[1]])
    own_item = BasketItem.objects.get(family=world.family)
    assert parent.post(url("basket_remove", item_id=own_item.pk)).status_code == 302


def test_a_stranger_is_sent_to_log_in(client, world, url, clock):
    response = client.get(url("booking_start"))
    assert response.status_code == 302
    assert "login" in response["Location"]
