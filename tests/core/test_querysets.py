"""`for_family` follows each model's own path to its family."""

import pytest
from django.apps import apps
from django.core.files.base import ContentFile

from core.querysets import FamilyScopedQuerySet
from portal_features.models import Child, Message, MessageAttachment, Service, Theme, Thread
from tests.factories import ChildFactory, FamilyFactory
from tests.files import pdf_bytes

pytestmark = pytest.mark.django_db


def test_a_child_of_two_households_is_seen_by_both_and_by_nobody_else():
    father, mother, stranger = FamilyFactory(), FamilyFactory(), FamilyFactory()
    emma = ChildFactory(family=father)
    emma.memberships.create(family=mother)
    ChildFactory(family=stranger)

    assert list(Child.objects.for_family(father)) == [emma]
    assert list(Child.objects.for_family(mother)) == [emma]
    assert emma not in Child.objects.for_family(stranger)


def test_an_attachment_belongs_to_the_family_of_its_conversation():
    ours, theirs = FamilyFactory(), FamilyFactory()
    service = Service.objects.create(name="Enfance", email="")
    theme = Theme.objects.create(service=service, name="Inscriptions")
    attachments = {}
    for family in (ours, theirs):
        thread = Thread.objects.create(family=family, service=service, theme=theme, subject="Q")
        message = Message.objects.create(thread=thread, body="Bonjour")
        attachments[family] = MessageAttachment.objects.create(
            message=message,
            file=ContentFile(pdf_bytes(), name="a.pdf"),
            original_name="a.pdf",
            content_type="application/pdf",
            size=10,
        )

    assert list(MessageAttachment.objects.for_family(ours)) == [attachments[ours]]


def test_every_family_scoped_manager_names_a_path_that_exists():
    family = FamilyFactory()
    scoped = [
        model
        for model in apps.get_models()
        if isinstance(model._default_manager.all(), FamilyScopedQuerySet)
    ]

    assert len(scoped) >= 10
    for model in scoped:
        # A wrong path raises FieldError here instead of in a family's request.
        list(model._default_manager.for_family(family))
