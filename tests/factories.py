"""factory-boy factories: small, focused fixtures instead of the whole demo."""

import datetime

import factory
from django.core.files.base import ContentFile
from wagtail.images.tests.utils import get_test_image_file

from cms.models import StandardPage
from documents_library.models import DocumentCategory, DocumentsLibraryPage, LibraryDocument
from news.models import NewsCategory, NewsIndexPage, NewsPage
from portal_features.models import User

PASSWORD = "Demo-Portail-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.fr")
    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"Martin{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class PageFactory(factory.django.DjangoModelFactory):
    """Creates a page as a child of `parent` (required), live and published."""

    class Meta:
        abstract = True

    title = factory.Sequence(lambda n: f"Page {n}")
    live = True

    @classmethod
    def _create(cls, model_class, *args, parent, **kwargs):
        page = model_class(*args, **kwargs)
        parent.add_child(instance=page)
        page.save_revision().publish()
        return page


class StandardPageFactory(PageFactory):
    class Meta:
        model = StandardPage

    intro = "Informations pratiques"


class NewsCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NewsCategory
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Catégorie {n}")
    slug = factory.Sequence(lambda n: f"categorie-{n}")


class NewsIndexPageFactory(PageFactory):
    class Meta:
        model = NewsIndexPage

    title = "Actualités"
    slug = "actualites"


class NewsPageFactory(PageFactory):
    class Meta:
        model = NewsPage

    title = factory.Sequence(lambda n: f"Actualité {n}")
    date = factory.LazyFunction(datetime.date.today)
    intro = "Le résumé de l'actualité."


class DocumentCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DocumentCategory
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Catégorie de documents {n}")
    slug = factory.Sequence(lambda n: f"documents-{n}")


class LibraryDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LibraryDocument

    title = factory.Sequence(lambda n: f"Document {n}")
    file = factory.LazyAttribute(
        lambda o: ContentFile(b"%PDF-1.4\n%test document\n", name=f"{o.title}.pdf")
    )
    # As the admin's upload form does, so the library can show the size without touching files.
    file_size = factory.LazyAttribute(lambda o: o.file.size)
    category = factory.SubFactory(DocumentCategoryFactory)


class DocumentsLibraryPageFactory(PageFactory):
    class Meta:
        model = DocumentsLibraryPage

    title = "Documents à télécharger"
    # Not "documents": /documents/ is where Wagtail serves the files themselves.
    slug = "documents-a-telecharger"


class ImageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "wagtailimages.Image"

    title = factory.Sequence(lambda n: f"Image {n}")
    file = factory.LazyFunction(get_test_image_file)


def _contact_form_fields():
    from cms.models import ContactFormField

    return [
        ContactFormField(label="Nom", field_type="singleline", required=True, sort_order=0),
        ContactFormField(label="Courriel", field_type="email", required=True, sort_order=1),
        ContactFormField(label="Message", field_type="multiline", required=True, sort_order=2),
    ]


class ContactPageFactory(PageFactory):
    """The "Nous contacter" page, with a name, an e-mail and a message field."""

    class Meta:
        model = "cms.ContactPage"

    title = "Nous contacter"
    slug = "nous-contacter"
    intro = "<p>Écrivez au service enfance-jeunesse.</p>"
    thank_you_text = "<p>Merci, nous vous répondrons sous 48 heures.</p>"
    to_address = "enfance@mairie.example.fr"
    from_address = "portail@mairie.example.fr"
    subject = "Message du site"
    form_fields = factory.LazyFunction(_contact_form_fields)


def signup_request_data(**overrides):
    """What the "Nouveau dossier" form stores: one guardian, an address, one child."""
    data = {
        "primary_guardian": {
            "civility": "mme",
            "last_name": "Durand",
            "first_name": "Léa",
            "role": "mother",
            "email": "lea.durand@example.fr",
            "phone_mobile": "06 12 34 56 78",
        },
        "second_guardian": None,
        "address": {"address_line": "3 rue des Lilas", "postal_code": "44000", "city": "Nantes"},
        "children": [
            {"last_name": "Durand", "first_name": "Tom", "birth_date": "2018-05-04", "sex": "m"}
        ],
    }
    data.update(overrides)
    return data


class SignupRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "portal_features.SignupRequest"

    email = factory.Sequence(lambda n: f"famille{n}@example.fr")
    data = factory.LazyAttribute(
        lambda o: signup_request_data(
            primary_guardian={**signup_request_data()["primary_guardian"], "email": o.email}
        )
    )


class FamilyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "portal_features.Family"

    # A past year: numbers the allocator gives this year (family_number_allocate) never collide.
    number = factory.Sequence(lambda n: f"1999{n:05d}")
    name = factory.Sequence(lambda n: f"FAMILLE{n}")
    address_line = "12 rue des Écoles"
    postal_code = "45000"
    city = "Montrivel-sur-Loire"


