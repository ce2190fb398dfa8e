"""The booking wizard, the basket and the orders, driven through the portal like a parent:
participants → activities → planning → summary → order → receipt (screen and e-mail)."""

import datetime
from decimal import Decimal
from html import escape

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Site

from cms.models import CommuneSettings
from portal_features.portal.urls import portal_path
from reservations.choices import ReservationStatus as S
from reservations.models import BasketItem, Order, Reservation, ReservationRule
from reservations.services import basket as basket_services
from tests import factories

from ..conftest import NOW, PARIS, WEDNESDAY, make_world

pytestmark = pytest.mark.django_db

DECEMBER_WEDNESDAYS = [datetime.date(2026, 12, day) for day in (2, 9, 16, 23, 30)]
PRICE = "12,20\u00a0€"
# « 25/11/26 : 8 h 30 – 17 h 30 », times as families read them.
PERIOD = "25/11/26 : 8\u00a0h\u00a030 – 17\u00a0h\u00a030"


@pytest.fixture
def clock(monkeypatch):
    """The time the views read (they pass it on to every service): NOW unless a test moves
    it. Model defaults keep the real clock; every service gets `now=` from the view."""
    current = {"now": NOW}
    monkeypatch.setattr(timezone, "now", lambda: current["now"])
    return current


@pytest.fixture
def portal(home_page):
    # Created now: the site settings' first save would purge the caches between requests.
    CommuneSettings.for_site(Site.objects.get(is_default_site=True))
    return factories.PortalPageFactory(parent=home_page)


@pytest.fixture
def url(portal):
    def build(name, query=None, **kwargs):
        address = portal.url + portal_path(f"reservations:{name}", **kwargs)
        return f"{address}?{query}" if query else address

    return build


@pytest.fixture
def parent(client, world, clock, portal):
    client.force_login(world.guardian.user)
    return client


def cell(child, day) -> str:
    return f"{child.pk}:{day:%Y-%m-%d}"


def planning_url(url, world, month) -> str:
    query = f"child={world.child.pk}&activity={world.activity.pk}&month={month}"
    return url("booking_planning", query)


def texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def put_in_basket(world, family, child, days, now=NOW):
    added, refused = basket_services.basket_add_bookings(
        family=family, child_id=child.pk, unit_id=world.unit.pk, days=days, user=None, now=now
    )
    assert not refused
    return added


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
    assert f'value="{cell(child, WEDNESDAY)}"' in response.text
    # The past Wednesday is shown, with why it can't be booked, but has no checkbox.
    assert f'value="{cell(child, datetime.date(2026, 11, 18))}"' not in response.text
    here = response.context["here"]

    response = parent.post(
        url("basket_add"),
        {"unit": world.unit.pk, "cell": [cell(child, WEDNESDAY)], "next": here},
    )
    assert response.status_code == 302
    assert response["Location"] == here
    assert BasketItem.objects.filter(family=world.family, day=WEDNESDAY).count() == 1

    # The planning now shows the day in the basket.
    planning = parent.get(here)
    assert f'value="{cell(child, WEDNESDAY)}"' not in planning.text

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
    assert f'value="{cell(world.child, WEDNESDAY)}"' not in planning.text


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
    assert f'value="{cell(world.child, WEDNESDAY)}"' in planning.text  # waiting list

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


# --- Periodic booking --------------------------------------------------------------------------


def periodic(client, world, url, **fields):
    data = {
        "child": [world.child.pk],
        "activity": world.activity.pk,
        "units": [world.unit.pk],
        "weekdays": [2],
        "parity": "every",
        **fields,
    }
    return client.post(url("basket_periodic"), data)


def test_periodic_booking_on_odd_weeks(parent, world, url, clock):
    clock["now"] = datetime.datetime(2026, 11, 2, 10, 0, tzinfo=PARIS)
    response = periodic(parent, world, url, start="2026-11-02", end="2026-12-20", parity="odd")
    assert response.status_code == 302
    # ISO weeks 45, 47, 49 and 51.
    assert sorted(BasketItem.objects.values_list("day", flat=True)) == [
        datetime.date(2026, 11, 4),
        datetime.date(2026, 11, 18),
        datetime.date(2026, 12, 2),
        datetime.date(2026, 12, 16),
    ]


def test_periodic_booking_skips_the_11_november_holiday(parent, world, url, clock):
    clock["now"] = datetime.datetime(2026, 11, 2, 10, 0, tzinfo=PARIS)
    response = periodic(parent, world, url, start="2026-11-02", end="2026-11-30")
    assert response.status_code == 302
    assert sorted(BasketItem.objects.values_list("day", flat=True)) == [
        datetime.date(2026, 11, 4),
        datetime.date(2026, 11, 18),
        datetime.date(2026, 11, 25),
    ]
    assert any(text.startswith("3") for text in texts(response))


def test_periodic_booking_reports_the_refused_days(parent, world, url):
    put_in_basket(world, world.family, world.child, [datetime.date(2026, 12, 9)])
    basket_services.basket_submit(family=world.family, user=None, now=NOW)
    response = periodic(parent, world, url, start="2026-12-01", end="2026-12-31")
    assert set(BasketItem.objects.values_list("day", flat=True)) == {
        datetime.date(2026, 12, 2),
        datetime.date(2026, 12, 16),
        datetime.date(2026, 12, 23),
        datetime.date(2026, 12, 30),
    }
    assert any("09/12/2026" in text for text in texts(response))


def test_an_invalid_periodic_form_is_shown_again_with_its_errors(parent, world, url):
    response = periodic(parent, world, url, start="2026-12-20", end="2026-12-01")
    assert response.status_code == 200
    assert response.context["periodic_form"].errors["end"]
    response = periodic(parent, world, url, start="2026-12-01", end="2026-12-31", units=[])
    assert response.status_code == 200
    assert "units" in response.context["periodic_form"].errors
    assert not BasketItem.objects.exists()


def test_periodic_booking_for_another_familys_child_is_not_found(parent, world, url):
    _family, _guardian, (their_child,) = world.add_family()
    response = periodic(
        parent,
        world,
        url,
        child=[world.child.pk, their_child.pk],
        start="2026-12-01",
        end="2026-12-31",
    )
    assert response.status_code == 404
    assert not BasketItem.objects.exists()


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
