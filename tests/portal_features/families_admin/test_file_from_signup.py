"""A family created through the online sign-up, as staff then read it: its file and history.

The demo's families are built directly, so their history never holds the sign-up's
"accepted" event; these families go through the same services as a real request.
"""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from cms.staff_groups import ENFANCE, ensure_staff_groups
from portal_features.families_admin.admin import event_details
from portal_features.models import FamilyEvent
from portal_features.signup.services import signup_request_accept, signup_request_submit
from tests.factories import UserFactory, signup_request_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def enfance_user():
    ensure_staff_groups()
    user = UserFactory(first_name="Agnès", last_name="Accueil")
    user.groups.add(Group.objects.get(name=ENFANCE))
    return user


@pytest.fixture
def family(enfance_user):
    data = signup_request_data()
    request = signup_request_submit(data=data, email=data["primary_guardian"]["email"])
    return signup_request_accept(request=request, actor=enfance_user)


def test_staff_open_the_file_of_a_family_accepted_from_the_sign_up(client, enfance_user, family):
    client.force_login(enfance_user)

    response = client.get(reverse("portal_features_family_modeladmin_inspect", args=[family.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert FamilyEvent.objects.filter(family=family, action=FamilyEvent.Action.ACCEPTED).exists()
    assert "Demande de compte acceptée" in html


def test_staff_open_the_history_of_a_family_accepted_from_the_sign_up(client, enfance_user, family):
    client.force_login(enfance_user)

    response = client.get(reverse("portal_features_family_modeladmin_history", args=[family.pk]))

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("data", "label"),
    [
        ({"city": ["Nantes", "Orléans"]}, "commune"),  # a field: its verbose name
        ({"signup_request": 12}, "demande de compte"),  # a reverse one-to-one
        ({"guardians": 3}, "responsable légal"),  # a reverse foreign key
        ({"children": 4}, "enfant"),  # a reverse many-to-many
        ({"families": 5}, "familles"),  # a many-to-many of Child
        ({"shoe_size": 31}, "shoe_size"),  # a field that no longer exists
    ],
)
def test_every_key_of_an_event_gets_a_label(data, label):
    event = FamilyEvent(action=FamilyEvent.Action.CHANGED, description="", data=data)

    (row,) = event_details(event)

    assert row["label"] == label
