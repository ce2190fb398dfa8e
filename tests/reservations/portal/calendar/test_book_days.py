"""« Réserver les jours cochés »: the calendar is a form; one POST books the ticked days
and the calendar shows them, without JavaScript. Another family's child is a 404."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reservations.choices import ReservationStatus as S
from reservations.models import Order, Reservation

from ...conftest import WEDNESDAY
from .conftest import DEC_2, DEC_9, DEC_16, cells_by_day, month_cells, url


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


@pytest.mark.parametrize(
    "headers", [{}, {"HTTP_X_REQUESTED_WITH": "fetch"}], ids=["plain", "fetch"]
)
def test_the_post_costs_the_same_queries_for_one_day_and_for_four(
    logged_in, portal, world, headers
):
    """The plain form's redirect, or the grid's fragment rendered in the same request."""
    address = url(portal, "days_book")
    logged_in.post(address, {"day": tick(world, world.child, WEDNESDAY)}, **headers)
    with CaptureQueriesContext(connection) as one:
        logged_in.post(address, {"day": tick(world, world.child, DEC_2)}, **headers)
    days = [DEC_9 + datetime.timedelta(days=7 * week) for week in range(4)]
    with CaptureQueriesContext(connection) as four:
        logged_in.post(address, {"day": tick(world, world.child, *days)}, **headers)

    assert len(one) == len(four)
    assert Reservation.objects.filter(status=S.ACCEPTED).count() == 6


# --- With JavaScript: the grid's fragment instead of a redirect ------------------------

FETCH = {"HTTP_X_REQUESTED_WITH": "fetch"}


def test_the_script_gets_the_updated_grid_and_the_message_without_the_page(
    logged_in, portal, world
):
    response = logged_in.post(
        url(portal, "days_book"),
        {"day": tick(world, world.child, DEC_2, DEC_9), "month": "2026-12"},
        **FETCH,
    )

    assert response.status_code == 200
    html = response.content.decode()
    order = Order.objects.get(family=world.family)
    assert html.count("data-cal-outcome") == html.count("data-cal-grid") == 1
    assert f"n° {order.number}" in html and "message--success" in html
    # December's cells, the two Wednesdays booked now validated, the next still offered.
    cells = cells_by_day(response, datetime.date(2026, 12, 1))
    assert cells[DEC_2][0] == cells[DEC_9][0] == "accepted"
    assert cells[DEC_16][0] == "available"
    assert f'value="{tick(world, world.child, DEC_16)[0]}"' in html
    # Not a page: no frame, no menu, no second form; the message is not kept for later.
    assert "<html" not in html and "portal-nav" not in html and "<form" not in html
    assert "Vary" in response and "X-Requested-With" in response["Vary"]
    later = logged_in.get(url(portal, "calendar"), {"month": "2026-12"}).content.decode()
    assert f"n° {order.number}" not in later


def test_the_script_gets_the_refusals_and_the_unchanged_grid(logged_in, portal, world):
    past = datetime.date(2026, 11, 18)

    response = logged_in.post(
        url(portal, "days_book"),
        {"day": tick(world, world.child, past, WEDNESDAY), "week": "2026-W48"},
        **FETCH,
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Certains jours ne peuvent pas être réservés." in html and "message--error" in html
    assert not Reservation.objects.exists()
    # The week asked for, Wednesday 25 still to be ticked.
    assert [state for state, _body in month_cells(response)].count("available") == 1
    assert f'value="{tick(world, world.child, WEDNESDAY)[0]}"' in html
    nothing = logged_in.post(url(portal, "days_book"), {"month": "2026-12"}, **FETCH)
    assert "Cochez au moins un jour à réserver." in nothing.content.decode()
