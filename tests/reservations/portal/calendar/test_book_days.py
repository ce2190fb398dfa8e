"""« Réserver les jours cochés »: the calendar is a form; one POST books the ticked days
and the calendar shows them, without JavaScript. Another family's child is a 404."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from reservations.choices import ReservationStatus as S
from reservations.models import Order, Reservation

from ...conftest import WEDNESDAY
from .conftest import DEC_2, DEC_9, url


def tick(world, child, *days):
    return [f"{child.pk}:{world.unit.pk}:{day:%Y-%m-%d}" for day in days]


def test_the_calendar_offers_a_checkbox_on_each_day_that_can_be_asked(logged_in, portal, world):
    response = logged_in.get(url(portal, "calendar"), {"month": "2026-12"})

    html = response.content.decode()
    assert f'action="{url(portal, "days_book")}"' in html
    for value in tick(world, world.child, DEC_2, DEC_9):
        assert f'name="day" value="{value}"' in html
    # Past days have none.
    assert f'value="{tick(world, world.child, datetime.date(2026, 11, 18))[0]}"' not in html


def test_one_post_books_the_ticked_days_and_shows_the_same_month(logged_in, portal, world):
    response = logged_in.post(
        url(portal, "days_book"),
        {"day": tick(world, world.child, DEC_2, DEC_9), "month": "2026-12"},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == url(portal, "calendar") + "?month=2026-12"
    order = Order.objects.get(family=world.family)
    assert f"n° {order.number}" in response.content.decode()
    assert set(
        Reservation.objects.filter(child=world.child, status=S.ACCEPTED).values_list(
            "day", flat=True
        )
    ) == {DEC_2, DEC_9}
    cells = response.content.decode()
    assert 'data-state="accepted"' in cells


def test_a_refused_day_saves_nothing_and_says_why(logged_in, portal, world):
    past = datetime.date(2026, 11, 18)

    response = logged_in.post(
        url(portal, "days_book"),
        {"day": tick(world, world.child, past, WEDNESDAY)},
        follow=True,
    )

    assert "Certains jours ne peuvent pas être réservés." in response.content.decode()
    assert not Reservation.objects.exists()


def test_another_familys_child_or_a_forged_value_is_not_found(logged_in, portal, world):
    _family, _guardian, (stranger,) = world.add_family()

    assert (
        logged_in.post(url(portal, "days_book"), {"day": tick(world, stranger, DEC_2)}).status_code
        == 404
    )
    assert logged_in.post(url(portal, "days_book"), {"day": ["1:2:nope"]}).status_code == 404
    assert logged_in.get(url(portal, "days_book")).status_code == 405
    assert not Reservation.objects.exists()


def test_the_post_costs_the_same_queries_for_one_day_and_for_four(logged_in, portal, world):
    logged_in.post(url(portal, "days_book"), {"day": tick(world, world.child, WEDNESDAY)})
    with CaptureQueriesContext(connection) as one:
        logged_in.post(url(portal, "days_book"), {"day": tick(world, world.child, DEC_2)})
    days = [DEC_9 + datetime.timedelta(days=7 * week) for week in range(4)]
    with CaptureQueriesContext(connection) as four:
        logged_in.post(url(portal, "days_book"), {"day": tick(world, world.child, *days)})

    assert len(one) == len(four)
    assert Reservation.objects.filter(status=S.ACCEPTED).count() == 6
