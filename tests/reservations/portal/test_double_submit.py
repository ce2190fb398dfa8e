"""Safe forms: the basket's form submitted twice (double click, two tabs, Back then
« Valider ») makes one order, and both submissions land on its receipt."""

import datetime
import re
import threading
import uuid

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.utils import timezone
from wagtail.models import Site

from cms.models import CommuneSettings
from portal_features.portal.urls import portal_path
from reservations.models import BasketItem, Order
from reservations.services import basket as basket_services
from tests import factories

from ..conftest import NOW, WEDNESDAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def portal(home_page):
    CommuneSettings.for_site(Site.objects.get(is_default_site=True))
    return factories.PortalPageFactory(parent=home_page)


@pytest.fixture
def url(portal):
    def build(name, **kwargs):
        return portal.url + portal_path(f"reservations:{name}", **kwargs)

    return build


@pytest.fixture
def parent(client, world, portal, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    client.force_login(world.guardian.user)
    return client


def fill_basket(world):
    added, refused = basket_services.basket_add_bookings(
        family=world.family,
        child_id=world.child.pk,
        unit_id=world.unit.pk,
        days=[WEDNESDAY],
        user=None,
        now=NOW,
    )
    assert added and not refused


def submission_key(response) -> str:
    return re.search(r'name="submission_key" value="([0-9a-f-]{36})"', response.text).group(1)


def test_the_basket_form_carries_a_new_submission_key_each_time(parent, world, url):
    fill_basket(world)

    first, second = parent.get(url("basket")), parent.get(url("basket"))

    assert submission_key(first) != submission_key(second)
    assert {"private", "no-store"} <= {part.strip() for part in first["Cache-Control"].split(",")}


def test_the_same_form_submitted_twice_makes_one_order_and_shows_its_receipt_twice(
    parent, world, url, django_capture_on_commit_callbacks
):
    fill_basket(world)
    key = submission_key(parent.get(url("basket")))

    with django_capture_on_commit_callbacks(execute=True):
        first = parent.post(url("basket_submit"), {"submission_key": key})
        second = parent.post(url("basket_submit"), {"submission_key": key})

    order = Order.objects.get(family=world.family)
    receipt = url("order_detail", order_id=order.pk)
    assert (first.status_code, first["Location"]) == (302, receipt)
    assert (second.status_code, second["Location"]) == (302, receipt)
    assert str(order.submission_key) == key
    assert order.lines.count() == 1
    assert len([m for m in mail.outbox if order.number in m.subject]) == 1
    for response in (first, second):
        assert no_store(response)


def test_a_new_form_after_an_order_is_a_new_submission(parent, world, url):
    fill_basket(world)
    parent.post(url("basket_submit"), {"submission_key": submission_key(parent.get(url("basket")))})
    other_day = WEDNESDAY + datetime.timedelta(days=7)
    basket_services.basket_add_bookings(
        family=world.family,
        child_id=world.child.pk,
        unit_id=world.unit.pk,
        days=[other_day],
        user=None,
        now=NOW,
    )

    parent.post(url("basket_submit"), {"submission_key": submission_key(parent.get(url("basket")))})

    assert Order.objects.filter(family=world.family).count() == 2


def test_another_familys_key_finds_nothing(parent, world, url):
    other, _, (other_child,) = world.add_family()
    key = uuid.uuid4()
    basket_services.basket_add_bookings(
        family=other,
        child_id=other_child.pk,
        unit_id=world.unit.pk,
        days=[WEDNESDAY],
        user=None,
        now=NOW,
    )
    basket_services.basket_submit(family=other, user=None, now=NOW, submission_key=key)

    response = parent.post(url("basket_submit"), {"submission_key": str(key)})

    assert response.status_code == 200  # the empty basket, with its message
    assert not Order.objects.filter(family=world.family).exists()


def no_store(response) -> bool:
    return {"private", "no-store"} <= {
        part.strip() for part in response["Cache-Control"].split(",")
    }


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent transactions need PostgreSQL here"
)
# Serialized rollback: the site and its home page (made by the migrations) are restored before
# the test, whichever transactional test flushed the database before it on this worker.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_submissions_at_once_make_one_order_and_no_error(world, portal, url, monkeypatch):
    """Two browsers' requests at the same moment: the second waits on the basket's lock,
    then finds the order. (The test suite's in-memory SQLite locks tables rather than the
    file, unlike the demo's: tests/cms/site/test_sqlite_locks.py checks the demo's file.)"""
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    fill_basket(world)
    key = str(uuid.uuid4())
    barrier = threading.Barrier(2)
    responses = []

    def submit():
        client = Client(raise_request_exception=False)
        client.force_login(world.guardian.user)
        barrier.wait()
        try:
            responses.append(client.post(url("basket_submit"), {"submission_key": key}))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(r.status_code for r in responses) == [302, 302]
    order = Order.objects.get(family=world.family)
    receipt = url("order_detail", order_id=order.pk)
    assert [(r.status_code, r["Location"]) for r in responses] == [(302, receipt)] * 2
    assert not BasketItem.objects.filter(family=world.family).exists()