class GuardianFactory(factory.django.DjangoModelFactory):
    """A guardian with a login of their own (pass user=None for one without)."""

    class Meta:
        model = "portal_features.Guardian"

    family = factory.SubFactory(FamilyFactory)
    user = factory.SubFactory(UserFactory)
    is_primary = True
    civility = "mme"
    last_name = factory.SelfAttribute("family.name")
    first_name = "Claire"
    role = "mother"
    email = factory.LazyAttribute(lambda o: o.user.email if o.user else "")
    phone_mobile = "06 12 34 56 78"


class ChildFactory(factory.django.DjangoModelFactory):
    """A child of `family` (required unless families are linked by hand)."""

    class Meta:
        model = "portal_features.Child"
        skip_postgeneration_save = True

    last_name = "DUPONT"
    first_name = factory.Sequence(lambda n: f"Enfant{n}")
    birth_date = datetime.date(2018, 5, 14)
    sex = "f"
    school = "École Jules-Ferry"
    school_level = "cp"

    @factory.post_generation
    def family(child, create, extracted, **kwargs):
        if create and extracted is not None:
            child.memberships.create(family=extracted)


class PortalPageFactory(PageFactory):
    class Meta:
        model = "portal_features.PortalPage"

    title = "Portail Famille"
    slug = "portail-famille"
    intro = "<p>Votre espace pour les démarches de l'accueil de loisirs.</p>"


class HealthRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "portal_features.HealthRecord"

    child = factory.SubFactory(ChildFactory)
    allergies = "Arachide"
    meal_type = "no_pork"


class AuthorizedPersonFactory(factory.django.DjangoModelFactory):
    """A person `family` allows for `child` (give both)."""

    class Meta:
        model = "portal_features.AuthorizedPerson"

    last_name = "BERNARD"
    first_name = factory.Sequence(lambda n: f"Personne{n}")
    relationship = "Grand-mère"
    phone = "06 11 22 33 44"
    may_pick_up = True


class ConsentTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "portal_features.ConsentType"

    name = factory.Sequence(lambda n: f"Autorisation {n}")


class DocumentTypeFactory(factory.django.DjangoModelFactory):
    """A required document asked once per child (pass scope="family" for the family's)."""

    class Meta:
        model = "portal_features.DocumentType"
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Pièce {n}")
    scope = "child"
    is_required = True
    default_validity_days = 365


class SupportingDocumentFactory(factory.django.DjangoModelFactory):
    """A pending PDF of `family` (give child= for a child's type; status="valid" with
    valid_from=/valid_until= for a validated one)."""

    class Meta:
        model = "portal_features.SupportingDocument"

    family = factory.SubFactory(FamilyFactory)
    document_type = factory.SubFactory(DocumentTypeFactory)
    file = factory.LazyFunction(lambda: ContentFile(b"%PDF-1.4\n%%EOF\n", name="piece.pdf"))
    original_name = "piece.pdf"
    content_type = "application/pdf"
    size = 15


# --- Reservations --------------------------------------------------------------------


class SchoolYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reservations.SchoolYear"
        django_get_or_create = ("name",)

    name = "2026-2027"
    start_date = datetime.date(2026, 9, 1)
    end_date = datetime.date(2027, 8, 31)


class FacilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reservations.Facility"
        django_get_or_create = ("name",)

    name = "Accueil de loisirs Les Tilleuls"
    email = "alsh@montrivel.fr"


class ActivityFactory(factory.django.DjangoModelFactory):
    """Open on Wednesdays of the school year, booking without deadline rule, automatic."""

    class Meta:
        model = "reservations.Activity"

    school_year = factory.SubFactory(SchoolYearFactory)
    facility = factory.SubFactory(FacilityFactory)
    name = factory.Sequence(lambda n: f"2026/2027 - ALSH Mercredis {n}")
    start_date = datetime.date(2026, 9, 2)
    end_date = datetime.date(2027, 7, 3)
    weekdays = factory.LazyFunction(lambda: [2])
    calendar = "all_days"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reservations.Unit"

    activity = factory.SubFactory(ActivityFactory)
    name = "Journée"
    start_time = datetime.time(8, 30)
    end_time = datetime.time(17, 30)
    includes_meal = True
    price = "12.20"


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reservations.Group"

    activity = factory.SubFactory(ActivityFactory)
    name = "Élémentaire"
    capacity = 30


class EnrolmentFactory(factory.django.DjangoModelFactory):
    """A validated administrative file of `child` in `family` for the school year."""

    class Meta:
        model = "reservations.Enrolment"

    family = factory.SubFactory(FamilyFactory)
    child = factory.SubFactory(ChildFactory)
    school_year = factory.SubFactory(SchoolYearFactory)
    status = "accepted"


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A validated registration (give family, child, activity and group)."""

    class Meta:
        model = "reservations.Registration"

    status = "accepted"
