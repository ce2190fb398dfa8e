"""« Inscriptions et réservations »: registrations with "What is missing?", « Mes
inscriptions », withdrawal, and another family's child and registration."""

import datetime

import pytest
from django.utils.html import escape
from django.utils.translation import gettext

from core.french import elide
from reservations.eligibility import local_datetime
from reservations.models import Enrolment, Registration

from ...conftest import NOW
from .conftest import R, messages_of, new_child, open_activity, register, url

pytestmark = pytest.mark.django_db


# --- Registrations and "What is missing?" -------------------------------------------


def test_a_registration_validated_at_once(client, portal, world, parent):
    activity = open_activity(world, name="ALAE Matin")
    choose = client.get(url(portal, "registration_new"), {"child": world.child.pk})
    assert choose.status_code == 200
    choices = {
        choice.activity: choice
        for year in choose.context["school_years"]
        for choice in year.activities
    }
    assert choices[activity].can_register
    assert choices[world.activity].registration is not None  # already registered: no button
    assert f'name="activity" value="{activity.pk}"' in choose.content.decode()
    assert f'name="activity" value="{world.activity.pk}"' not in choose.content.decode()

    response = client.post(
        url(portal, "registration_new"),
        {"child": world.child.pk, "activity": activity.pk},
        follow=True,
    )

    registration = Registration.objects.get(activity=activity)
    assert (registration.family, registration.child, registration.status) == (
        world.family,
        world.child,
        R.ACCEPTED,
    )
    assert registration.group == activity.groups.get()
    assert response.redirect_chain[-1][0] == (
        f"{url(portal, 'registration_new')}?child={world.child.pk}#activity-{activity.pk}"
    )
    assert messages_of(response) == [
        gettext("%(child)s is registered to %(activity)s: the registration is validated.")
        % {"child": world.child.first_name, "activity": activity.name}
    ]


def test_a_registration_awaiting_the_service(client, portal, world, parent):
    activity = open_activity(world, name="CLV Été", registration_validation="staff")

    response = client.post(
        url(portal, "registration_new"),
        {"child": world.child.pk, "activity": activity.pk},
        follow=True,
    )

    assert Registration.objects.get(activity=activity).status == R.PENDING
    # « d'Enfant1 »: « de » elides before a vowel.
    assert messages_of(response) == [
        elide(
            gettext(
                "The registration of %(child)s to %(activity)s is sent, awaiting validation "
                "by the service."
            )
            % {"child": world.child.first_name, "activity": activity.name},
            world.child.first_name,
        )
    ]


def test_what_is_missing_lists_every_blocking_point(client, portal, world, parent):
    world.family.is_resident = False
    world.family.save()
    lea = new_child(world)
    activity = open_activity(
        world,
        name="Séjour neige",
        residents_only=True,
        registration_closes_at=NOW - datetime.timedelta(days=1),
    )
    expected = [
        gettext("Registration closed on %(date)s.")
        % {"date": local_datetime(activity.registration_closes_at)},
        gettext("This activity is reserved for residents of the commune."),
        gettext("The administrative file %(year)s of %(child)s is not validated yet.")
        % {"year": activity.school_year, "child": "Léa"},
    ]

    page = client.get(url(portal, "registration_new"), {"child": lea.pk})

    choice = next(
        choice
        for year in page.context["school_years"]
        for choice in year.activities
        if choice.activity == activity
    )
    assert choice.blockers == expected
    content = page.content.decode()
    assert all(escape(reason) in content for reason in expected)
    assert f'name="activity" value="{activity.pk}"' not in content
    # The year's file is not sent: the checklist leads to it.
    assert (
        url(portal, "enrolment_submit", child_id=lea.pk, school_year_id=activity.school_year_id)
        in content
    )

    # Posting anyway: the service says no, with the same reasons, and saves nothing.
    response = client.post(
        url(portal, "registration_new"), {"child": lea.pk, "activity": activity.pk}
    )

    assert response.status_code == 200
    assert response.context["error"].reasons == expected
    assert not Registration.objects.filter(activity=activity).exists()


