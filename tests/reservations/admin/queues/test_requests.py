"""« Dossiers administratifs » and « Inscriptions »: single and bulk decisions, filters."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from portal_features.documents.services import supporting_document_upload
from portal_features.models import Notification
from reservations.admin.queues import (
    EnrolmentQueue,
    RegistrationQueue,
    queue_url,
)
from reservations.models import Registration
from reservations.services.requests import enrolment_submit
from tests.factories import ChildFactory, DocumentTypeFactory
from tests.files import pdf_bytes

from ...conftest import make_world
from .helpers import (
    FIELD_REQUIRED,
    REFUSAL_REQUIRED,
    listed,
    pending_enrolment,
    pending_registrations,
    status,
)

pytestmark = pytest.mark.django_db


def test_enrolment_queue_lists_only_pending_and_decides_one(staff_client, world, enfance_user):
    pending = pending_enrolment(world, "Léonie")
    content = staff_client.get(queue_url(EnrolmentQueue)).content.decode()
    assert "Léonie" in content
    # The world's own child has a validated file: not in the queue.
    assert not listed(content, world.child)

    response = staff_client.post(queue_url(EnrolmentQueue, "accept", pending.pk))

    assert response.status_code == 302 and response.url == queue_url(EnrolmentQueue)
    pending.refresh_from_db()
    assert (pending.status, pending.decided_by) == ("accepted", enfance_user)
    assert Notification.objects.filter(family=pending.family, kind="request_accepted").exists()
    assert "Léonie" not in staff_client.get(queue_url(EnrolmentQueue)).content.decode()
    decided = staff_client.get(queue_url(EnrolmentQueue), {"state": "decided"})
    assert "Léonie" in decided.content.decode()


def test_a_refusal_needs_its_reason(staff_client, world):
    pending = pending_enrolment(world, "Léonie")

    empty = staff_client.post(queue_url(EnrolmentQueue, "refuse", pending.pk), {"reason": " "})
    assert empty.status_code == 200
    assert empty.context["form"].errors["reason"] == [FIELD_REQUIRED]
    assert status(pending) == "pending"

    staff_client.post(
        queue_url(EnrolmentQueue, "refuse", pending.pk), {"reason": "Dossier incomplet"}
    )
    pending.refresh_from_db()
    assert (pending.status, pending.refusal_reason) == ("refused", "Dossier incomplet")
    notification = Notification.objects.get(family=pending.family, kind="request_refused")
    assert notification.body == "Dossier incomplet"


def test_registrations_bulk_accept(staff_client, world):
    registrations = pending_registrations(world, ("Anouk", "Basile", "Capucine"))
    bulk = queue_url(RegistrationQueue, "bulk")
    index = staff_client.get(queue_url(RegistrationQueue)).content.decode()
    assert bulk in index and "Anouk" in index
    assert not listed(index, world.child)

    response = staff_client.post(
        bulk, {"requests": [registrations[0].pk, registrations[1].pk], "decision": "accept"}
    )

    assert response.status_code == 302
    assert [status(r) for r in registrations] == ["accepted", "accepted", "pending"]
    assert Notification.objects.filter(kind="request_accepted").count() == 2


def test_registrations_bulk_refusal_needs_a_reason(staff_client, world):
    (registration,) = pending_registrations(world, ("Capucine",))
    bulk = queue_url(RegistrationQueue, "bulk")

    no_reason = staff_client.post(bulk, {"requests": [registration.pk], "decision": "refuse"})
    assert no_reason.status_code == 200
    assert no_reason.context["form"].errors["reason"] == [REFUSAL_REQUIRED]
    assert status(registration) == "pending"

    response = staff_client.post(
        bulk, {"requests": [registration.pk], "decision": "refuse", "reason": "Groupe complet"}
    )
    assert response.status_code == 302
    registration.refresh_from_db()
    assert (registration.status, registration.refusal_reason) == ("refused", "Groupe complet")
    assert Notification.objects.get(kind="request_refused").body == "Groupe complet"


def test_the_filters_narrow_the_list_and_the_bulk_screen(staff_client, world):
    other = make_world(capacity=1)
    mine = pending_enrolment(world, "Mathis")
    for w, name in ((world, "Ilona"), (other, "Zoé")):
        family, _guardian, (child,) = w.add_family()
        child.first_name = name
        child.save()
        Registration.objects.filter(child=child).update(status="pending")
    index = queue_url(RegistrationQueue)

    by_activity = staff_client.get(index, {"activity": world.activity.pk}).content.decode()
    assert "Ilona" in by_activity and "Zoé" not in by_activity
    bulk_link = f"{queue_url(RegistrationQueue, 'bulk')}?activity={world.activity.pk}"
    assert bulk_link in by_activity
    bulk = staff_client.get(bulk_link).content.decode()
    assert "Ilona" in bulk and "Zoé" not in bulk

    zoe_family = Registration.objects.get(child__first_name="Zoé").family
    searched = staff_client.get(index, {"q": zoe_family.name}).content.decode()
    assert "Zoé" in searched and "Ilona" not in searched

    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    later = staff_client.get(index, {"day_from": tomorrow}).content.decode()
    assert "Ilona" not in later and "Zoé" not in later
    today = timezone.localdate().isoformat()
    enrolments = staff_client.get(queue_url(EnrolmentQueue), {"day_from": today, "day_to": today})
    assert "Mathis" in enrolments.content.decode()
    assert mine.status == "pending"


def test_a_file_sent_while_its_documents_wait_is_validated_with_them(staff_client, world):
    """The family sends a document, then its file (documents pending may be: staff validate
    both); the queue shows what the file waits for, and one decision validates it all."""
    vaccinations = DocumentTypeFactory(name="Vaccinations", scope="child")
    family, guardian = world.family, world.guardian
    child = ChildFactory(family=family, first_name="Léonie")
    document = supporting_document_upload(
        family=family,
        document_type=vaccinations,
        child=child,
        uploaded_file=SimpleUploadedFile("carnet.pdf", pdf_bytes(), "application/pdf"),
        user=guardian.user,
    )
    enrolment = enrolment_submit(
        family=family,
        child_id=child.pk,
        school_year_id=world.activity.school_year_id,
        user=guardian.user,
    )
    accept = queue_url(EnrolmentQueue, "accept", enrolment.pk)
    page = staff_client.get(accept).content.decode()
    assert "Vaccinations – Léonie (carnet.pdf)" in page
    assert 'name="validate_documents"' in page and "checked" in page

    response = staff_client.post(accept, {"validate_documents": "on"})

    assert response.status_code == 302
    assert (status(document), status(enrolment)) == ("valid", "accepted")
