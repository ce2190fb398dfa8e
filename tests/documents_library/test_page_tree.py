"""Where the documents library may be created, and that it renders."""

from wagtail.models import Site
from wagtail.test.utils import WagtailPageTestCase

from cms.models import HomePage, StandardPage
from documents_library.models import DocumentsLibraryPage
from news.models import NewsIndexPage, NewsPage
from tests.factories import DocumentsLibraryPageFactory, LibraryDocumentFactory


class DocumentsLibraryPageTreeTests(WagtailPageTestCase):
    def test_library_lives_under_home_or_standard_pages_only(self):
        self.assertCanCreateAt(HomePage, DocumentsLibraryPage)
        self.assertCanCreateAt(StandardPage, DocumentsLibraryPage)
        self.assertCanNotCreateAt(NewsIndexPage, DocumentsLibraryPage)
        self.assertCanNotCreateAt(NewsPage, DocumentsLibraryPage)
        self.assertCanNotCreateAt(DocumentsLibraryPage, DocumentsLibraryPage)

    def test_library_has_no_children(self):
        self.assertAllowedSubpageTypes(DocumentsLibraryPage, set())


class DocumentsLibraryRenderingTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.library = DocumentsLibraryPageFactory(
            parent=Site.objects.get(is_default_site=True).root_page
        )
        LibraryDocumentFactory(title="Tarifs 2025-2026")

    def test_library_renders(self):
        self.assertPageIsRenderable(self.library)

    def test_library_renders_with_every_filter(self):
        self.assertPageIsRenderable(self.library, query_data={"categorie": "x", "archives": "1"})
