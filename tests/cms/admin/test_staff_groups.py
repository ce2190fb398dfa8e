"""What the Communication and Enfance groups may do in the Wagtail admin."""

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.models import Collection, Site
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, streamfield

from cms.models import StandardPage
from cms.staff_groups import COMMUNICATION, ENFANCE, ensure_staff_groups
from documents_library.models import LibraryDocument
from news.models import NewsCategory
from tests.factories import StandardPageFactory, UserFactory

pytestmark = pytest.mark.django_db


def _refused(response) -> bool:
    """Wagtail answers a forbidden admin view with a 403 or a redirect to the dashboard."""
    return response.status_code == 403 or (
        response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    )


class CommunicationPageEditingTests(WagtailPageTestCase):
    def setUp(self):
        super().setUp()
        ensure_staff_groups()
        self.user = UserFactory()
        self.user.groups.add(Group.objects.get(name=COMMUNICATION))
        self.client.force_login(self.user)
        self.home = Site.objects.get(is_default_site=True).root_page.specific

    def test_can_create_and_publish_a_standard_page_under_home(self):
        self.assertCanCreate(
            self.home,
            StandardPage,
            nested_form_data(
                {
                    "title": "Infos pratiques",
                    "intro": "Horaires et contacts",
                    "body": streamfield([]),
                }
            ),
        )
        page = StandardPage.objects.get(title="Infos pratiques")
        self.assertTrue(page.live)
        self.assertEqual(page.get_parent().pk, self.home.pk)

    def test_can_edit_and_publish_an_existing_page(self):
        page = StandardPageFactory(parent=self.home, title="Ancien titre", slug="infos")
        response = self.client.post(
            reverse("wagtailadmin_pages:edit", args=[page.pk]),
            nested_form_data(
                {
                    "title": "Nouveau titre",
                    "slug": "infos",
                    "intro": "",
                    "body": streamfield([]),
                    "action-publish": "action-publish",
                }
            ),
        )
        self.assertEqual(response.status_code, 302)
        page.refresh_from_db()
        self.assertEqual(page.title, "Nouveau titre")
        self.assertFalse(page.has_unpublished_changes)


def test_communication_user_reaches_the_admin(client, communication_user):
    client.force_login(communication_user)

    assert client.get(reverse("wagtailadmin_home")).status_code == 200


def test_communication_user_uploads_a_document(client, communication_user):
    client.force_login(communication_user)

    response = client.post(
        reverse("wagtaildocs:add"),
        {
            "title": "Tarifs 2025-2026",
            "file": SimpleUploadedFile("tarifs.pdf", b"%PDF-1.4\n%tarifs\n", "application/pdf"),
            "collection": Collection.get_first_root_node().pk,
        },
    )

    assert response.status_code == 302
    document = LibraryDocument.objects.get(title="Tarifs 2025-2026")
    assert document.uploaded_by_user == communication_user


def test_communication_user_edits_snippets(client, communication_user):
    client.force_login(communication_user)

    assert client.get(reverse("wagtailsnippets_news_newscategory:list")).status_code == 200
    response = client.post(
        reverse("wagtailsnippets_news_newscategory:add"),
        {"name": "Périscolaire", "slug": "periscolaire"},
    )

    assert response.status_code == 302
    assert NewsCategory.objects.filter(slug="periscolaire").exists()


def test_enfance_user_reaches_the_admin(client, enfance_user):
    client.force_login(enfance_user)

    assert client.get(reverse("wagtailadmin_home")).status_code == 200


def test_enfance_user_cannot_add_a_page(client, enfance_user, home_page):
    client.force_login(enfance_user)

    response = client.get(
        reverse("wagtailadmin_pages:add", args=["cms", "standardpage", home_page.pk])
    )

    assert _refused(response)


@pytest.mark.parametrize(
    "url_name",
    [
        "wagtaildocs:index",
        "wagtailimages:index",
        "wagtailsnippets_news_newscategory:list",
        "wagtailsnippets_documents_library_documentcategory:list",
    ],
)
def test_enfance_user_is_refused_the_content_screens(client, enfance_user, url_name):
    client.force_login(enfance_user)

    assert _refused(client.get(reverse(url_name)))


def test_groups_are_created_once_whatever_the_number_of_calls(db):
    ensure_staff_groups()
    ensure_staff_groups()

    assert Group.objects.filter(name__in=[COMMUNICATION, ENFANCE]).count() == 2
