"""« Inscriptions et réservations »: the hub, the yearly file ("dossier administratif"),
registrations with "What is missing?", withdrawal, isolation and the home page's items."""

import datetime

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.translation import gettext
from wagtail.models import Site

from cms.models import CommuneSettings
from core.choices import RequestStatus
from core.french import elide
from portal_features.models import FamilyEvent
from portal_features.portal.urls import portal_path, portal_reverse
from reservations.attention import attention_items
from reservations.eligibility import local_datetime
from reservations.models import Enrolment, Registration, Reservation
from tests.factories import (
    ActivityFactory,
    ChildFactory,
    DocumentTypeFactory,
    EnrolmentFactory,
    FamilyFactory,
    GroupFactory,
    GuardianFactory,
    PortalPageFactory,
    RegistrationFactory,
    SchoolYearFactory,
    UnitFactory,
)

from ..conftest import NOW, WEDNESDAY

pytestmark = pytest.mark.django_db

R = RequestStatus


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    """The portal's views read the time from timezone.now(): Monday 23 Nov 2026, 10:00."""
    monkeypatch.setattr(timezone, "now", lambda: NOW)


@pytest.fixture
def portal(home_page):
    # Created now: the site settings' first save would purge the caches between requests.
    CommuneSettings.for_site(Site.objects.get(is_default_site=True))
    return PortalPageFactory(parent=home_page)


@pytest.fixture
def parent(client, world):
    client.force_login(world.guardian.user)
    return world.guardian


def url(portal, name, **kwargs) -> str:
    return portal.url + portal_path(f"reservations:{name}", **kwargs)


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def new_child(world, first_name="Léa"):
    return ChildFactory(family=world.family, first_name=first_name, last_name="DUPONT")


def open_activity(world, **fields):
    activity = ActivityFactory(school_year=world.activity.school_year, **fields)
    UnitFactory(activity=activity)
    GroupFactory(activity=activity)
    return activity


def register(world, activity, *, child=None, family=None, **fields):
    return RegistrationFactory(
        family=family or world.family,
        child=child or world.child,
        activity=activity,
        group=activity.groups.get(),
        **fields,
    )


def next_year():
    return SchoolYearFactory(
        name="2027-2028",
        start_date=datetime.date(2027, 9, 1),
        end_date=datetime.date(2028, 8, 31),
    )


# --- The hub -------------------------------------------------------------------------


def test_the_hub_shows_each_childs_file_and_activity_lines(client, portal, world, parent):
    year = world.activity.school_year
    coming = next_year()
    lea = new_child(world)
    refused = register(
        world,
        open_activity(world, name="CLV Été"),
        status=R.REFUSED,
        refusal_reason="Plus de place en juillet",
    )

    response = client.get(url(portal, "home"))

    assert response.status_code == 200
    content = response.content.decode()
    hub = response.context["hub"]
    assert hub.school_years == [year, coming]
    lines = {item.child: item for item in hub.children}
    # The registered child: validated file this year, nothing sent for the next one.
    assert [line.status for line in lines[world.child].enrolments] == [R.ACCEPTED, ""]
    assert lines[world.child].registrations[0].activity == world.activity
    assert refused in lines[world.child].registrations
    # The new child: nothing sent, a button for each year.
    assert [line.can_submit for line in lines[lea].enrolments] == [True, True]
    for child, school_year in [(lea, year), (lea, coming), (world.child, coming)]:
        assert url(
            portal, "enrolment_submit", child_id=child.pk, school_year_id=school_year.pk
        ) in (content)
    assert (
        url(portal, "enrolment_submit", child_id=world.child.pk, school_year_id=year.pk)
        not in content
    )
    # Statuses in words, the refusal's reason, the way to the other screens.
    assert str(R.ACCEPTED.label) in content
    assert "Plus de place en juillet" in content
    assert world.activity.name in content
    for name in ["booking_start", "calendar", "orders", "registration_new", "registrations"]:
        assert f'href="{url(portal, name)}"' in content


def test_the_hub_needs_a_family(client, portal, world):
    response = client.get(url(portal, "home"))
    assert response.status_code == 302 and "/account/login/" in response["Location"]


def _hub_queries(client, portal, user) -> int:
    client.force_login(user)
    assert client.get(url(portal, "home")).status_code == 200  # fills the site's caches
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url(portal, "home")).status_code == 200
    return len(queries)


