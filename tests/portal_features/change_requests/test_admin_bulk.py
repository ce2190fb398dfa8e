"""« Demandes de modification »: deciding several change requests at once."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from cms.staff_groups import ENFANCE, ensure_staff_groups
from portal_features.change_requests.services import STALE, change_request_submit
from portal_features.models import ChangeRequest, Notification
from tests.factories import GuardianFactory, UserFactory

pytestmark = pytest.mark.django_db

INDEX = "portal_features_changerequest_modeladmin_index"
BULK = "portal_features_changerequest_modeladmin_bulk"


def refused(response) -> bool:
    """Wagtail answers a forbidden admin view with a 403 or a redirect to the dashboard."""
    return response.status_code == 403 or (
        response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    )


def submit(guardian, changes):
    return change_request_submit(
        family=guardian.family,
        target=guardian,
        changes=changes,
        user=guardian.user,
        summary=f"Téléphone de {guardian.family.name}",
    )


@pytest.fixture
def enfance_user():
    ensure_staff_groups()
    user = UserFactory()
    user.groups.add(Group.objects.get(name=ENFANCE))
    return user


@pytest.fixture
def guardians():
    return [GuardianFactory(phone_work=""), GuardianFactory(phone_work="")]


@pytest.fixture
def change_requests(guardians):
    return [submit(guardian, {"phone_work": "02 38 00 00 00"}) for guardian in guardians]


def statuses(change_requests):
    return [ChangeRequest.objects.get(pk=request.pk).status for request in change_requests]


def test_bulk_accept_applies_each_request(client, enfance_user, guardians, change_requests):
    client.force_login(enfance_user)
    assert reverse(BULK) in client.get(reverse(INDEX)).content.decode()
    assert change_requests[0].summary in client.get(reverse(BULK)).content.decode()

    response = client.post(
        reverse(BULK),
        {"requests": [request.pk for request in change_requests], "decision": "accept"},
    )

    assert response.status_code == 302 and response.url == reverse(INDEX)
    for guardian in guardians:
        guardian.refresh_from_db()
        assert guardian.phone_work == "02 38 00 00 00"
    assert statuses(change_requests) == ["accepted", "accepted"]
    assert Notification.objects.filter(kind="request_accepted").count() == 2


def test_bulk_refusal_needs_a_reason_then_refuses_each(client, enfance_user, change_requests):
    client.force_login(enfance_user)
    data = {"requests": [request.pk for request in change_requests], "decision": "refuse"}

    empty = client.post(reverse(BULK), data)
    assert empty.status_code == 200
    assert empty.context["form"].errors["reason"] == [
        "Indiquez le motif du refus : il sera communiqué à la famille."
    ]
    assert statuses(change_requests) == ["pending", "pending"]

    assert client.post(reverse(BULK), {**data, "reason": "Pièce manquante"}).status_code == 302
    assert statuses(change_requests) == ["refused", "refused"]
    assert Notification.objects.filter(kind="request_refused").count() == 2


def test_processed_and_stale_requests_are_reported_and_the_others_go_through(
    client, enfance_user, guardians
):
    fresh, stale = [submit(guardian, {"phone_work": "02 38 00 00 00"}) for guardian in guardians]
    done = submit(guardians[0], {"profession": "Infirmière"})
    client.force_login(enfance_user)
    client.post(reverse(BULK), {"requests": [done.pk], "decision": "refuse", "reason": "Non"})
    guardians[1].phone_work = "02 38 11 11 11"  # staff changed the file meanwhile
    guardians[1].save()

    response = client.post(
        reverse(BULK),
        {"requests": [fresh.pk, stale.pk, done.pk], "decision": "accept"},
        follow=True,
    )

    assert statuses([fresh, stale, done]) == ["accepted", "pending", "refused"]
    messages = [str(message) for message in response.context["messages"]]
    assert any(stale.summary in m and str(STALE) in m for m in messages)
    assert any(done.summary in m and "Cette demande a déjà été traitée." in m for m in messages)
    assert any(m.startswith("1 ") for m in messages)


def test_a_user_without_the_change_permission_is_refused(client, change_requests):
    viewer = UserFactory()
    viewer.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_changerequest"),
    )
    client.force_login(viewer)

    assert reverse(BULK) not in client.get(reverse(INDEX)).content.decode()
    assert refused(client.get(reverse(BULK)))
    data = {"requests": [request.pk for request in change_requests], "decision": "accept"}
    assert refused(client.post(reverse(BULK), data))
    assert statuses(change_requests) == ["pending", "pending"]
