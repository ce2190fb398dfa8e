"""The portal home says what matters, in this order: what is urgent (a place offered with
its deadline, a booking refused lately, a document missing, linked to its upload), then the
next booked days, the requests in progress and the basket not sent, the news and the
documents to download. It costs the same queries for one child as for four with many
days."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reservations.choices import BasketAction
from reservations.choices import ReservationStatus as S
from reservations.models import BasketItem, Reservation
from tests.factories import (
    DocumentTypeFactory,
    LibraryDocumentFactory,
    NewsIndexPageFactory,
    NewsPageFactory,
)

from ...conftest import NOW, WEDNESDAY

pytestmark = pytest.mark.django_db

WEDNESDAYS = [WEDNESDAY + datetime.timedelta(days=7 * week) for week in range(4)]


def reserve(world, family, child, day, status, **fields):
    slot = world.slot(day)
    return Reservation.objects.create(
        family=family, child=child, unit=world.unit, slot=slot, day=day, status=status, **fields
    )


def fill(world, family, children):
    """Per child: two days booked, one awaiting staff, a place offered on the last Wednesday,
    a booking refused yesterday; and one day in the basket."""
    for child in children:
        for day in WEDNESDAYS[:2]:
            reserve(world, family, child, day, S.ACCEPTED)
        reserve(world, family, child, WEDNESDAYS[2], S.REQUESTED)
        reserve(
            world,
            family,
            child,
            WEDNESDAYS[3],
            S.OFFERED,
            offer_expires_at=NOW + datetime.timedelta(hours=20),
        )
        reserve(
            world,
            family,
            child,
            WEDNESDAYS[3],
            S.REFUSED,
            decided_at=NOW - datetime.timedelta(days=1),
        )
    BasketItem.objects.create(
        family=family,
        child=children[0],
        unit=world.unit,
        day=WEDNESDAYS[1] + datetime.timedelta(days=7 * 4),
        action=BasketAction.BOOK,
    )


@pytest.fixture
def site_content(home_page):
    document_type = DocumentTypeFactory(name="Carnet de vaccination", scope="child")
    NewsPageFactory(
        parent=NewsIndexPageFactory(parent=home_page),
        title="Kermesse de juin",
        date=NOW.date() - datetime.timedelta(days=2),
    )
    LibraryDocumentFactory(title="Règlement intérieur 2026-2027")
    return document_type


def test_the_home_lists_urgent_items_first_then_days_requests_news_documents(
    client, portal, world, site_content
):
    fill(world, world.family, [world.child])
    client.force_login(world.guardian.user)

    html = client.get(portal.url).content.decode()

    name = world.child.first_name
    order = [
        "À faire en priorité",
        f"Une place est proposée pour {name}",
        "refusée",  # the booking refused yesterday
        f"Document à envoyer : Carnet de vaccination – {name}",
        "Prochains jours réservés",
        "Vos demandes en cours",
        "Dernières actualités",
        "Documents à télécharger",
    ]
    positions = [html.find(text) for text in order]
    assert -1 not in positions, dict(zip(order, positions, strict=True))
    assert positions == sorted(positions), dict(zip(order, positions, strict=True))
    # The missing document leads to the upload form with this document and child chosen.
    assert f"documents/?slot={site_content.pk}:{world.child.pk}#upload-heading" in html
    # The two days booked, the day awaiting staff, the basket not sent.
    assert html.count('<time datetime="2026-11-25">') == 1
    assert '<time datetime="2026-12-02">' in html
    assert "En attente de validation : 1 jour" in html
    assert "Votre panier contient 1 demande pas encore envoyée" in html
    assert "Kermesse de juin" in html and "Règlement intérieur 2026-2027" in html


def _count(client, user, url) -> int:
    client.force_login(user)
    assert client.get(url).status_code == 200  # fills per-process caches
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_home_costs_the_same_queries_for_one_child_or_four_with_many_days(
    client, portal, world, site_content
):
    fill(world, world.family, [world.child])
    large, guardian, children = world.add_family(children=4)
    fill(world, large, children)
    assert Reservation.objects.filter(family=large).count() == 20

    small_count = _count(client, world.guardian.user, portal.url)
    large_count = _count(client, guardian.user, portal.url)

    assert small_count == large_count
    assert large_count <= 26
