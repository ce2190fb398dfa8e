"""Where news pages may be created, and that every news route renders."""

from wagtail.models import Site
from wagtail.test.utils import WagtailPageTestCase

from cms.models import HomePage, StandardPage
from documents_library.models import DocumentsLibraryPage
from news.models import NewsIndexPage, NewsPage
from tests.factories import NewsIndexPageFactory, NewsPageFactory, StandardPageFactory


class NewsPageTreeTests(WagtailPageTestCase):
    def test_news_index_lives_under_home_or_standard_pages_only(self):
        self.assertCanCreateAt(HomePage, NewsIndexPage)
        self.assertCanCreateAt(StandardPage, NewsIndexPage)
        self.assertCanNotCreateAt(NewsIndexPage, NewsIndexPage)
        self.assertCanNotCreateAt(NewsPage, NewsIndexPage)
        self.assertCanNotCreateAt(DocumentsLibraryPage, NewsIndexPage)

    def test_news_page_lives_under_news_index_only(self):
        self.assertCanCreateAt(NewsIndexPage, NewsPage)
        self.assertCanNotCreateAt(HomePage, NewsPage)
        self.assertCanNotCreateAt(StandardPage, NewsPage)
        self.assertAllowedParentPageTypes(NewsPage, {NewsIndexPage})

    def test_news_page_has_no_children(self):
        self.assertAllowedSubpageTypes(NewsPage, set())
        self.assertAllowedSubpageTypes(NewsIndexPage, {NewsPage})


class NewsRenderingTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        home = Site.objects.get(is_default_site=True).root_page
        cls.index = NewsIndexPageFactory(parent=home)
        cls.news = NewsPageFactory(parent=cls.index, title="Fête de l'école")
        section = StandardPageFactory(parent=home, title="Vie municipale")
        cls.nested_index = NewsIndexPageFactory(parent=section, slug="actualites-mairie")

    def test_index_renders(self):
        self.assertPageIsRenderable(self.index)
        self.assertPageIsRenderable(self.nested_index)

    def test_index_renders_with_filter_and_page_params(self):
        self.assertPageIsRenderable(self.index, query_data={"categorie": "inconnue", "page": "x"})

    def test_rss_route_renders(self):
        self.assertPageIsRenderable(self.index, route_path="rss/")

    def test_news_page_renders(self):
        self.assertPageIsRenderable(self.news)

    def test_unknown_route_is_404(self):
        self.assertPageIsRenderable(self.index, route_path="nope/", accept_404=True)
