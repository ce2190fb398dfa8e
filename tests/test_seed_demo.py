"""`manage.py seed_demo` builds a credible commune, once, on the default site."""

import io

import pypdf
import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Page, Revision, Site

from cms.demo import commune
from cms.models import CommuneSettings, ContactFormField, ContactPage, HomePage, StandardPage
from documents_library.models import DocumentCategory, DocumentsLibraryPage, LibraryDocument
from news.models import NewsCategory, NewsIndexPage, NewsPage
from portal_features.models import User

ADMIN_EMAIL = "admin@example.fr"
ADMIN_PASSWORD = "Demo-Portail-2026"


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.fixture
def seeded(db):
    return seed()


def test_the_section_pages_hang_under_the_home_page_with_the_right_types(seeded):
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("localhost", 80)
    home = site.root_page.specific
    assert isinstance(home, HomePage)
    assert home.hero_image is not None and home.intro
    children = {page.slug: page for page in home.get_children().live().specific()}
    expected = {
        "enfance-jeunesse": (StandardPage, True),
        "infos-pratiques": (StandardPage, True),
        "nous-contacter": (ContactPage, True),
        "actualites": (NewsIndexPage, True),
        "documents-a-telecharger": (DocumentsLibraryPage, True),
        "mentions-legales": (StandardPage, False),
        "politique-de-confidentialite": (StandardPage, False),
    }
    for slug, (model, in_menu) in expected.items():
        assert type(children[slug]) is model, slug
        assert children[slug].show_in_menus is in_menu, slug
    assert children["documents-a-telecharger"].title == "Documents à télécharger"
    practical_blocks = {block.block_type for block in children["infos-pratiques"].body}
    assert {"heading", "paragraph", "document", "call_to_action"} <= practical_blocks


def test_the_home_page_has_portal_tiles_and_three_document_quick_links(seeded):
    home = Site.objects.get(is_default_site=True).root_page.specific
    tiles = [block.value for block in home.portal_tiles]
    assert [tile["title"] for tile in tiles][:2] == [
        "Mon dossier famille",
        "Inscriptions et réservations",
    ]
    assert all(tile["url"] == "/portail/" for tile in tiles)
    documents = [
        block.value["document"] for block in home.quick_links if block.block_type == "document"
    ]
    assert len(documents) == 3
    assert all(isinstance(document, LibraryDocument) for document in documents)


def test_the_commune_identity_and_footer_pages_are_set(seeded):
    settings = CommuneSettings.for_site(Site.objects.get(is_default_site=True))
    assert settings.name == commune.NAME
    assert settings.logo is not None
    assert settings.phone and settings.email == commune.EMAIL and settings.opening_hours
    assert settings.contact_page.slug == "nous-contacter"
    assert settings.legal_notice_page.slug == "mentions-legales"
    assert settings.privacy_page.slug == "politique-de-confidentialite"


def test_the_contact_form_asks_name_email_subject_message_and_mails_the_commune(seeded):
    contact = ContactPage.objects.get(slug="nous-contacter")
    assert contact.to_address == commune.EMAIL
    names = list(contact.form_fields.order_by("sort_order").values_list("clean_name", flat=True))
    assert names == ["nom", "email", "sujet", "message"]


def test_at_least_six_dated_illustrated_news_in_several_categories(seeded):
    news = NewsPage.objects.live().child_of(NewsIndexPage.objects.get(slug="actualites"))
    assert news.count() >= 6
    today = timezone.localdate()
    for item in news:
        assert item.image is not None and item.image_alt, item.title
        assert item.date < today
        assert item.image.file.size > 10_000
    assert len({item.date for item in news}) == news.count()
    assert NewsCategory.objects.filter(news__in=news).distinct().count() >= 2


def test_the_library_holds_real_pdfs_in_every_category_with_one_past_document(seeded):
    assert list(DocumentCategory.objects.values_list("name", flat=True)) == [
        "Tarifs",
        "Règlements de fonctionnement",
        "Inscriptions",
        "Menus",
    ]
    documents = LibraryDocument.objects.all()
    assert documents.count() >= 6
    assert not DocumentCategory.objects.filter(documents=None).exists()
    assert LibraryDocument.objects.past().count() >= 1
    assert LibraryDocument.objects.current().count() >= 6
    texts = []
    for document in documents:
        with document.file.open("rb") as file:
            content = file.read()
        assert content.startswith(b"%PDF"), document.title
        assert document.file_size == len(content)
        reader = pypdf.PdfReader(io.BytesIO(content))
        texts.append(" ".join(page.extract_text() for page in reader.pages))
    assert any("quotient familial" in text for text in texts)
    assert any("Règlement intérieur" in text for text in texts)


def test_the_admin_logs_in_with_the_printed_password(seeded, client):
    assert ADMIN_EMAIL in seeded and ADMIN_PASSWORD in seeded
    assert "http://127.0.0.1:8000/admin/" in seeded
    assert User.objects.get(email=ADMIN_EMAIL).is_superuser
    response = client.post("/admin/login/", {"username": ADMIN_EMAIL, "password": ADMIN_PASSWORD})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_the_pages_are_in_the_search_index(seeded):
    results = Page.objects.live().search("cantine")
    assert len(results) >= 1


def test_a_second_run_creates_nothing(seeded, settings):
    models = [
        Page,
        Revision,
        get_image_model(),
        LibraryDocument,
        DocumentCategory,
        NewsCategory,
        ContactFormField,
        CommuneSettings,
        Site,
        User,
    ]
    before = {model: model.objects.count() for model in models}
    files_before = sorted(path.name for path in settings.MEDIA_ROOT.rglob("*") if path.is_file())
    seed()
    assert {model: model.objects.count() for model in models} == before
    files_after = sorted(path.name for path in settings.MEDIA_ROOT.rglob("*") if path.is_file())
    assert files_after == files_before


def test_the_home_page_and_the_news_index_render(seeded, client):
    home = client.get("/")
    assert home.status_code == 200
    assert commune.NAME in home.content.decode()
    news_index = client.get("/actualites/")
    assert news_index.status_code == 200
    assert "Le Portail Famille : toutes vos démarches en ligne" in news_index.content.decode()
