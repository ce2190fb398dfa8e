"""« Mon calendrier »: the month per child with its states, what another family may not
see, and what the month costs in queries."""

import datetime
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from reservations.choices import ReservationStatus as S
from reservations.models import (
    Absence,
    BasketItem,
    Reservation,
    ReservationEvent,
    Slot,
)
from reservations.selectors.calendar import LABELS, CellState
from reservations.services import basket as basket_services
from reservations.services import booking
from reservations.services.configuration import activity_slots_generate
from tests import factories

from ...conftest import NOW, WEDNESDAY
from .conftest import (
    DEC_2,
    DEC_9,
    DEC_16,
    DEC_23,
    NOV_11,
    NOV_18,
    PDF,
    book,
    cells_by_day,
    month_cells,
    url,
)

pytestmark = pytest.mark.django_db


# --- The month calendar -----------------------------------------------------------------


def test_the_month_shows_each_state_with_code_words_and_links(logged_in, portal, world):
    world.activity.booking_validation = "staff"
    world.activity.save()
    staff = factories.UserFactory(is_staff=True)
    other, other_guardian, (other_child,) = world.add_family()
    book(world, other, other_child, other_guardian, [DEC_9])  # takes the only place
    ours = book(world, world.family, world.child, world.guardian, [WEDNESDAY, DEC_2, DEC_9])
    booking.reservation_accept(reservation_id=ours[WEDNESDAY].pk, actor=staff, now=NOW)
    basket_services.basket_add_bookings(
        family=world.family,
        child_id=world.child.pk,
        unit_id=world.unit.pk,
        days=[DEC_16],
        user=world.guardian.user,
        now=NOW,
    )

    november = logged_in.get(url(portal, "calendar"), {"month": "2026-11"})
    assert november.status_code == 200
    cells = cells_by_day(november, datetime.date(2026, 11, 1))
    assert cells[NOV_11][0] == CellState.CLOSED  # Armistice, a public holiday
    assert cells[NOV_18][0] == CellState.OUT_OF_TIME
    state, body = cells[WEDNESDAY]
    assert state == CellState.ACCEPTED
    assert url(portal, "reservation_detail", reservation_id=ours[WEDNESDAY].pk) in body
    assert ">R<" in body and escape(str(LABELS[CellState.ACCEPTED])) in body

    december = logged_in.get(url(portal, "calendar"), {"month": "2026-12"})
    cells = cells_by_day(december, datetime.date(2026, 12, 1))
    assert cells[DEC_2][0] == CellState.REQUESTED and ">DR<" in cells[DEC_2][1]
    assert cells[DEC_9][0] == CellState.WAITING and ">LA<" in cells[DEC_9][1]
    assert url(portal, "reservation_detail", reservation_id=ours[DEC_9].pk) in cells[DEC_9][1]
    assert cells[DEC_16][0] == CellState.IN_BASKET
    assert url(portal, "basket") in cells[DEC_16][1]
    assert cells[DEC_23][0] == CellState.AVAILABLE
    content = december.content.decode()
    # The narrow-screen list says the same in words, and the legend explains every state.
    assert f'<li class="cal-list__entry" data-state="{CellState.WAITING}">' in content
    for state, label in LABELS.items():
        assert f"cal__cell--{state}" in content
        assert escape(str(label)) in content
    assert 'data-basket-count="1"' in content
    assert url(portal, "basket") in content and url(portal, "booking_start") in content
    assert url(portal, "calendar_pdf") + "?month=2026-12" in content
    assert url(portal, "calendar_feed_settings") in content
    assert 'scope="col"' in content and "<caption" in content


def test_month_navigation(logged_in, portal, world):
    response = logged_in.get(url(portal, "calendar"), {"month": "2026-12"})
    content = response.content.decode()
    assert 'href="?month=2026-11" rel="prev"' in content
    assert 'href="?month=2027-01" rel="next"' in content
    assert len(month_cells(response)) == 31
    # ISO weeks 49 to 53 cover December 2026.
    # "Sem. 49" to "Sem. 53": the days of each ISO week within December 2026.
    assert re.findall(r'<th scope="colgroup" colspan="(\d)">', content) == list("67774")

    # No month, or a malformed one: the month of today.
    for value in (None, "2026-13", "décembre"):
        response = logged_in.get(url(portal, "calendar"), {"month": value} if value else {})
        assert response.status_code == 200
        assert response.context["month"] == datetime.date(2026, 11, 1)
        assert len(month_cells(response)) == 30


def test_a_family_without_registration_sees_how_to_register(client, portal, clock):
    guardian = factories.GuardianFactory()
    client.force_login(guardian.user)
    response = client.get(url(portal, "calendar"))
    assert response.status_code == 200
    assert month_cells(response) == []
    assert url(portal, "home") in response.content.decode()


def test_the_calendar_needs_a_login(client, portal):
    response = client.get(url(portal, "calendar"))
    assert response.status_code == 302 and "login" in response["Location"]


