"""« Absences »: excused or billed, one or several; the medical certificate, for staff only."""

import pytest
from django.contrib.auth.models import Group

from portal_features.models import Notification
from reservations.admin.queues import (
    AbsenceQueue,
    queue_url,
)
from tests import factories

from .helpers import (
    FIELD_REQUIRED,
    PDF,
    declared_absence,
    listed,
    refused,
    status,
)

pytestmark = pytest.mark.django_db


def test_absences_are_excused_or_billed(staff_client, world, day, enfance_user):
    sick = declared_absence(world, world.family, world.child, world.guardian, day, enfance_user)
    f2, g2, (c2,) = world.add_family()
    later = world.unit.slots.filter(day__gt=day).order_by("day").first().day
    away = declared_absence(world, f2, c2, g2, later, enfance_user, certificate=False)

    content = staff_client.get(queue_url(AbsenceQueue)).content.decode()
    assert listed(content, world.child) and listed(content, c2)
    assert queue_url(AbsenceQueue, "certificate", sick.pk) in content

    staff_client.post(queue_url(AbsenceQueue, "excuse", sick.pk), {"reason": ""})
    assert status(sick) == "excused"

    no_note = staff_client.post(queue_url(AbsenceQueue, "bill", away.pk), {"reason": ""})
    assert no_note.context["form"].errors["reason"] == [FIELD_REQUIRED]
    staff_client.post(queue_url(AbsenceQueue, "bill", away.pk), {"reason": "Sans justificatif"})
    away.refresh_from_db()
    assert (away.status, away.staff_note) == ("billed", "Sans justificatif")
    assert Notification.objects.filter(family=f2, kind="request_refused").exists()

    content = staff_client.get(queue_url(AbsenceQueue)).content.decode()
    assert not listed(content, world.child) and not listed(content, c2)


def test_absences_in_bulk(staff_client, world, day, enfance_user):
    days = list(world.unit.slots.filter(day__gte=day).order_by("day").values_list("day", flat=True))
    declared = [
        declared_absence(world, world.family, world.child, world.guardian, d, enfance_user)
        for d in days[:3]
    ]
    bulk = queue_url(AbsenceQueue, "bulk")
    assert world.child.first_name in staff_client.get(bulk).content.decode()

    no_note = staff_client.post(bulk, {"requests": [declared[2].pk], "decision": "bill"})
    assert no_note.context["form"].errors["reason"]
    staff_client.post(bulk, {"requests": [declared[0].pk, declared[1].pk], "decision": "excuse"})
    staff_client.post(
        bulk, {"requests": [declared[2].pk], "decision": "bill", "reason": "Hors délai"}
    )

    assert [status(a) for a in declared] == ["excused", "excused", "billed"]


def test_the_certificate_is_downloaded_by_staff_only(client, world, day, enfance_user):
    absence = declared_absence(world, world.family, world.child, world.guardian, day, enfance_user)
    url = queue_url(AbsenceQueue, "certificate", absence.pk)

    client.force_login(world.guardian.user)
    assert refused(client.get(url))

    # Staff of the communication team reach the admin but not the families' absences.
    from cms.staff_groups import COMMUNICATION

    communication = factories.UserFactory()
    communication.groups.add(Group.objects.get(name=COMMUNICATION))
    client.force_login(communication)
    assert refused(client.get(url))

    client.force_login(enfance_user)
    inspect = client.get(queue_url(AbsenceQueue, "inspect", absence.pk)).content.decode()
    assert url in inspect and "certificat médical.pdf" in inspect
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_an_absence_without_certificate_has_nothing_to_download(
    staff_client, world, day, enfance_user
):
    absence = declared_absence(
        world, world.family, world.child, world.guardian, day, enfance_user, certificate=False
    )
    assert staff_client.get(queue_url(AbsenceQueue, "certificate", absence.pk)).status_code == 404
