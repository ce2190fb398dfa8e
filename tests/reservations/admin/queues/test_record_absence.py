"""« Enregistrer une absence »: staff record an absence on any validated day themselves,
excused or billed; the family is told and the decision is on its file."""

import pytest

from portal_features.models import FamilyEvent, Notification
from reservations.admin.queues import BookedDayQueue, queue_url
from reservations.models import Absence

from .helpers import FIELD_REQUIRED, accepted, listed

pytestmark = pytest.mark.django_db


def test_staff_record_an_absence_excused_or_billed(staff_client, world, day, enfance_user):
    ill = accepted(world, world.family, world.child, world.guardian, day, enfance_user)
    f2, g2, (c2,) = world.add_family()
    later = world.unit.slots.filter(day__gt=day).order_by("day").first().day
    away = accepted(world, f2, c2, g2, later, enfance_user)

    content = staff_client.get(queue_url(BookedDayQueue)).content.decode()
    assert listed(content, world.child) and listed(content, c2)

    staff_client.post(queue_url(BookedDayQueue, "excuse", ill.pk), {"reason": "Appel de la mère"})
    absence = Absence.objects.get(reservation=ill)
    assert (absence.status, absence.staff_note) == ("excused", "Appel de la mère")
    assert absence.decided_by == enfance_user
    assert FamilyEvent.objects.filter(
        family=world.family, data__absence_id=absence.pk, action="accepted"
    ).exists()

    no_note = staff_client.post(queue_url(BookedDayQueue, "bill", away.pk), {"reason": ""})
    assert no_note.context["form"].errors["reason"] == [FIELD_REQUIRED]
    assert not Absence.objects.filter(reservation=away).exists()
    staff_client.post(queue_url(BookedDayQueue, "bill", away.pk), {"reason": "Non prévenu"})
    assert Absence.objects.get(reservation=away).status == "billed"
    assert Notification.objects.filter(family=f2, kind="request_refused").exists()
    assert FamilyEvent.objects.filter(family=f2, action="refused").exists()

    # Decided: no longer awaiting, and a second decision is refused.
    content = staff_client.get(queue_url(BookedDayQueue)).content.decode()
    assert not listed(content, world.child) and not listed(content, c2)
    staff_client.post(queue_url(BookedDayQueue, "bill", ill.pk), {"reason": "Erreur"})
    assert Absence.objects.get(reservation=ill).status == "excused"
