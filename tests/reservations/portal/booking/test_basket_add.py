"""Adding days to the basket from the planning: the contract, its refusals, and full days
offered as waiting list."""

import datetime
from decimal import Decimal
from html import escape

import pytest
from django.core import mail

from reservations.choices import ReservationStatus as S
from reservations.models import BasketItem, Order, ReservationRule
from reservations.services import basket as basket_services
from tests import factories

from ...conftest import NOW, WEDNESDAY, make_world
from .conftest import DECEMBER_WEDNESDAYS, PERIOD, cell, planning_url, put_in_basket, texts

pytestmark = pytest.mark.django_db


# --- basket_add: the contract and its refusals ------------------------------------------------


def test_basket_add_books_every_child_on_every_day_then_returns_to_the_planning(parent, world, url):
    family, (brother,) = world.family, world.add_family(children=0)[2] or [None]
    brother = factories.ChildFactory(family=family, first_name="Tom")
    factories.RegistrationFactory(
        family=family, child=brother, activity=world.activity, group=world.group
    )
    response = parent.post(
        url("basket_add"),
        {
            "child": [world.child.pk, brother.pk],
            "unit": world.unit.pk,
            "days": ["2026-12-02", "2026-12-09"],
        },
    )
    assert response.status_code == 302
    assert response["Location"].startswith(url("booking_planning"))
    assert f"activity={world.activity.pk}" in response["Location"]
    assert "month=2026-12" in response["Location"]
    assert set(BasketItem.objects.filter(family=family).values_list("child_id", "day")) == {
        (child.pk, day) for child in (world.child, brother) for day in DECEMBER_WEDNESDAYS[:2]
    }


def test_basket_add_ignores_a_next_address_of_another_site(parent, world, url):
    response = parent.post(
        url("basket_add"),
        {
            "child": world.child.pk,
            "unit": world.unit.pk,
            "days": "2026-12-02",
            "next": "https://phishing.example/",
        },
    )
    assert response.status_code == 302
    assert response["Location"].startswith(url("booking_planning"))


def test_another_familys_child_is_not_found_and_nothing_is_added(parent, world, url):
    _family, _guardian, (their_child,) = world.add_family()
    response = parent.post(
        url("basket_add"),
        {"child": [world.child.pk, their_child.pk], "unit": world.unit.pk, "days": "2026-12-02"},
    )
    assert response.status_code == 404
    response = parent.post(
        url("basket_add"),
        {
            "unit": world.unit.pk,
            "cell": [cell(world.child, WEDNESDAY), cell(their_child, WEDNESDAY)],
        },
    )
    assert response.status_code == 404
    assert not BasketItem.objects.exists()


@pytest.mark.parametrize(
    "day",
    [
        datetime.date(2026, 11, 18),  # past
        datetime.date(2026, 11, 26),  # a Thursday: closed
        datetime.date(2026, 11, 11),  # 11 November: public holiday
    ],
)
def test_a_day_that_cannot_be_booked_is_refused_with_its_reason(parent, world, url, day):
    response = parent.post(
        url("basket_add"),
        {"child": world.child.pk, "unit": world.unit.pk, "days": day.isoformat()},
    )
    assert response.status_code == 302
    assert not BasketItem.objects.exists()
    refusals = [text for text in texts(response) if f"{day:%d/%m/%Y}" in text]
    assert refusals and world.child.first_name in refusals[0]


def test_a_day_past_the_booking_deadline_is_refused_and_shown_so(parent, world, url):
    # Booking closes 48 hours before 08:00 of the day: Monday 08:00 for Wednesday 25.
    world.activity.rule = ReservationRule.objects.create(
        name="48 h", booking_deadline={"kind": "hours_before", "hours": 48, "start": "08:00"}
    )
    world.activity.save()
    response = parent.post(
        url("basket_add"),
        {"child": world.child.pk, "unit": world.unit.pk, "days": ["2026-11-25", "2026-12-02"]},
    )
    assert set(BasketItem.objects.values_list("day", flat=True)) == {datetime.date(2026, 12, 2)}
    assert any("25/11/2026" in text for text in texts(response))

    planning = parent.get(planning_url(url, world, "2026-11"))
    cells = {c.day: c for p in planning.context["plannings"] for d in p.days for _, c in d.cells}
    assert cells[WEDNESDAY].state == "out_of_time"
    assert cells[WEDNESDAY].reason in planning.content.decode()
    assert f'value="{world.unit.pk}:{cell(world.child, WEDNESDAY)}"' not in planning.text


def test_forged_days_or_units_are_refused_without_a_crash(parent, world, url):
    response = parent.post(
        url("basket_add"), {"child": world.child.pk, "unit": world.unit.pk, "days": "25/11/2026"}
    )
    assert response.status_code == 302
    response = parent.post(
        url("basket_add"), {"child": world.child.pk, "unit": 999999, "days": "2026-12-02"}
    )
    assert response.status_code == 404
    assert parent.get(url("basket_add")).status_code == 405
    assert not BasketItem.objects.exists()


# --- Full days: the waiting list ---------------------------------------------------------------


def test_a_full_day_is_offered_as_waiting_list_and_the_receipt_says_so(
    client, clock, url, django_capture_on_commit_callbacks
):
    world = make_world(capacity=1)
    other, other_guardian, (other_child,) = world.add_family()
    put_in_basket(world, other, other_child, [WEDNESDAY])
    basket_services.basket_submit(family=other, user=other_guardian.user, now=NOW)

    client.force_login(world.guardian.user)
    planning = client.get(planning_url(url, world, "2026-11"))
    assert (
        f'value="{world.unit.pk}:{cell(world.child, WEDNESDAY)}"' in planning.text
    )  # waiting list

    client.post(url("basket_add"), {"unit": world.unit.pk, "cell": cell(world.child, WEDNESDAY)})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("basket_submit"))
    order = Order.objects.get(family=world.family)
    assert order.lines.get().outcome == S.WAITING
    assert order.total == Decimal("0.00")

    receipt = client.get(response["Location"])
    assert escape(str(S.WAITING.label)) in receipt.text
    (mail_receipt,) = [m for m in mail.outbox if PERIOD in m.body]
    assert str(S.WAITING.label) in mail_receipt.body
