"""The staff screens of the « Messagerie »: Enfance staff read and answer, others cannot."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cms.staff_groups import COMMUNICATION, ENFANCE
from portal_features.messaging.services import thread_start
from portal_features.models import MessageAttachment, Notification, Service, Theme
from tests.factories import FamilyFactory, GuardianFactory, PortalPageFactory
from tests.files import pdf_bytes
from tests.portal_features.signup.test_admin import refused, staff_in

pytestmark = pytest.mark.django_db

INDEX = "portal_features_thread_modeladmin_index"
PDF = pdf_bytes(text="piece")


def inspect_url(thread):
    return reverse("portal_features_thread_modeladmin_inspect", args=[thread.pk])


@pytest.fixture
def thread(home_page):
    PortalPageFactory(parent=home_page)
    service = Service.objects.create(name="Centres de loisirs")
    theme = Theme.objects.create(service=service, name="Modifications")
    guardian = GuardianFactory(family=FamilyFactory(name="LEFÈVRE", number="202600042"))
    return thread_start(
        family=guardian.family,
        service=service,
        theme=theme,
        subject="Inscription du mercredi",
        body="Pouvez-vous inscrire Tom ?",
        attachments=[SimpleUploadedFile("attestation.pdf", PDF)],
        user=guardian.user,
    )


def test_enfance_staff_list_search_and_filter_conversations(client, thread):
    other_service = Service.objects.create(name="Restauration")
    thread_start(
        family=GuardianFactory().family,
        service=other_service,
        theme=Theme.objects.create(service=other_service, name="Menus"),
        subject="Question sur les menus",
        body="…",
        user=None,
    )
    client.force_login(staff_in(ENFANCE))

    listing = client.get(reverse(INDEX)).content.decode()
    by_number = client.get(reverse(INDEX), {"q": "202600042"}).content.decode()
    by_service = client.get(reverse(INDEX), {"service": other_service.pk}).content.decode()

    assert "Inscription du mercredi" in listing and "LEFÈVRE" in listing
    assert "Question sur les menus" in listing
    assert "Inscription du mercredi" in by_number and "Question sur les menus" not in by_number
    assert "Question sur les menus" in by_service and "Inscription du mercredi" not in by_service


def test_enfance_staff_read_download_and_reply(client, django_capture_on_commit_callbacks, thread):
    client.force_login(staff_in(ENFANCE))
    attachment = MessageAttachment.objects.get()

    page = client.get(inspect_url(thread))

    html = page.content.decode()
    assert page.status_code == 200
    assert "Pouvez-vous inscrire Tom ?" in html
    download_url = reverse("portal_features_thread_modeladmin_attachment", args=[attachment.pk])
    assert download_url in html
    thread.refresh_from_db()
    assert not thread.staff_unread
    download = client.get(download_url)
    assert b"".join(download.streaming_content) == PDF

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(inspect_url(thread), {"body": "Tom est inscrit."})

    assert response.status_code == 302
    thread.refresh_from_db()
    assert thread.family_unread
    reply = thread.messages.last()
    assert reply.from_staff and reply.body == "Tom est inscrit."
    assert Notification.objects.filter(family=thread.family, kind="new_message").exists()
    assert len(mail.outbox) == 1


def test_communication_staff_cannot_see_or_answer_conversations(client, thread):
    client.force_login(staff_in(COMMUNICATION))
    attachment = MessageAttachment.objects.get()

    assert refused(client.get(reverse(INDEX)))
    assert refused(client.get(inspect_url(thread)))
    assert refused(client.post(inspect_url(thread), {"body": "Intrus"}))
    download = reverse("portal_features_thread_modeladmin_attachment", args=[attachment.pk])
    assert refused(client.get(download))
    assert thread.messages.count() == 1
    thread.refresh_from_db()
    assert thread.staff_unread


def test_enfance_staff_manage_services_and_themes(client):
    client.force_login(staff_in(ENFANCE))

    response = client.post(
        reverse("portal_features_service_modeladmin_create"),
        {"name": "Périscolaire", "email": "peri@mairie.example.fr", "is_active": "on"},
    )

    assert response.status_code == 302
    assert Service.objects.filter(name="Périscolaire").exists()
    assert client.get(reverse("portal_features_theme_modeladmin_index")).status_code == 200
