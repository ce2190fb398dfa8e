"""« Inscriptions et réservations »: the yearly file ("dossier administratif")."""

import datetime

import pytest
from django.utils.translation import gettext

from portal_features.models import FamilyEvent
from portal_features.portal.urls import portal_path
from reservations.models import Enrolment
from tests.factories import (
    DocumentTypeFactory,
    SchoolYearFactory,
)

from ...conftest import NOW
from .conftest import R, messages_of, new_child, url

pytestmark = pytest.mark.django_db


# --- The administrative file ---------------------------------------------------------


def test_a_family_sends_the_administrative_file(client, portal, world, parent):
    lea = new_child(world)
    year = world.activity.school_year
    address = url(portal, "enrolment_submit", child_id=lea.pk, school_year_id=year.pk)

    form = client.get(address)
    assert form.status_code == 200
    assert form.context["file"].blockers == []
    assert portal.url + portal_path("family_file:overview") in form.content.decode()

    response = client.post(address, {"comment": "Garde alternée", "certify": "on"}, follow=True)

    assert response.redirect_chain[-1][0] == url(portal, "registrations")
    enrolment = Enrolment.objects.get(child=lea)
    assert (enrolment.family, enrolment.school_year, enrolment.status) == (
        world.family,
        year,
        R.PENDING,
    )
    assert (enrolment.comment, enrolment.created_by, enrolment.created_at) == (
        "Garde alternée",
        parent.user,
        NOW,
    )
    assert len(messages_of(response)) == 1
    # « Mes inscriptions » lists it, awaiting validation.
    assert f'id="enrolment-{enrolment.pk}"' in response.content.decode()
    assert response.context["history"][-1].years[0].enrolments == [enrolment]


def test_a_missing_document_blocks_the_file_and_nothing_is_saved(client, portal, world, parent):
    DocumentTypeFactory(name="Vaccinations")  # required, once per child
    lea = new_child(world)
    address = url(
        portal, "enrolment_submit", child_id=lea.pk, school_year_id=world.activity.school_year_id
    )
    reason = gettext("%(document)s: missing.") % {"document": "Vaccinations – Léa"}

    form = client.get(address)
    assert reason in form.context["file"].blockers
    assert reason in form.content.decode()

    response = client.post(address, {"certify": "on"})

    assert response.status_code == 200
    assert not Enrolment.objects.filter(child=lea).exists()
    assert not FamilyEvent.objects.filter(action="enrolment_submitted").exists()
    error = response.context["error"]
    assert reason in error.reasons
    content = response.content.decode()
    assert str(error.message) in content and reason in content
    assert f'href="{portal.url}{portal_path("documents:list")}"' in content


def test_the_certification_box_must_be_ticked(client, portal, world, parent):
    lea = new_child(world)
    address = url(
        portal, "enrolment_submit", child_id=lea.pk, school_year_id=world.activity.school_year_id
    )

    response = client.post(address, {"comment": "Bonjour"})

    assert response.status_code == 200
    assert response.context["form"].errors["certify"]
    assert 'id="id_certify_error"' in response.content.decode()
    assert not Enrolment.objects.filter(child=lea).exists()


def test_a_file_already_sent_is_not_sent_twice(client, portal, world, parent):
    address = url(
        portal,
        "enrolment_submit",
        child_id=world.child.pk,
        school_year_id=world.activity.school_year_id,
    )

    response = client.post(address, {"certify": "on"})

    assert response.status_code == 200
    assert response.context["file"].line.is_live
    assert Enrolment.objects.filter(child=world.child).count() == 1


def test_a_past_school_year_is_not_open_to_files(client, portal, world, parent):
    past = SchoolYearFactory(
        name="2025-2026", start_date=datetime.date(2025, 9, 1), end_date=datetime.date(2026, 8, 31)
    )
    address = url(portal, "enrolment_submit", child_id=world.child.pk, school_year_id=past.pk)

    assert client.get(address).status_code == 404
    assert client.post(address, {"certify": "on"}).status_code == 404
    assert not Enrolment.objects.filter(school_year=past).exists()
