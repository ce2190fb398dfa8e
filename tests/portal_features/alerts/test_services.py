import pytest
from django.core import mail

from portal_features.alerts.services import notification_create, notifications_mark_read
from portal_features.audit import family_event_record
from portal_features.models import FamilyEvent, Notification
from tests.factories import FamilyFactory, GuardianFactory

pytestmark = pytest.mark.django_db


def test_an_alert_is_stored_and_e_mailed_to_guardians_who_agreed(
    django_capture_on_commit_callbacks,
):
    family = FamilyFactory()
    agreeing = GuardianFactory(family=family, user__email="claire@example.fr")
    GuardianFactory(
        family=family, is_primary=False, consents_to_email=False, user__email="marc@example.fr"
    )

    with django_capture_on_commit_callbacks(execute=True):
        notification = notification_create(
            family=family,
            kind=Notification.Kind.DOCUMENT_VALIDATED,
            title="Pièce validée : vaccinations",
            link="/portail-famille/documents/",
        )

    assert notification.read_at is None
    assert [message.to for message in mail.outbox] == [[agreeing.user.email]]
    assert "Pièce validée : vaccinations" in mail.outbox[0].subject
    assert "http://testserver/portail-famille/documents/" in mail.outbox[0].body


def test_no_e_mail_leaves_when_the_transaction_is_rolled_back(django_capture_on_commit_callbacks):
    family = FamilyFactory()
    GuardianFactory(family=family)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notification_create(family=family, kind=Notification.Kind.NEW_MESSAGE, title="Message")

    assert len(callbacks) == 1
    assert mail.outbox == []


def test_marking_read_touches_only_the_familys_own_alerts():
    family, other = FamilyFactory(), FamilyFactory()
    mine = notification_create(family=family, kind="new_message", title="A")
    theirs = notification_create(family=other, kind="new_message", title="B")

    assert notifications_mark_read(family=family, notification_ids=[mine.pk, theirs.pk]) == 1

    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.read_at is not None
    assert theirs.read_at is None


def test_family_events_record_who_did_what():
    family = FamilyFactory()
    staff = GuardianFactory().user

    event = family_event_record(
        family=family,
        actor=staff,
        action=FamilyEvent.Action.ACCEPTED,
        description="Dossier accepté",
    )

    assert list(family.events.all()) == [event]
    assert event.actor == staff
