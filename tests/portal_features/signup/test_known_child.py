"""« Nouveau dossier » with a child another household already has (separated parents): staff
see it on the request and link it when they accept, rather than create it twice."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from cms.staff_groups import ENFANCE, ensure_staff_groups
from portal_features.errors import PortalError
from portal_features.models import Child, Family, Notification, SignupRequest
from portal_features.signup.services import signup_request_accept, signup_request_submit
from tests.factories import ChildFactory, FamilyFactory, UserFactory, signup_request_data

pytestmark = pytest.mark.django_db

EMMA = {"last_name": "bernard", "first_name": "emma", "birth_date": "2019-04-08", "sex": "f"}
NOE = {"last_name": "Roussel", "first_name": "Noé", "birth_date": "2021-01-15", "sex": "m"}


@pytest.fixture
def staff():
    ensure_staff_groups()
    user = UserFactory()
    user.groups.add(Group.objects.get(name=ENFANCE))
    return user


@pytest.fixture
def bernard():
    return FamilyFactory(name="BERNARD")


@pytest.fixture
def emma(bernard):
    return ChildFactory(
        family=bernard, first_name="Emma", last_name="BERNARD", birth_date=datetime.date(2019, 4, 8)
    )


def submitted(*children) -> SignupRequest:
    return signup_request_submit(
        data=signup_request_data(children=list(children)), email="thomas.roussel@example.fr"
    )


def test_staff_see_the_known_child_and_link_it_at_acceptance(client, staff, bernard, emma):
    signup_request = submitted(EMMA, NOE)
    client.force_login(staff)
    inspect = reverse("portal_features_signuprequest_modeladmin_inspect", args=[signup_request.pk])

    screen = client.get(inspect).content.decode()

    assert "Enfant déjà connu dans un autre foyer" in screen and "BERNARD" in screen
    assert "Accepter et rattacher les enfants connus" in screen
    # Accepting as new children is refused: Emma would exist twice.
    with pytest.raises(PortalError):
        signup_request_accept(request=signup_request, actor=staff)
    assert Child.objects.count() == 1 and not Family.objects.exclude(pk=bernard.pk).exists()

    link = reverse("portal_features_signuprequest_modeladmin_link", args=[signup_request.pk])
    assert client.post(link, {"validate_all": "on"}).status_code == 302

    roussel = Family.objects.exclude(pk=bernard.pk).get()
    # Emma kept (one record, in both households); Noé, unknown, created.
    assert Child.objects.count() == 2
    assert set(emma.families.all()) == {bernard, roussel}
    assert set(Child.objects.for_family(roussel)) == {emma, Child.objects.get(first_name="Noé")}
    assert list(Child.objects.for_family(bernard)) == [emma]
    welcome = Notification.objects.get(family=roussel)
    assert "Emma" in welcome.body and "autre foyer" in welcome.body


def test_without_a_known_child_the_link_decision_creates_the_children(staff, bernard, emma):
    signup_request = submitted({**EMMA, "birth_date": "2019-04-09"})

    family = signup_request_accept(request=signup_request, actor=staff, link_known=True)

    assert Child.objects.count() == 2
    assert list(emma.families.all()) == [bernard]
    assert Child.objects.for_family(family).get().birth_date == datetime.date(2019, 4, 9)


def test_the_child_is_known_whatever_the_accents_hyphens_and_case(staff, bernard):
    chloe = ChildFactory(
        family=bernard,
        first_name="Chloé-Anne",
        last_name="N'Diaye",
        birth_date=datetime.date(2019, 4, 8),
    )
    # The other parent types the names without accents, with a space and a curly apostrophe.
    signup_request = submitted(
        {**EMMA, "first_name": "CHLOE ANNE", "last_name": "n’diaye", "sex": "f"}
    )

    with pytest.raises(PortalError):
        signup_request_accept(request=signup_request, actor=staff)
    family = signup_request_accept(request=signup_request, actor=staff, link_known=True)

    assert Child.objects.count() == 1
    assert set(chloe.families.all()) == {bernard, family}
