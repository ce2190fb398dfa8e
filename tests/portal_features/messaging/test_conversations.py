"""« Messagerie »: families write to the services, staff answer, each side is told."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape
from django.utils.translation import gettext as _

from cms.models import CommuneSettings
from core.errors import UploadError
from portal_features.alerts.kinds import AlertKind
from portal_features.errors import PortalError
from portal_features.messaging.services import (
    message_post_by_family,
    message_post_by_staff,
    thread_start,
)
from portal_features.models import (
    FamilyEvent,
    Link,
    MessageAttachment,
    Notification,
    Service,
    Theme,
)
from tests.factories import FamilyFactory, GuardianFactory, PortalPageFactory, UserFactory
from tests.files import pdf_bytes, png_bytes

pytestmark = pytest.mark.django_db

PDF = pdf_bytes()
PNG = png_bytes()


def pdf(name="attestation.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def stored_files(monkeypatch):
    """The attachment files this test wrote that are still on disk."""
    storage = MessageAttachment._meta.get_field("file").storage
    written = []
    original_save = storage.save

    def save(name, content, *args, **kwargs):
        written.append(original_save(name, content, *args, **kwargs))
        return written[-1]

    monkeypatch.setattr(storage, "save", save)
    return lambda: {name for name in written if storage.exists(name)}


@pytest.fixture
def portal(home_page):
    # The commune's settings exist, as on any site: created by the first visit, their save
    # would purge the page cache between two measured visits.
    CommuneSettings.for_site(home_page.get_site())
    return PortalPageFactory(parent=home_page)


@pytest.fixture
def service():
    return Service.objects.create(name="Centres de loisirs", email="alsh@mairie.example.fr")


@pytest.fixture
def theme(service):
    return Theme.objects.create(service=service, name="Modifications")


@pytest.fixture
def guardian():
    return GuardianFactory(family=FamilyFactory(name="DUPONT", number="202600001"))


@pytest.fixture
def family(guardian):
    return guardian.family


def start(family, service, theme, guardian, **kwargs):
    values = {"subject": "Inscription mercredi", "body": "Bonjour, …", "attachments": ()}
    values.update(kwargs)
    return thread_start(family=family, service=service, theme=theme, user=guardian.user, **values)


# Services ---------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [0, 1, 3])
def test_a_family_starts_a_conversation_with_up_to_three_attachments(
    stored_files, family, service, theme, guardian, count
):
    thread = start(family, service, theme, guardian, attachments=[pdf() for _ in range(count)])

    message = thread.messages.get()
    assert thread.staff_unread and not thread.family_unread
    assert message.attachments.count() == count
    assert len(stored_files()) == count
    assert FamilyEvent.objects.filter(family=family, action="created").exists()


def test_a_fourth_attachment_is_refused_and_nothing_is_saved(
    stored_files, family, service, theme, guardian
):
    with pytest.raises(PortalError) as refused:
        start(family, service, theme, guardian, attachments=[pdf() for _ in range(4)])

    assert str(refused.value) == _("You can attach at most %(maximum)d files to a message.") % {
        "maximum": 3
    }
    assert not family.threads.exists()
    assert stored_files() == set()


def test_a_bad_file_after_good_ones_leaves_no_file_behind(
    stored_files, family, service, theme, guardian
):
    fake = SimpleUploadedFile("virus.pdf", b"<html>%PDF-</html>", content_type="application/pdf")

    with pytest.raises(UploadError) as refused:
        start(family, service, theme, guardian, attachments=[pdf(), fake])

    assert str(refused.value).startswith("virus.pdf")
    assert _("This file is not a PDF, JPEG or PNG document.") in str(refused.value)
    assert not family.threads.exists()
    assert MessageAttachment.objects.count() == 0
    assert stored_files() == set()


def test_a_failure_after_the_files_are_written_removes_them(
    stored_files, monkeypatch, family, service, theme, guardian
):
    import portal_features.messaging.services as services

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "family_event_record", broken)

    with pytest.raises(RuntimeError):
        start(family, service, theme, guardian, attachments=[pdf(), pdf()])

    assert MessageAttachment.objects.count() == 0
    assert stored_files() == set()


def test_a_too_large_attachment_is_refused(stored_files, family, service, theme, guardian):
    big = pdf(content=PDF + b"0" * (6 * 1024 * 1024))

    with pytest.raises(UploadError) as refused:
        start(family, service, theme, guardian, attachments=[big])

    assert _("The file is too large (%(size)s); the maximum is %(maximum)s.")[:10] in str(
        refused.value
    )
    assert stored_files() == set()


def test_a_theme_of_another_service_or_an_inactive_one_is_refused(family, service, theme, guardian):
    other_service = Service.objects.create(name="Restauration scolaire")
    closed = Theme.objects.create(service=service, name="Ancien thème", is_active=False)

    with pytest.raises(PortalError):
        start(family, other_service, theme, guardian)
    with pytest.raises(PortalError):
        start(family, service, closed, guardian)
    service.is_active = False
    service.save()
    with pytest.raises(PortalError):
        start(family, service, theme, guardian)
    assert not family.threads.exists()


def test_a_family_message_is_e_mailed_to_the_service(
    django_capture_on_commit_callbacks, family, service, theme, guardian
):
    with django_capture_on_commit_callbacks(execute=True):
        thread = start(family, service, theme, guardian, body="Détails confidentiels")

    assert [message.to for message in mail.outbox] == [["alsh@mairie.example.fr"]]
    email = mail.outbox[0]
    assert "202600001" in email.subject and "Inscription mercredi" in email.subject
    assert f"/admin/portal_features/thread/inspect/{thread.pk}/" in email.body
    # The message itself stays in the portal.
    assert "Détails confidentiels" not in email.body

    thread.staff_unread = False
    thread.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        message_post_by_family(thread=thread, body="Encore moi", user=guardian.user)
    thread.refresh_from_db()
    assert thread.staff_unread
    assert len(mail.outbox) == 1


def test_no_e_mail_when_the_service_has_no_address(
    django_capture_on_commit_callbacks, family, service, theme, guardian
):
    service.email = ""
    service.save()

    with django_capture_on_commit_callbacks(execute=True):
        start(family, service, theme, guardian)

    assert mail.outbox == []


def test_a_staff_reply_alerts_the_family_by_e_mail_and_marks_the_thread_unread(
    client, django_capture_on_commit_callbacks, portal, family, service, theme, guardian
):
    thread = start(family, service, theme, guardian)
    staff = UserFactory(is_staff=True)

    with django_capture_on_commit_callbacks(execute=True):
        message_post_by_staff(thread=thread, body="C'est noté.", actor=staff)

    thread.refresh_from_db()
    assert thread.family_unread and not thread.staff_unread
    alert = Notification.objects.get(family=family)
    assert alert.kind == AlertKind.NEW_MESSAGE
    assert alert.link == Link("messaging:thread_detail", thread_id=thread.pk)
    assert [message.to for message in mail.outbox] == [[guardian.user.email]]
    assert f"http://testserver{portal.url}messages/{thread.pk}/" in mail.outbox[0].body

    client.force_login(guardian.user)
    listing = client.get(portal.url + "messages/").content.decode()
    assert "thread-list__item--unread" in listing
    response = client.get(f"{portal.url}messages/{thread.pk}/")
    assert "C&#x27;est noté." in response.content.decode()

    thread.refresh_from_db()
    alert.refresh_from_db()
    assert not thread.family_unread
    assert alert.read_at is not None
    assert "thread-list__item--unread" not in client.get(portal.url + "messages/").content.decode()


# Family screens ---------------------------------------------------------------------------


def test_the_new_message_form_sends_with_attachments(client, stored_files, portal, guardian, theme):
    client.force_login(guardian.user)
    url = portal.url + "messages/new/"
    assert "Centres de loisirs – Modifications" in client.get(url).content.decode()

    response = client.post(
        url,
        {
            "theme": theme.pk,
            "subject": "Absence",
            "body": "Mon fils sera absent.",
            "attachment_1": pdf(),
            "attachment_3": SimpleUploadedFile("photo.png", PNG, content_type="image/png"),
        },
    )

    thread = guardian.family.threads.get()
    assert response.status_code == 302
    assert response["Location"] == f"{portal.url}messages/{thread.pk}/"
    assert thread.subject == "Absence" and thread.service == theme.service
    assert sorted(a.content_type for a in MessageAttachment.objects.all()) == [
        "application/pdf",
        "image/png",
    ]


def test_an_invalid_new_message_shows_french_errors_next_to_fields_and_saves_nothing(
    client, stored_files, portal, guardian, theme
):
    client.force_login(guardian.user)

    response = client.post(
        portal.url + "messages/new/",
        {
            "theme": theme.pk,
            "subject": "",
            "body": "Bonjour",
            "attachment_2": SimpleUploadedFile("page.pdf", b"<html></html>"),
        },
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_subject_error"' in html and "Champ requis." in html
    assert 'id="id_attachment_2_error"' in html
    assert escape(_("This file is not a PDF, JPEG or PNG document.")) in html
    assert not guardian.family.threads.exists()
    assert stored_files() == set()


def test_an_inactive_theme_cannot_be_chosen(client, portal, guardian, theme):
    theme.is_active = False
    theme.save()
    client.force_login(guardian.user)

    response = client.post(
        portal.url + "messages/new/", {"theme": theme.pk, "subject": "A", "body": "B"}
    )

    assert response.status_code == 200
    assert 'id="id_theme_error"' in response.content.decode()
    assert not guardian.family.threads.exists()


def test_the_family_replies_with_an_attachment_and_downloads_it(
    client, portal, family, service, theme, guardian
):
    thread = start(family, service, theme, guardian)
    client.force_login(guardian.user)

    response = client.post(
        f"{portal.url}messages/{thread.pk}/", {"body": "Voici la pièce", "attachment_1": pdf()}
    )

    assert response.status_code == 302
    attachment = MessageAttachment.objects.get()
    page = client.get(f"{portal.url}messages/{thread.pk}/").content.decode()
    download_url = f"{portal.url}messages/attachments/{attachment.pk}/"
    assert "Voici la pièce" in page and download_url in page

    download = client.get(download_url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"] == 'attachment; filename="attestation.pdf"'


def test_another_familys_thread_and_attachment_are_not_found(
    client, portal, family, service, theme, guardian
):
    thread = start(family, service, theme, guardian, attachments=[pdf()])
    attachment = MessageAttachment.objects.get()
    stranger = GuardianFactory()
    client.force_login(stranger.user)

    assert client.get(f"{portal.url}messages/{thread.pk}/").status_code == 404
    assert client.post(f"{portal.url}messages/{thread.pk}/", {"body": "Intrus"}).status_code == 404
    assert client.get(f"{portal.url}messages/attachments/{attachment.pk}/").status_code == 404
    assert "Inscription mercredi" not in client.get(portal.url + "messages/").content.decode()
    assert thread.messages.count() == 1


def test_visitors_are_sent_to_the_login_page(client, portal, family, service, theme, guardian):
    thread = start(family, service, theme, guardian)
    for path in ("messages/", "messages/new/", f"messages/{thread.pk}/", "messages/attachments/1/"):
        response = client.get(portal.url + path)
        assert response.status_code == 302
        assert "/account/login/" in response["Location"]


def test_the_thread_list_shows_newest_activity_first(
    client, portal, family, service, theme, guardian
):
    old = start(family, service, theme, guardian, subject="Ancienne conversation")
    start(family, service, theme, guardian, subject="Récente conversation")
    message_post_by_family(thread=old, body="Relance", user=guardian.user)
    client.force_login(guardian.user)

    html = client.get(portal.url + "messages/").content.decode()

    assert html.index("Ancienne conversation") < html.index("Récente conversation")


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_thread_list_query_count_does_not_grow_with_threads(
    client, portal, family, service, theme, guardian
):
    client.force_login(guardian.user)
    start(family, service, theme, guardian)
    count_queries(client, portal.url + "messages/")
    one = count_queries(client, portal.url + "messages/")
    for number in range(9):
        other_theme = Theme.objects.create(service=service, name=f"Thème {number}")
        start(family, service, other_theme, guardian)

    assert count_queries(client, portal.url + "messages/") == one


def test_the_thread_detail_query_count_does_not_grow_with_messages(
    client, portal, family, service, theme, guardian
):
    client.force_login(guardian.user)
    thread = start(family, service, theme, guardian, attachments=[pdf()])
    url = f"{portal.url}messages/{thread.pk}/"
    count_queries(client, url)  # the first visit marks it read
    one = count_queries(client, url)
    staff = UserFactory(is_staff=True)
    for number in range(9):
        message_post_by_staff(
            thread=thread, body=f"Réponse {number}", attachments=[pdf()], actor=staff
        )
        message_post_by_family(thread=thread, body="Merci", user=guardian.user)
    count_queries(client, url)

    assert count_queries(client, url) == one
