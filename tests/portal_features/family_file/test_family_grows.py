"""The family grows: a child or a second guardian asked from « Mon dossier » and accepted by
staff, or added by staff directly; a child known in another household is linked, not
created twice."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from cms.staff_groups import ENFANCE, ensure_staff_groups
from portal_features.change_requests.services import change_request_accept
from portal_features.errors import PortalError
from portal_features.models import ChangeRequest, Child, Guardian
from reservations.eligibility import group_for_child
from tests import factories
from tests.factories import ChildFactory, FamilyFactory, GuardianFactory, PortalPageFactory

pytestmark = pytest.mark.django_db

NEW_CHILD = {
    "last_name": "DUPONT",
    "first_name": "Lina",
    "birth_date": "2019-03-12",
    "sex": "f",
    "school": "École Jules Ferry",
    "school_level": "ce1",
}


@pytest.fixture
def portal(home_page):
    return PortalPageFactory(parent=home_page)


@pytest.fixture
def guardian(db):
    return GuardianFactory(family=FamilyFactory(name="DUPONT"), first_name="Claire")


@pytest.fixture
def staff(db):
    ensure_staff_groups()
    user = factories.UserFactory()
    user.groups.add(Group.objects.get(name=ENFANCE))
    return user


def ask(client, portal, guardian, path, data):
    client.force_login(guardian.user)
    assert client.get(portal.url + "family/").status_code == 200
    response = client.post(portal.url + f"family/{path}", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return ChangeRequest.objects.get(family=guardian.family)


def test_the_file_offers_to_add_a_child_and_a_guardian(client, portal, guardian):
    client.force_login(guardian.user)

    html = client.get(portal.url + "family/").content.decode()

    assert portal.url + "family/children/add/" in html
    assert portal.url + "family/guardians/add/" in html


def test_a_child_asked_by_the_family_exists_and_is_eligible_once_accepted(
    client, portal, guardian, staff
):
    change_request = ask(client, portal, guardian, "children/add/", NEW_CHILD)
    assert not Child.objects.filter(first_name="Lina").exists()

    change_request_accept(change_request=change_request, actor=staff)

    lina = Child.objects.for_family(guardian.family).get(first_name="Lina")
    assert lina.birth_date == datetime.date(2019, 3, 12)
    assert (lina.school, lina.school_level) == ("École Jules Ferry", "ce1")
    group = factories.GroupFactory(school_levels=["ce1", "ce2"], min_age=6, max_age=11)
    assert group_for_child(lina, [group]) == group
    # The family reads it in « Mes demandes » as accepted.
    page = client.get(portal.url + "family/requests/").content.decode()
    assert "Lina" in page


def test_a_second_guardian_asked_by_the_family_is_added_once_accepted(
    client, portal, guardian, staff
):
    change_request = ask(
        client,
        portal,
        guardian,
        "guardians/add/",
        {
            "civility": "m",
            "last_name": "DUPONT",
            "first_name": "Marc",
            "role": "father",
            "phone_mobile": "0612345678",
            "email": "marc@example.fr",
            "consents_to_email": "on",
        },
    )

    change_request_accept(change_request=change_request, actor=staff)

    marc = Guardian.objects.get(family=guardian.family, first_name="Marc")
    assert (marc.role, marc.phone_mobile, marc.is_primary, marc.user) == (
        "father",
        "0612345678",
        False,
        None,
    )


def test_a_child_known_elsewhere_is_proposed_then_linked(client, portal, guardian, staff):
    other = FamilyFactory(name="MARTIN")
    known = ChildFactory(
        family=other, first_name="Lina", last_name="Dupont", birth_date=datetime.date(2019, 3, 12)
    )
    change_request = ask(client, portal, guardian, "children/add/", NEW_CHILD)
    client.force_login(staff)
    inspect = reverse("portal_features_changerequest_modeladmin_inspect", args=[change_request.pk])

    screen = client.get(inspect).content.decode()
    assert "MARTIN" in screen and "Rattacher l'enfant connu" in screen
    # Accepting as a new child is refused: it would exist twice.
    with pytest.raises(PortalError):
        change_request_accept(change_request=change_request, actor=staff)
    link = reverse("portal_features_changerequest_modeladmin_link", args=[change_request.pk])
    assert client.post(link).status_code == 302

    assert Child.objects.filter(first_name__iexact="Lina").count() == 1
    assert set(known.families.all()) == {other, guardian.family}
    change_request.refresh_from_db()
    assert change_request.status == "accepted"


def test_link_without_a_known_child_is_refused(guardian, staff):
    from portal_features.change_requests.services import change_request_submit

    change_request = change_request_submit(
        family=guardian.family,
        target=guardian.family,
        changes={**NEW_CHILD, "birth_date": datetime.date(2019, 3, 12)},
        user=guardian.user,
        summary="Nouvel enfant",
        action="create",
        model="child",
    )

    with pytest.raises(PortalError):
        change_request_accept(change_request=change_request, actor=staff, link_known=True)
    assert not Child.objects.filter(first_name="Lina").exists()


def test_staff_add_a_child_and_a_guardian_directly(client, guardian, staff):
    client.force_login(staff)
    family = guardian.family
    inspect = reverse("portal_features_family_modeladmin_inspect", args=[family.pk])
    child_url = reverse("portal_features_family_modeladmin_child_add", args=[family.pk])
    guardian_url = reverse("portal_features_family_modeladmin_guardian_add", args=[family.pk])
    html = client.get(inspect).content.decode()
    assert child_url in html and guardian_url in html

    assert client.post(child_url, NEW_CHILD).status_code == 302
    response = client.post(
        guardian_url,
        {"civility": "m", "last_name": "DUPONT", "first_name": "Marc", "role": "father"},
    )

    assert response.status_code == 302
    assert Child.objects.for_family(family).get().first_name == "Lina"
    assert Guardian.objects.filter(family=family, first_name="Marc").exists()


def test_staff_are_offered_to_link_a_known_child(client, guardian, staff):
    other = FamilyFactory(name="MARTIN")
    known = ChildFactory(
        family=other, first_name="Lina", last_name="DUPONT", birth_date=datetime.date(2019, 3, 12)
    )
    client.force_login(staff)
    url = reverse("portal_features_family_modeladmin_child_add", args=[guardian.family.pk])

    proposed = client.post(url, NEW_CHILD)

    assert proposed.status_code == 200
    assert "MARTIN" in proposed.content.decode()
    assert Child.objects.count() == 1
    assert client.post(url, {**NEW_CHILD, "link_known": "on"}).status_code == 302
    assert Child.objects.count() == 1
    assert set(known.families.all()) == {other, guardian.family}