def test_a_hidden_activity_cannot_be_chosen(client, portal, world, parent):
    hidden = open_activity(world, is_published=False)

    page = client.get(url(portal, "registration_new"), {"child": world.child.pk})
    response = client.post(
        url(portal, "registration_new"), {"child": world.child.pk, "activity": hidden.pk}
    )

    assert hidden not in [
        choice.activity for year in page.context["school_years"] for choice in year.activities
    ]
    assert response.status_code == 404
    assert not Registration.objects.filter(activity=hidden).exists()


def test_with_one_child_the_activities_show_at_once(client, portal, world, parent):
    response = client.get(url(portal, "registration_new"))

    assert response.context["selected_child"] == world.child
    assert response.context["school_years"][0].activities


# --- « Mes inscriptions » and withdrawal ---------------------------------------------


def test_the_registrations_page_and_withdrawing_a_pending_request(client, portal, world, parent):
    pending = register(world, open_activity(world, name="CLV Été"), status=R.PENDING)
    withdraw = url(portal, "registration_withdraw", registration_id=pending.pk)
    accepted = Registration.objects.get(activity=world.activity)

    page = client.get(url(portal, "registrations"))

    content = page.content.decode()
    assert f'action="{withdraw}"' in content
    assert url(portal, "registration_withdraw", registration_id=accepted.pk) not in content
    assert str(R.PENDING.label) in content and str(R.ACCEPTED.label) in content
    (child_history,) = page.context["history"]
    (year,) = child_history.years
    assert year.school_year == world.activity.school_year
    assert set(year.registrations) == {pending, accepted}

    # The address alone changes nothing.
    assert client.get(withdraw).status_code == 302
    pending.refresh_from_db()
    assert pending.status == R.PENDING

    response = client.post(withdraw, follow=True)

    pending.refresh_from_db()
    assert (pending.status, pending.decided_at) == (R.CANCELLED, NOW)
    assert response.redirect_chain[-1][0] == url(portal, "registrations")
    assert len(messages_of(response)) == 1


def test_a_validated_registration_cannot_be_withdrawn(client, portal, world, parent):
    accepted = Registration.objects.get(activity=world.activity)

    response = client.post(
        url(portal, "registration_withdraw", registration_id=accepted.pk), follow=True
    )

    accepted.refresh_from_db()
    assert accepted.status == R.ACCEPTED
    assert messages_of(response) == [
        gettext("Only a registration awaiting validation can be withdrawn.")
    ]


# --- Isolation ---------------------------------------------------------------------------


def test_another_familys_child_and_registration_are_not_found(client, portal, world, parent):
    family, _, (stranger,) = world.add_family()
    Enrolment.objects.filter(child=stranger).delete()
    theirs = register(world, open_activity(world), family=family, child=stranger, status=R.PENDING)
    year = world.activity.school_year
    enrolment = url(portal, "enrolment_submit", child_id=stranger.pk, school_year_id=year.pk)
    withdraw = url(portal, "registration_withdraw", registration_id=theirs.pk)
    new = url(portal, "registration_new")

    assert client.get(enrolment).status_code == 404
    assert client.post(enrolment, {"certify": "on"}).status_code == 404
    assert client.get(withdraw).status_code == 404
    assert client.post(withdraw).status_code == 404
    assert client.get(new, {"child": stranger.pk}).status_code == 404
    assert client.post(new, {"child": stranger.pk, "activity": theirs.activity_id}).status_code == (
        404
    )
    assert client.post(new, {"child": "x", "activity": theirs.activity_id}).status_code == 404

    assert not Enrolment.objects.filter(child=stranger).exists()
    theirs.refresh_from_db()
    assert theirs.status == R.PENDING
    assert Registration.objects.filter(child=stranger).count() == 2  # the world's and theirs
    # Nothing of theirs shows on our screens.
    for name in ["home", "registrations"]:
        assert stranger.first_name not in client.get(url(portal, name)).content.decode()
