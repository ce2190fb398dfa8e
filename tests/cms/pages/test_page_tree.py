"""Where each cms page type may be created, and that each one renders."""

from wagtail.models import Page, Site
from wagtail.test.utils import WagtailPageTestCase

from cms.models import ContactPage, HomePage, StandardPage
from documents_library.models import DocumentsLibraryPage
from news.models import NewsIndexPage, NewsPage
from portal_features.models import PortalPage
from tests.factories import ContactPageFactory, StandardPageFactory

SECTIONS = {StandardPage, ContactPage, NewsIndexPage, DocumentsLibraryPage, PortalPage}


class HomePageTreeTests(WagtailPageTestCase):
    def test_home_page_only_under_the_root(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertCanCreateAt(Page, HomePage)
        self.assertCanNotCreateAt(HomePage, HomePage)
        self.assertCanNotCreateAt(StandardPage, HomePage)

    def test_home_page_holds_the_site_sections(self):
        self.assertAllowedSubpageTypes(HomePage, SECTIONS)
        self.assertCanNotCreateAt(HomePage, NewsPage)


class StandardPageTreeTests(WagtailPageTestCase):
    def test_standard_page_under_home_or_another_standard_page(self):
        self.assertAllowedParentPageTypes(StandardPage, {HomePage, StandardPage})
        self.assertCanCreateAt(HomePage, StandardPage)
        self.assertCanCreateAt(StandardPage, StandardPage)
        self.assertCanNotCreateAt(Page, StandardPage)
        self.assertCanNotCreateAt(ContactPage, StandardPage)

    def test_standard_page_holds_sections(self):
        self.assertAllowedSubpageTypes(StandardPage, SECTIONS)


class ContactPageTreeTests(WagtailPageTestCase):
    def test_contact_page_under_home_or_standard_page(self):
        self.assertAllowedParentPageTypes(ContactPage, {HomePage, StandardPage})
        self.assertCanCreateAt(HomePage, ContactPage)
        self.assertCanNotCreateAt(NewsIndexPage, ContactPage)

    def test_contact_page_has_no_children(self):
        self.assertAllowedSubpageTypes(ContactPage, set())


class RenderableTests(WagtailPageTestCase):
    def setUp(self):
        super().setUp()
        self.home = Site.objects.get(is_default_site=True).root_page.specific

    def test_home_page_renders(self):
        self.assertPageIsRenderable(self.home)

    def test_standard_page_renders(self):
        self.assertPageIsRenderable(StandardPageFactory(parent=self.home))

    def test_contact_page_renders_its_form_and_its_landing_page(self):
        contact = ContactPageFactory(parent=self.home)
        self.assertPageIsRenderable(contact)
        self.assertPageIsRenderable(
            contact,
            post_data={"nom": "Camille", "courriel": "camille@example.fr", "message": "Bonjour"},
        )