def test_the_hub_costs_the_same_queries_for_one_child_or_six(
    client, portal, world, django_assert_max_num_queries
):
    next_year()
    _, small, _ = world.add_family(children=1)
    _, large, _ = world.add_family(children=6)
    one_child = _hub_queries(client, portal, small.user)
    client.force_login(large.user)

    with django_assert_max_num_queries(one_child):
        response = client.get(url(portal, "home"))

    assert response.status_code == 200
    assert len(response.context["hub"].children) == 6
    assert all(item.registrations for item in response.context["hub"].children)


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


# --- The portal home: what needs the family's attention ------------------------------


@pytest.fixture
def attention_world(world):
    coming = next_year()
    lea = new_child(world)
    EnrolmentFactory(
        family=world.family,
        child=lea,
        school_year=world.activity.school_year,
        status=R.REFUSED,
        refusal_reason="Pièce illisible",
    )
    for days_ago, name in [(3, "CLV Été"), (60, "CLV Printemps")]:
        register(
            world,
            open_activity(world, name=name),
            status=R.REFUSED,
            refusal_reason="Complet",
            decided_at=NOW - datetime.timedelta(days=days_ago),
        )
    slot = world.slot(WEDNESDAY + datetime.timedelta(days=7))
    Reservation.objects.create(
        family=world.family,
        child=world.child,
        unit=world.unit,
        slot=slot,
        day=slot.day,
        status="offered",
        offer_expires_at=NOW + datetime.timedelta(hours=20),
    )
    return world, lea, coming


def test_attention_items_for_files_refusals_and_offers(
    portal, attention_world, django_assert_max_num_queries
):
    world, lea, coming = attention_world
    slot_day = WEDNESDAY + datetime.timedelta(days=7)
    # More children: the count of queries stays the same.
    for _index in range(4):
        new_child(world, first_name=f"Enfant{_index}")
    request = RequestFactory().get("/")
    request.portal_page = portal
    portal_reverse(request, "home")  # the site's lookup, done once per request by the portal

    with django_assert_max_num_queries(4):
        items = attention_items(world.family, request, now=NOW)

    texts = [item.text for item in items]
    year = world.activity.school_year
    assert texts[0] == gettext(
        "A place is offered for %(child)s on %(day)s (%(unit)s): accept it before %(deadline)s"
    ) % {
        "child": world.child.first_name,
        "day": date_format(slot_day, "DATE_FORMAT"),
        "unit": world.unit.name,
        "deadline": local_datetime(NOW + datetime.timedelta(hours=20)),
    }
    assert items[0].url == url(portal, "calendar")
    to_complete = gettext("Administrative file %(year)s of %(child)s to complete")
    assert to_complete % {"year": year, "child": "Léa"} in texts  # refused: to send again
    assert to_complete % {"year": coming, "child": "Léa"} in texts
    name = world.child.first_name  # « Enfant… »: « d'Enfant… »
    assert elide(to_complete % {"year": coming, "child": name}, name) in texts
    assert elide(to_complete % {"year": year, "child": name}, name) not in texts
    refused = gettext("Registration of %(child)s to %(activity)s refused")
    assert elide(refused % {"child": name, "activity": "CLV Été"}, name) in texts
    assert refused % {"child": world.child.first_name, "activity": "CLV Printemps"} not in texts
    assert url(portal, "enrolment_submit", child_id=lea.pk, school_year_id=coming.pk) in [
        item.url for item in items
    ]


def test_the_portal_home_shows_them(client, portal, attention_world):
    world, lea, coming = attention_world
    client.force_login(world.guardian.user)

    content = client.get(portal.url).content.decode()

    assert (
        gettext("Administrative file %(year)s of %(child)s to complete")
        % {"year": coming, "child": "Léa"}
        in content
    )
    assert url(portal, "calendar") in content


def test_no_attention_item_for_an_up_to_date_family(portal, world):
    request = RequestFactory().get("/")
    request.portal_page = portal

    assert attention_items(world.family, request, now=NOW) == []


def test_a_family_without_children_sees_an_empty_hub(client, portal, world):
    client.force_login(GuardianFactory(family=FamilyFactory()).user)

    response = client.get(url(portal, "home"))

    assert response.status_code == 200
    assert response.context["hub"].children == []
