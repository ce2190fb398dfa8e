"""The portal home: what needs the family's attention (files, refusals, offers)."""

import datetime

import pytest
from django.test import RequestFactory
from django.utils.formats import date_format
from django.utils.translation import gettext

from core.french import elide
from portal_features.portal.urls import portal_reverse
from reservations.attention import attention_items
from reservations.eligibility import local_datetime
from reservations.models import Reservation
from tests.factories import (
    EnrolmentFactory,
)

from ...conftest import NOW, WEDNESDAY
from .conftest import R, new_child, next_year, open_activity, register, url

pytestmark = pytest.mark.django_db


# --- The portal home: what needs the family's attention ------------------------------


@pytest.fixture
def attention_world(world):
    coming = next_year()
    lea = new_child(world)
    EnrolmentFactory(
        family=world.family,
        child=lea,
        school_year=world.activity.school_year,
        status=R.REFUSED,
        refusal_reason="Pièce illisible",
    )
    for days_ago, name in [(3, "CLV Été"), (60, "CLV Printemps")]:
        register(
            world,
            open_activity(world, name=name),
            status=R.REFUSED,
            refusal_reason="Complet",
            decided_at=NOW - datetime.timedelta(days=days_ago),
        )
    slot = world.slot(WEDNESDAY + datetime.timedelta(days=7))
    Reservation.objects.create(
        family=world.family,
        child=world.child,
        unit=world.unit,
        slot=slot,
        day=slot.day,
        status="offered",
        offer_expires_at=NOW + datetime.timedelta(hours=20),
    )
    return world, lea, coming


def test_attention_items_for_files_refusals_and_offers(
    portal, attention_world, django_assert_max_num_queries
):
    world, lea, coming = attention_world
    slot_day = WEDNESDAY + datetime.timedelta(days=7)
    # More children: the count of queries stays the same.
    for _index in range(4):
        new_child(world, first_name=f"Enfant{_index}")
    request = RequestFactory().get("/")
    request.portal_page = portal
    portal_reverse(request, "home")  # the site's lookup, done once per request by the portal

    with django_assert_max_num_queries(4):
        items = attention_items(world.family, request, now=NOW)

    texts = [item.text for item in items]
    year = world.activity.school_year
    assert texts[0] == gettext(
        "A place is offered for %(child)s on %(day)s (%(unit)s): accept it before %(deadline)s"
    ) % {
        "child": world.child.first_name,
        "day": date_format(slot_day, "DATE_FORMAT"),
        "unit": world.unit.name,
        "deadline": local_datetime(NOW + datetime.timedelta(hours=20)),
    }
    assert items[0].url == url(portal, "calendar")
    to_complete = gettext("Administrative file %(year)s of %(child)s to complete")
    assert to_complete % {"year": year, "child": "Léa"} in texts  # refused: to send again
    assert to_complete % {"year": coming, "child": "Léa"} in texts
    name = world.child.first_name  # « Enfant… »: « d'Enfant… »
    assert elide(to_complete % {"year": coming, "child": name}, name) in texts
    assert elide(to_complete % {"year": year, "child": name}, name) not in texts
    refused = gettext("Registration of %(child)s to %(activity)s refused")
    assert elide(refused % {"child": name, "activity": "CLV Été"}, name) in texts
    assert refused % {"child": world.child.first_name, "activity": "CLV Printemps"} not in texts
    assert url(portal, "enrolment_submit", child_id=lea.pk, school_year_id=coming.pk) in [
        item.url for item in items
    ]


def test_the_portal_home_shows_them(client, portal, attention_world):
    world, lea, coming = attention_world
    client.force_login(world.guardian.user)

    content = client.get(portal.url).content.decode()

    assert (
        gettext("Administrative file %(year)s of %(child)s to complete")
        % {"year": coming, "child": "Léa"}
        in content
    )
    assert url(portal, "calendar") in content


def test_no_attention_item_for_an_up_to_date_family(portal, world):
    request = RequestFactory().get("/")
    request.portal_page = portal

    assert attention_items(world.family, request, now=NOW) == []
