"""« Mon calendrier »: accepting or declining an offered place."""

import datetime

import pytest

from reservations.choices import ReservationStatus as S
from reservations.services import booking

from ...conftest import NOW
from .conftest import (
    DEC_2,
    book,
    url,
)

pytestmark = pytest.mark.django_db


# --- Offered places ---------------------------------------------------------------------


@pytest.fixture
def offered(world):
    """The family waits on 2 Dec; the other family's cancellation offers it the place."""
    other, other_guardian, (other_child,) = world.add_family()
    theirs = book(world, other, other_child, other_guardian, [DEC_2])[DEC_2]
    ours = book(world, world.family, world.child, world.guardian, [DEC_2])[DEC_2]
    booking.reservation_cancel(
        family=other, reservation_id=theirs.pk, user=other_guardian.user, now=NOW
    )
    ours.refresh_from_db()
    assert ours.status == S.OFFERED
    return ours


def test_accepting_an_offered_place(logged_in, portal, offered):
    detail = logged_in.get(url(portal, "reservation_detail", reservation_id=offered.pk))
    assert detail.context["detail"].can_answer_offer
    assert url(portal, "offer_accept", reservation_id=offered.pk) in detail.content.decode()

    response = logged_in.post(url(portal, "offer_accept", reservation_id=offered.pk))

    assert response.status_code == 302
    offered.refresh_from_db()
    assert offered.status == S.ACCEPTED


def test_declining_an_offered_place(logged_in, portal, offered):
    response = logged_in.post(url(portal, "offer_decline", reservation_id=offered.pk))

    assert response.status_code == 302
    offered.refresh_from_db()
    assert offered.status == S.DECLINED
    assert offered.slot.booked == 0


def test_an_expired_offer_cannot_be_accepted(logged_in, portal, offered, clock):
    clock.now = offered.offer_expires_at + datetime.timedelta(minutes=1)
    detail = logged_in.get(url(portal, "reservation_detail", reservation_id=offered.pk))
    assert not detail.context["detail"].can_answer_offer

    response = logged_in.post(url(portal, "offer_accept", reservation_id=offered.pk), follow=True)

    (message,) = list(response.context["messages"])
    assert message.level_tag == "error"
    offered.refresh_from_db()
    assert offered.status == S.OFFERED
