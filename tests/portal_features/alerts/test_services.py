import pytest
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from portal_features.alerts.kinds import AlertKind, kind_label, registered_kinds
from portal_features.alerts.services import notifications_mark_read
from portal_features.alerts.tell import FileEvent, family_tell
from portal_features.audit import family_event_record
from portal_features.models import FamilyEvent, Link, Notification
from tests.factories import FamilyFactory, GuardianFactory, PortalPageFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def portal(home_page):
    return PortalPageFactory(parent=home_page)


def test_an_alert_is_stored_and_e_mailed_to_guardians_who_agreed(
    django_capture_on_commit_callbacks, portal
):
    family = FamilyFactory()
    agreeing = GuardianFactory(family=family, user__email="claire@example.fr")
    GuardianFactory(
        family=family, is_primary=False, consents_to_email=False, user__email="marc@example.fr"
    )

    with django_capture_on_commit_callbacks(execute=True):
        notification = family_tell(
            family,
            kind=AlertKind.DOCUMENT_VALIDATED,
            title="Pièce validée : vaccinations",
            link=Link("documents:list"),
        )

    assert notification.read_at is None
    assert [message.to for message in mail.outbox] == [[agreeing.user.email]]
    assert "Pièce validée : vaccinations" in mail.outbox[0].subject
    assert f"http://testserver{portal.url}documents/" in mail.outbox[0].body
    assert (notification.link_view, notification.link_kwargs) == ("documents:list", {})


def test_no_e_mail_leaves_when_the_transaction_is_rolled_back(django_capture_on_commit_callbacks):
    family = FamilyFactory()
    GuardianFactory(family=family)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        family_tell(family, kind=AlertKind.NEW_MESSAGE, title="Message")
    assert len(callbacks) == 1
    assert mail.outbox == []

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        family_tell(family, kind=AlertKind.NEW_MESSAGE, title="Message")
        raise RuntimeError("the change the alert tells fails")
    assert callbacks == []
    assert mail.outbox == []


def test_the_copy_is_read_rendered_and_sent_by_the_worker_from_the_alerts_id(
    django_capture_on_commit_callbacks, database_tasks, portal
):
    family = FamilyFactory()
    agreeing = GuardianFactory(family=family, user__email="claire@example.fr")

    with (
        CaptureQueriesContext(connection) as in_request,
        django_capture_on_commit_callbacks(execute=True),
    ):
        notification = family_tell(
            family,
            kind=AlertKind.NEW_MESSAGE,
            title="Nouveau message",
            link=Link("documents:list"),
        )
    # The alert's row, then the queued task's: no guardian read, no template.
    tables = [query["sql"].split('"')[1] for query in in_request]
    assert tables == [Notification._meta.db_table, DBTaskResult._meta.db_table]
    assert DBTaskResult.objects.get(task_path__endswith=".notification_email_copies").args_kwargs[
        "kwargs"
    ] == {
        "notification_id": notification.pk,
        "language": "fr",
    }
    assert mail.outbox == []

    database_tasks()

    assert [message.to for message in mail.outbox] == [[agreeing.user.email]]
    assert "Nouveau message" in mail.outbox[0].subject
    assert f"http://testserver{portal.url}documents/" in mail.outbox[0].body


def test_marking_read_touches_only_the_familys_own_alerts():
    family, other = FamilyFactory(), FamilyFactory()
    mine = family_tell(family, kind="new_message", title="A")
    theirs = family_tell(other, kind="new_message", title="B")

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


def test_telling_records_the_event_on_the_file_and_stores_the_alert(
    django_capture_on_commit_callbacks, portal
):
    family = FamilyFactory()
    GuardianFactory(family=family, user__email="claire@example.fr")
    staff = UserFactory(is_staff=True)

    with django_capture_on_commit_callbacks(execute=True):
        alert = family_tell(
            family,
            kind=AlertKind.REQUEST_REFUSED,
            title="Demande refusée",
            body="Justificatif illisible",
            link=Link("messaging:thread_detail", thread_id=42),
            actor=staff,
            event=FileEvent(FamilyEvent.Action.REFUSED, data={"id": 7}),
        )

    event = family.events.get()
    assert (event.action, event.description, event.actor, event.data) == (
        FamilyEvent.Action.REFUSED,
        "Demande refusée",
        staff,
        {"id": 7},
    )
    assert alert.link == Link("messaging:thread_detail", thread_id=42)
    assert alert.created_at == event.created_at
    assert f"http://testserver{portal.url}messages/42/" in mail.outbox[0].body


def test_the_link_follows_the_portal_page_when_editors_move_it(client, portal, home_page):
    guardian = GuardianFactory()
    family_tell(guardian.family, kind="new_message", title="A", link=Link("documents:list"))
    portal.slug = "espace-familles"
    portal.save_revision().publish()
    portal.refresh_from_db()
    client.force_login(guardian.user)

    html = client.get(portal.url + "alerts/").content.decode()

    assert "/espace-familles/" in portal.url
    assert f'href="{portal.url}documents/"' in html


def test_e_mailed_links_read_the_portal_address_once_and_follow_a_move(
    django_capture_on_commit_callbacks, portal
):
    guardian = GuardianFactory(user__email="claire@example.fr")

    def tell(title):
        with django_capture_on_commit_callbacks(execute=True):
            family_tell(
                guardian.family, kind="new_message", title=title, link=Link("documents:list")
            )
        return mail.outbox[-1].body

    tell("first")  # also makes the commune's settings row, whose saving purges
    tell("second")
    with CaptureQueriesContext(connection) as third:
        body = tell("third")
    assert f"http://testserver{portal.url}documents/" in body
    # Neither the portal page nor the commune's settings are read again.
    assert not [query for query in third if "wagtailcore_page" in query["sql"]]

    portal.slug = "espace-familles"
    portal.save_revision().publish()
    portal.refresh_from_db()

    assert f"http://testserver{portal.url}documents/" in tell("after the move")
    assert "/espace-familles/" in portal.url


def test_an_unregistered_kind_is_refused():
    family = FamilyFactory()

    with pytest.raises(ValueError, match="register"):
        family_tell(family, kind="invoice_pubished", title="Facture")

    assert not Notification.objects.exists()
    assert not family.events.exists()


def test_each_app_registers_its_kinds():
    kinds = registered_kinds()

    assert {"document_validated", "order_received", "invoice_published"} <= set(kinds)
    assert str(kind_label("invoice_published")) == "Facture publiée"