# --- Another family's objects -----------------------------------------------------------


def test_another_familys_reservation_and_absence_are_not_found(client, portal, world):
    ours = book(world, world.family, world.child, world.guardian, [WEDNESDAY])[WEDNESDAY]
    absence = Absence.objects.create(
        reservation=ours,
        reason=Absence.Reason.ILLNESS,
        status="declared",
        original_name="certificat.pdf",
        content_type="application/pdf",
    )
    absence.certificate.save("certificate", io.BytesIO(PDF), save=True)
    _other, other_guardian, _kids = world.add_family()
    client.force_login(other_guardian.user)

    # (GET, POST) answers: 404, except a POST to a page that takes none at all (405).
    expected = {
        "reservation_detail": (404, 405),
        "reservation_cancel": (404, 404),
        "absence_declare": (404, 404),
        "offer_accept": (404, 404),
        "offer_decline": (404, 404),
    }
    for name, (get_status, post_status) in expected.items():
        address = url(portal, name, reservation_id=ours.pk)
        assert client.get(address).status_code == get_status, f"GET {name}"
        assert client.post(address, {"reason": "illness"}).status_code == post_status, name
    certificate = url(portal, "absence_certificate", absence_id=absence.pk)
    assert client.get(certificate).status_code == 404
    assert client.post(certificate).status_code == 405
    ours.refresh_from_db()
    assert ours.status == S.ACCEPTED
    assert not BasketItem.objects.exists()

    # The control: the family's own addresses answer (an action refuses a GET).
    client.force_login(world.guardian.user)
    assert client.get(url(portal, "reservation_detail", reservation_id=ours.pk)).status_code == 200
    assert client.get(url(portal, "offer_accept", reservation_id=ours.pk)).status_code == 405
    response = client.get(certificate)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF


def test_an_unknown_id_is_not_found(logged_in, portal):
    assert (
        logged_in.get(url(portal, "reservation_detail", reservation_id=999999)).status_code == 404
    )
    assert logged_in.post(url(portal, "offer_accept", reservation_id=999999)).status_code == 404


# --- Query count ------------------------------------------------------------------------


def _calendar_queries(client, portal, user, month):
    client.force_login(user)
    address = url(portal, "calendar")
    assert client.get(address, {"month": month}).status_code == 200  # warm the caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address, {"month": month})
    assert response.status_code == 200
    return len(queries), response


def test_the_calendar_costs_the_same_queries_for_one_child_or_eight(client, portal, clock):
    activity = factories.ActivityFactory(weekdays=[0, 1, 2, 3, 4])
    units = [
        factories.UnitFactory(activity=activity, name=name, sort_order=order)
        for order, name in enumerate(["Matin", "Midi", "Soir"])
    ]
    group = factories.GroupFactory(activity=activity, capacity=30)
    activity_slots_generate(activity_id=activity.pk)

    def family_with(children):
        family = factories.FamilyFactory()
        guardian = factories.GuardianFactory(family=family)
        kids = []
        for _ in range(children):
            child = factories.ChildFactory(family=family)
            factories.EnrolmentFactory(family=family, child=child, school_year=activity.school_year)
            factories.RegistrationFactory(
                family=family, child=child, activity=activity, group=group
            )
            kids.append(child)
        return family, guardian, kids

    _small, small_guardian, _one = family_with(1)
    large, large_guardian, eight = family_with(8)
    slots = list(
        Slot.objects.filter(unit__in=units, day__month=12, day__year=2026).order_by("day", "pk")
    )
    reservations = Reservation.objects.bulk_create(
        [
            Reservation(
                family=large,
                child=child,
                unit=slot.unit,
                slot=slot,
                day=slot.day,
                status=S.ACCEPTED,
                unit_price="4.50",
            )
            for slot in slots
            for child in eight
        ][:500]
    )
    assert len(reservations) == 500
    ReservationEvent.objects.bulk_create(
        [ReservationEvent(reservation=r, to_status=S.ACCEPTED, at=NOW) for r in reservations]
    )
    Absence.objects.bulk_create(
        [
            Absence(reservation=r, reason=Absence.Reason.ILLNESS, status="excused")
            for r in reservations[:20]
        ]
    )
    cancelled = reservations[100]
    BasketItem.objects.create(
        family=large,
        child=cancelled.child,
        unit=cancelled.unit,
        day=cancelled.day,
        action="cancel",
    )

    small_count, _response = _calendar_queries(client, portal, small_guardian.user, "2026-12")
    large_count, response = _calendar_queries(client, portal, large_guardian.user, "2026-12")

    states = [state for state, _body in month_cells(response)]
    assert states.count(CellState.ACCEPTED) == 479
    assert states.count(CellState.CANCEL_IN_BASKET) == 1
    assert states.count(CellState.ABSENCE_EXCUSED) == 20
    assert large_count == small_count
    assert small_count <= 12
