"""`manage.py seed_demo` builds a credible commune, once, on the default site."""

import io

import pypdf
import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Page, Revision, Site

from cms.models import CommuneSettings, ContactFormField, ContactPage, HomePage, StandardPage
from core.models import Counter
from demo import commune
from documents_library.models import DocumentCategory, DocumentsLibraryPage, LibraryDocument
from news.models import NewsCategory, NewsIndexPage, NewsPage
from portal_features.models import (
    AuthorizedPerson,
    ChangeRequest,
    Child,
    ChildMembership,
    Consent,
    ConsentType,
    DocumentType,
    Family,
    Guardian,
    HealthRecord,
    PortalPage,
    Service,
    Theme,
    User,
    Vaccination,
)
from portal_features.quotients.selectors import quotient_on

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
    portal = PortalPage.objects.get()
    assert all(tile["page"].specific == portal and not tile["url"] for tile in tiles)
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
        Family,
        Counter,
        Guardian,
        Child,
        ChildMembership,
        HealthRecord,
        Vaccination,
        AuthorizedPerson,
        Consent,
        ConsentType,
        DocumentType,
        Service,
        Theme,
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


PARENTS = {
    "claire.dupont@example.fr": "DUPONT",
    "paul.martin@example.fr": "MARTIN",
    "julie.bernard@example.fr": "BERNARD",
    "thomas.roussel@example.fr": "ROUSSEL",
}


def test_the_families_have_unique_numbers_and_one_login_each(seeded):
    families = Family.objects.filter(name__in=PARENTS.values())
    assert families.count() == 4
    assert len({family.number for family in families}) == 4
    for email, name in PARENTS.items():
        assert Family.objects.for_user(User.objects.get(email=email)).get().name == name
        assert email in seeded


def test_the_dupont_family_has_a_second_guardian_to_invite_and_a_child_with_a_pai(seeded):
    dupont = Family.objects.get(name="DUPONT")
    guardians = {guardian.first_name: guardian for guardian in dupont.guardians.all()}
    assert set(guardians) == {"Claire", "Marc"}
    assert guardians["Marc"].user is None
    assert quotient_on(family=dupont, day=timezone.localdate()).value == 850
    assert dupont.benefits_number
    children = {child.first_name: child for child in Child.objects.for_family(dupont)}
    assert {name: child.school_level for name, child in children.items()} == {
        "Léa": "cm1",
        "Hugo": "cp",
        "Chloé": "ms",
    }
    hugo = children["Hugo"].health_record
    assert hugo.has_pai and "arachide" in hugo.allergies.lower()
    assert hugo.meal_type == HealthRecord.MealType.PACKED_MEAL
    for child in children.values():
        assert child.health_record.vaccinations.exists()
        assert child.authorized_persons.filter(family=dupont).exists()
    # Chloé's parents did not grant the image rights: nothing granted is recorded for her.
    granted = Consent.objects.filter(consent_type__name="Droit à l'image", granted=True)
    assert set(
        granted.filter(child__in=children.values()).values_list("child__first_name", flat=True)
    ) == {"Léa", "Hugo"}


def test_emma_lives_in_two_households_each_with_its_own_authorised_person(seeded):
    bernard = Family.objects.get(name="BERNARD")
    roussel = Family.objects.get(name="ROUSSEL")
    emma = Child.objects.for_family(bernard).get(first_name="Emma")
    assert Child.objects.for_family(roussel).get() == emma
    # Thomas signed up with Emma: staff linked her when accepting, no change request needed.
    assert [child["first_name"] for child in roussel.signup_request.data["children"]] == ["Emma"]
    assert not ChangeRequest.objects.filter(family=roussel, summary__startswith="Nouvel").exists()
    bernard_people = set(AuthorizedPerson.objects.filter(child=emma, family=bernard))
    roussel_people = set(AuthorizedPerson.objects.filter(child=emma, family=roussel))
    assert bernard_people and roussel_people and not bernard_people & roussel_people


def test_staff_define_consents_documents_and_services(seeded):
    assert {"Droit à l'image", "Sorties à pied"} <= set(
        ConsentType.objects.values_list("name", flat=True)
    )
    vaccinations = DocumentType.objects.get(name="Vaccinations")
    assert (vaccinations.scope, vaccinations.is_required, vaccinations.default_validity_days) == (
        DocumentType.Scope.CHILD,
        True,
        365,
    )
    address = DocumentType.objects.get(name="Justificatif de domicile")
    assert (address.scope, address.is_required, address.default_validity_days) == (
        DocumentType.Scope.FAMILY,
        True,
        180,
    )
    assert not DocumentType.objects.get(name="PAI").is_required
    assert DocumentType.objects.count() == 6
    assert set(Theme.objects.values_list("service__name", "name")) >= {
        ("Centres de loisirs", "Inscriptions"),
        ("Centres de loisirs", "Modifications"),
        ("Restauration scolaire", "Menus et régimes"),
        ("Facturation", "Questions"),
    }


@pytest.mark.parametrize(
    ("email", "group"),
    [("enfance@example.fr", "Enfance"), ("communication@example.fr", "Communication")],
)
def test_staff_accounts_reach_the_admin_in_their_group(seeded, client, email, group):
    user = User.objects.get(email=email)
    assert user.is_staff and not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == [group]
    assert user.check_password(ADMIN_PASSWORD)
    client.force_login(user)
    assert client.get("/admin/").status_code == 200


def test_the_portal_page_sits_under_enfance_jeunesse_and_greets_each_parent(seeded, client):
    portal = PortalPage.objects.live().get()
    assert portal.get_parent().slug == "enfance-jeunesse"
    assert portal.intro
    assert client.get(portal.url).status_code == 200
    for email, name in PARENTS.items():
        user = User.objects.get(email=email)
        assert user.check_password(ADMIN_PASSWORD)
        client.force_login(user)
        response = client.get(portal.url)
        assert response.status_code == 200, email
        assert Family.objects.get(name=name).number in response.content.decode()
