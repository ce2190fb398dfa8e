"""The booking wizard, driven through the portal like a parent: participants → activities →
planning → summary → order → receipt (screen and e-mail), and what each step offers."""

import datetime
from decimal import Decimal
from html import escape

import pytest
from django.core import mail

from reservations.choices import ReservationStatus as S
from reservations.models import BasketItem, Order
from tests import factories

from ...conftest import WEDNESDAY
from .conftest import DECEMBER_WEDNESDAYS, PERIOD, PRICE, cell, put_in_basket

pytestmark = pytest.mark.django_db


# --- The whole journey ----------------------------------------------------------------------


def test_the_wizard_from_participants_to_the_receipt(
    parent, world, url, django_capture_on_commit_callbacks
):
    child, activity = world.child, world.activity

    # 1. Participants: the family's children, with their age.
    response = parent.get(url("booking_start"))
    assert response.status_code == 200
    assert child.first_name in response.text
    assert f'value="{child.pk}"' in response.text

    # 2. Activities: those the child is registered to.
    response = parent.get(url("booking_activities", f"child={child.pk}"))
    assert response.status_code == 200
    assert activity.name in response.text
    assert f'name="activity" value="{activity.pk}"' in response.text

    # 3. Planning: without a month, the first with a bookable day (November 2026 here).
    response = parent.get(url("booking_planning", f"child={child.pk}&activity={activity.pk}"))
    assert response.status_code == 200
    assert response.context["calendar"].month == datetime.date(2026, 11, 1)
    assert f'value="{world.unit.pk}:{cell(child, WEDNESDAY)}"' in response.text
    # The past Wednesday is shown, with why it can't be booked, but has no checkbox.
    assert (
        f'value="{world.unit.pk}:{cell(child, datetime.date(2026, 11, 18))}"' not in response.text
    )
    here = response.context["here"]

    response = parent.post(
        url("basket_add"),
        {"unit": world.unit.pk, "cell": [cell(child, WEDNESDAY)], "next": here},
    )
    assert response.status_code == 302
    # Back to the unit just added, its messages there (not at the top of the page).
    assert response["Location"] == f"{here}&added={world.unit.pk}#added"
    assert BasketItem.objects.filter(family=world.family, day=WEDNESDAY).count() == 1

    # The planning now shows the day in the basket.
    planning = parent.get(here)
    assert f'value="{world.unit.pk}:{cell(child, WEDNESDAY)}"' not in planning.text

    # 4. Summary: unit, date and times, price, total.
    response = parent.get(url("basket"))
    assert response.status_code == 200
    assert PERIOD in response.text
    assert PRICE in response.text
    assert response.context["summary"].total == Decimal("12.20")

    with django_capture_on_commit_callbacks(execute=True):
        response = parent.post(url("basket_submit"))
    order = Order.objects.get(family=world.family)
    assert response.status_code == 302
    assert response["Location"] == url("order_detail", order_id=order.pk)
    assert order.total == Decimal("12.20")
    assert order.lines.get().outcome == S.ACCEPTED
    assert not BasketItem.objects.filter(family=world.family).exists()

    # The receipt on screen…
    response = parent.get(response["Location"])
    assert response.status_code == 200
    assert str(order.number) in response.text
    assert escape(str(S.ACCEPTED.label)) in response.text
    assert PRICE in response.text

    # …and by e-mail, to the guardian who agreed to receive e-mails.
    receipts = [message for message in mail.outbox if PERIOD in message.body]
    assert len(receipts) == 1
    receipt = receipts[0]
    assert receipt.to == [world.guardian.user.email]
    assert str(order.number) in receipt.subject
    assert PRICE in receipt.body
    assert url("order_detail", order_id=order.pk) in receipt.body

    # "Mes commandes": processed (validated at once), so in the history.
    response = parent.get(url("orders"))
    assert response.status_code == 200
    assert response.context["pending"] == []
    assert [o.pk for o in response.context["page_obj"].object_list] == [order.pk]
    assert "23/11/2026" in response.text and "10:00" in response.text


def test_the_receipt_goes_only_to_guardians_who_agreed_to_e_mails(
    parent, world, url, django_capture_on_commit_callbacks
):
    factories.GuardianFactory(family=world.family, is_primary=False, consents_to_email=False)
    factories.GuardianFactory(family=world.family, is_primary=False, user=None)
    put_in_basket(world, world.family, world.child, [WEDNESDAY])
    with django_capture_on_commit_callbacks(execute=True):
        parent.post(url("basket_submit"))
    receipts = [message for message in mail.outbox if PERIOD in message.body]
    assert [message.to for message in receipts] == [[world.guardian.user.email]]


# --- Activities and participants ---------------------------------------------------------------


def test_only_activities_shared_by_all_chosen_children_are_offered(parent, world, url):
    family = world.family
    sister = factories.ChildFactory(family=family, first_name="Léa")
    other_activity = factories.ActivityFactory()
    other_group = factories.GroupFactory(activity=other_activity)
    factories.RegistrationFactory(
        family=family, child=sister, activity=other_activity, group=other_group
    )
    both = parent.get(url("booking_activities", f"child={world.child.pk}&child={sister.pk}"))
    assert both.context["activities"] == []
    assert url("registration_new") in both.text
    alone = parent.get(url("booking_activities", f"child={sister.pk}"))
    assert alone.context["activities"] == [other_activity]


def test_the_wizard_refuses_another_familys_child_in_the_address(parent, world, url):
    _family, _guardian, (their_child,) = world.add_family()
    assert parent.get(url("booking_activities", f"child={their_child.pk}")).status_code == 404
    query = f"child={their_child.pk}&activity={world.activity.pk}"
    assert parent.get(url("booking_planning", query)).status_code == 404
    # An activity none of the chosen children is registered to.
    activity = factories.ActivityFactory()
    query = f"child={world.child.pk}&activity={activity.pk}"
    assert parent.get(url("booking_planning", query)).status_code == 404


def test_the_wizard_asks_for_a_child_first(parent, world, url):
    response = parent.get(url("booking_activities"))
    assert response.status_code == 302
    assert response["Location"] == url("booking_start")
    response = parent.get(url("booking_planning", f"child={world.child.pk}"))
    assert response.status_code == 302
    assert response["Location"].startswith(url("booking_activities"))


def test_whole_month_buttons_book_all_children_together_or_each_apart(parent, world, url):
    family = world.family
    sister = factories.ChildFactory(family=family, first_name="Léa")
    factories.RegistrationFactory(
        family=family, child=sister, activity=world.activity, group=world.group
    )
    query = f"child={world.child.pk}&child={sister.pk}&activity={world.activity.pk}&month=2026-12"
    (planning,) = parent.get(url("booking_planning", query)).context["plannings"]
    (together,) = planning.select_all
    assert set(together.children) == {world.child, sister}
    assert together.days == DECEMBER_WEDNESDAYS

    # Once the sister has 9 December in the basket, each child gets a button of its own.
    put_in_basket(world, family, sister, [datetime.date(2026, 12, 9)])
    response = parent.get(url("booking_planning", query))
    (planning,) = response.context["plannings"]
    by_child = {choice.children[0]: choice.days for choice in planning.select_all}
    assert by_child[world.child] == DECEMBER_WEDNESDAYS
    assert datetime.date(2026, 12, 9) not in by_child[sister]
    assert response.status_code == 200
