"""Supporting documents: staff validate or refuse them; expiring ones are notified by the
daily command."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command

from portal_features.alerts.kinds import AlertKind
from portal_features.documents.services import (
    supporting_document_refuse,
    supporting_document_validate,
    supporting_documents_notify_expiring,
)
from portal_features.errors import PortalError
from portal_features.models import (
    FamilyEvent,
    Notification,
)

from .conftest import TODAY, Status, make_document

pytestmark = pytest.mark.django_db


# Transitions -----------------------------------------------------------------------------


def test_validate_sets_the_default_validity_notifies_and_emails(
    family, child, vaccinations, staff, django_capture_on_commit_callbacks
):
    document = make_document(family, vaccinations, child)

    with django_capture_on_commit_callbacks(execute=True):
        validated = supporting_document_validate(
            document=document, actor=staff, valid_from=datetime.date(2026, 9, 1)
        )

    assert validated.status == Status.VALID
    assert validated.valid_until == datetime.date(2027, 8, 31)
    assert validated.decided_by == staff
    notification = Notification.objects.get(family=family)
    assert notification.kind == AlertKind.DOCUMENT_VALIDATED
    assert "01/09/2026" in notification.body and "31/08/2027" in notification.body
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["claire.dupont@example.fr"]
    assert FamilyEvent.objects.filter(family=family, action=FamilyEvent.Action.ACCEPTED).exists()


def test_refuse_needs_a_reason_then_notifies(
    family, child, vaccinations, staff, django_capture_on_commit_callbacks
):
    document = make_document(family, vaccinations, child)
    with pytest.raises(PortalError):
        supporting_document_refuse(document=document, actor=staff, reason="  ")

    with django_capture_on_commit_callbacks(execute=True):
        refused = supporting_document_refuse(
            document=document, actor=staff, reason="Page 2 manquante"
        )

    assert refused.status == Status.REFUSED
    assert refused.refusal_reason == "Page 2 manquante"
    notification = Notification.objects.get(family=family)
    assert notification.kind == AlertKind.DOCUMENT_REFUSED
    assert "Page 2 manquante" in notification.body
    assert len(mail.outbox) == 1
    # The refused file is kept for staff's history.
    assert refused.file.storage.exists(refused.file.name)


@pytest.mark.parametrize("status", [Status.VALID, Status.REFUSED])
@pytest.mark.parametrize("action", ["validate", "refuse"])
def test_only_a_pending_document_is_decided(family, child, vaccinations, staff, status, action):
    document = make_document(family, vaccinations, child, status=status)

    with pytest.raises(PortalError):
        if action == "validate":
            supporting_document_validate(document=document, actor=staff, valid_from=TODAY)
        else:
            supporting_document_refuse(document=document, actor=staff, reason="Non")

    document.refresh_from_db()
    assert document.status == status
    assert not Notification.objects.exists()


def test_validity_ending_before_it_starts_is_refused(family, child, vaccinations, staff):
    document = make_document(family, vaccinations, child)
    with pytest.raises(PortalError):
        supporting_document_validate(
            document=document,
            actor=staff,
            valid_from=TODAY,
            valid_until=TODAY - datetime.timedelta(days=1),
        )


def test_expiring_documents_are_notified_once(
    family, child, vaccinations, domicile, django_capture_on_commit_callbacks
):
    expiring = make_document(
        family,
        vaccinations,
        child,
        status=Status.VALID,
        valid_until=TODAY + datetime.timedelta(days=20),
    )
    make_document(  # far from its end
        family, domicile, status=Status.VALID, valid_until=TODAY + datetime.timedelta(days=90)
    )
    renewed = make_document(  # expiring, but a new one is already sent
        family, domicile, status=Status.VALID, valid_until=TODAY + datetime.timedelta(days=5)
    )
    make_document(family, domicile)

    with django_capture_on_commit_callbacks(execute=True):
        assert supporting_documents_notify_expiring(today=TODAY) == 1
    assert supporting_documents_notify_expiring(today=TODAY) == 0

    notification = Notification.objects.get(family=family)
    assert notification.kind == AlertKind.DOCUMENT_EXPIRING
    assert "Vaccinations – Léa" in notification.title
    assert len(mail.outbox) == 1
    expiring.refresh_from_db()
    renewed.refresh_from_db()
    assert expiring.expiry_notified_at is not None
    assert renewed.expiry_notified_at is None


def test_the_daily_command_runs(family, child, vaccinations, capsys):
    call_command("notify_expiring_documents")
    assert "0 document" in capsys.readouterr().out
