"""Logins, families and their file, the portal page."""

import datetime

import factory
from django.core.files.base import ContentFile

from portal_features.models import User

from .cms import PageFactory

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

    class Params:
        # Each request's child is born on its own day: two requests are not the same child
        # (which staff would have to link).
        child_day = factory.Sequence(lambda n: n % 28 + 1)

    email = factory.Sequence(lambda n: f"famille{n}@example.fr")
    data = factory.LazyAttribute(
        lambda o: signup_request_data(
            primary_guardian={**signup_request_data()["primary_guardian"], "email": o.email},
            children=[
                {
                    **signup_request_data()["children"][0],
                    "birth_date": f"2018-05-{o.child_day:02d}",
                }
            ],
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
