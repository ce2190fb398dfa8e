"""E-mail subjects are plain text: an apostrophe, a "<" or an "&" reach the mailbox as
typed, never as HTML entities (« Demande d&#x27;inscription »)."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail

from cms.models import CommuneSettings
from core.emails import render_subject
from portal_features.messaging.services import thread_start
from portal_features.models import Service, Theme
from portal_features.signup.services import signup_request_submit
from tests.factories import FamilyFactory, GuardianFactory, signup_request_data

pytestmark = pytest.mark.django_db

TEXT = 'L\'Isle-Adam <Les "Ormes"> & fils'
ENTITIES = ("&#", "&amp;", "&lt;", "&gt;", "&quot;", "&apos;")
SUBJECT_SUFFIX = "_subject.txt"


def subject_templates() -> list[tuple[str, str]]:
    """(template folder, e-mail name) of every subject template of the project."""
    found = []
    for app_or_root in [settings.BASE_DIR / "templates", *settings.BASE_DIR.glob("*/templates")]:
        for path in Path(app_or_root).rglob(f"*{SUBJECT_SUFFIX}"):
            relative = path.relative_to(app_or_root)
            found.append((str(relative.parent), relative.name.removesuffix(SUBJECT_SUFFIX)))
    return sorted(found)


class Anything:
    """Whatever a template asks of a variable (an attribute, a loop) is this text again."""

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return self

    def __iter__(self):
        return iter([self])

    def __str__(self):
        return TEXT


class AnyContext(dict):
    """A context in which every variable exists and reads as TEXT."""

    def __contains__(self, key):
        return True

    def __getitem__(self, key):
        return Anything()


def test_the_project_has_subject_templates():
    names = {name for _folder, name in subject_templates()}
    assert {"request_received", "staff_new_message", "notification", "order_receipt"} <= names


@pytest.mark.parametrize(
    ("folder", "name"), subject_templates(), ids=lambda value: value.replace("/", ".")
)
def test_every_subject_renders_as_plain_text_on_one_line(folder, name):
    """Through the helper every e-mail's subject goes through (`send_templated_email`)."""
    subject = render_subject(f"{folder}/{name}{SUBJECT_SUFFIX}", AnyContext())

    assert TEXT in subject
    assert not any(entity in subject for entity in ENTITIES), subject
    assert "\n" not in subject and subject == subject.strip()


@pytest.fixture
def commune(home_page):
    settings = CommuneSettings.for_site(home_page.get_site())
    settings.name = "L'Haÿ-les-Roses"
    settings.save()
    return settings


def test_a_sign_up_acknowledgement_names_the_commune_as_written(
    django_capture_on_commit_callbacks, commune
):
    data = signup_request_data()
    with django_capture_on_commit_callbacks(execute=True):
        signup_request_submit(data=data, email=data["primary_guardian"]["email"])

    (email,) = mail.outbox
    assert email.subject == "Votre demande de compte – L'Haÿ-les-Roses"


def test_a_family_message_reaches_the_service_with_its_subject_as_typed(
    django_capture_on_commit_callbacks,
):
    service = Service.objects.create(name="Centres de loisirs", email="alsh@mairie.example.fr")
    theme = Theme.objects.create(service=service, name="Inscriptions")
    guardian = GuardianFactory(family=FamilyFactory(number="202600001"))

    with django_capture_on_commit_callbacks(execute=True):
        thread_start(
            family=guardian.family,
            service=service,
            theme=theme,
            subject="Demande d'inscription <urgent> & merci",
            body="Bonjour",
            user=guardian.user,
        )

    (email,) = mail.outbox
    assert email.subject == (
        "Nouveau message de la famille 202600001 : Demande d'inscription <urgent> & merci"
    )
