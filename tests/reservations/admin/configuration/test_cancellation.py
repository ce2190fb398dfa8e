"""« Annulation collective »: confirmed, then cancelled, closed and told."""

import datetime

import pytest
from django.urls import reverse

from portal_features.models import Notification
from reservations.choices import AlertKind
from reservations.choices import ReservationStatus as S
from reservations.models import (
    Reservation,
)

from ...conftest import WEDNESDAY
from .helpers import CANCELLATION, book, form_errors, messages_of

pytestmark = pytest.mark.django_db


def test_collective_cancellation_confirms_then_cancels_closes_and_notifies(enfance, world):
    book(world, world.family, world.child, world.guardian)
    families = [world.family]
    for _ in range(2):
        family, guardian, (child,) = world.add_family()
        book(world, family, child, guardian)
        families.append(family)
    other_day = datetime.date(2026, 12, 2)
    book(world, world.family, world.child, world.guardian, day=other_day)
    data = {"day": "2026-11-25", "reason": "Grève du personnel", "activity": world.activity.pk}

    preview = enfance.post(reverse(CANCELLATION), data)

    assert preview.status_code == 200
    assert preview.context["preview"] == {
        "reservations": 3,
        "families": 3,
        "children": 3,
        "slots_to_close": 1,
    }
    assert Reservation.objects.filter(status=S.CANCELLED).count() == 0
    assert 'name="confirm"' in preview.content.decode()

    response = enfance.post(reverse(CANCELLATION), {**data, "confirm": "1"})

    assert response.status_code == 302
    level, text = messages_of(response)[0]
    assert level == "success" and "3" in text
    cancelled = Reservation.objects.filter(day=WEDNESDAY)
    assert {r.status for r in cancelled} == {S.CANCELLED}
    assert all(r.cancelled_by_commune for r in cancelled)  # never billed
    assert Reservation.objects.get(day=other_day).status == S.ACCEPTED
    slot = world.slot()
    assert (slot.is_closed, slot.closed_reason, slot.booked) == (True, "Grève du personnel", 0)
    notified = Notification.objects.filter(kind=AlertKind.DAY_CANCELLED)
    assert sorted(n.family_id for n in notified) == sorted(f.pk for f in families)


def test_collective_cancellation_for_one_school_keeps_the_day_open(enfance, world):
    book(world, world.family, world.child, world.guardian)
    family, guardian, (child,) = world.add_family()
    child.school = "École Pasteur"
    child.save()
    book(world, family, child, guardian)
    data = {"day": "2026-11-25", "reason": "Sortie scolaire", "school": "École Pasteur"}

    preview = enfance.post(reverse(CANCELLATION), data)
    assert preview.context["preview"]["reservations"] == 1
    assert preview.context["preview"]["slots_to_close"] == 0
    enfance.post(reverse(CANCELLATION), {**data, "confirm": "1"})

    assert Reservation.objects.get(child=child).status == S.CANCELLED
    assert Reservation.objects.get(child=world.child).status == S.ACCEPTED
    assert not world.slot().is_closed
    assert Notification.objects.filter(kind="day_cancelled").get().family == family


@pytest.mark.parametrize(
    "scope",
    [
        {},
        {"activity": "ACTIVITY", "school": "École Jules-Ferry"},
    ],
    ids=["no-scope", "two-scopes"],
)
def test_collective_cancellation_needs_exactly_one_scope_and_a_reason(enfance, world, scope):
    book(world, world.family, world.child, world.guardian)
    scope = {
        key: world.activity.pk if value == "ACTIVITY" else value for key, value in scope.items()
    }

    response = enfance.post(
        reverse(CANCELLATION), {"day": "2026-11-25", "reason": "Grève", "confirm": "1", **scope}
    )
    blank_reason = enfance.post(
        reverse(CANCELLATION),
        {"day": "2026-11-25", "reason": "  ", "activity": world.activity.pk, "confirm": "1"},
    )

    assert response.status_code == 200 and form_errors(response)["__all__"]
    assert "reason" in form_errors(blank_reason)
    assert Reservation.objects.get().status == S.ACCEPTED
    assert not world.slot().is_closed
