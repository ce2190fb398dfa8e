"""Change requests: staff accept (all changes or none) or refuse with a reason."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from cms.staff_groups import ENFANCE, ensure_staff_groups
from portal_features.change_requests.services import (
    STALE,
    change_request_accept,
    change_request_refuse,
    change_request_submit,
)
from portal_features.errors import PortalError
from portal_features.models import AuthorizedPerson, FamilyEvent, Notification
from tests.factories import (
    AuthorizedPersonFactory,
    ChildFactory,
    ConsentTypeFactory,
    GuardianFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def guardian():
    return GuardianFactory(phone_work="")


@pytest.fixture
def staff():
    return UserFactory(is_staff=True)


def submit(guardian, changes, target=None, **kwargs):
    return change_request_submit(
        family=guardian.family,
        target=target or guardian,
        changes=changes,
        user=guardian.user,
        summary="Test",
        **kwargs,
    )


def test_accept_applies_every_field_and_tells_the_family(guardian, staff):
    change_request = submit(guardian, {"phone_work": "02 38 00 00 00", "profession": "Infirmière"})

    change_request_accept(change_request=change_request, actor=staff)

    guardian.refresh_from_db()
    assert (guardian.phone_work, guardian.profession) == ("02 38 00 00 00", "Infirmière")
    change_request.refresh_from_db()
    assert (change_request.status, change_request.decided_by) == ("accepted", staff)
    assert Notification.objects.get(family=guardian.family).kind == "request_accepted"
    assert FamilyEvent.objects.filter(family=guardian.family, action="accepted").exists()


def test_accept_applies_nothing_when_one_field_is_invalid(guardian, staff):
    change_request = submit(guardian, {"profession": "Infirmière", "phone_home": "06"})
    # Values checked at submission can still fail the model's rules when applied.

    with pytest.raises(PortalError):
        change_request_accept(change_request=change_request, actor=staff)

    guardian.refresh_from_db()
    assert guardian.profession == ""
    change_request.refresh_from_db()
    assert change_request.status == "pending"
    assert not Notification.objects.exists()


def test_a_stale_request_is_refused(guardian, staff):
    change_request = submit(guardian, {"phone_work": "02 38 00 00 00"})
    guardian.phone_work = "02 38 11 11 11"  # staff changed the file meanwhile
    guardian.save()

    with pytest.raises(PortalError) as error:
        change_request_accept(change_request=change_request, actor=staff)

    assert error.value.message == STALE
    guardian.refresh_from_db()
    assert guardian.phone_work == "02 38 11 11 11"


def test_accept_twice_is_refused(guardian, staff):
    change_request = submit(guardian, {"phone_work": "02 38 00 00 00"})
    change_request_accept(change_request=change_request, actor=staff)

    with pytest.raises(PortalError):
        change_request_accept(change_request=change_request, actor=staff)


def test_refuse_needs_a_reason_then_tells_the_family(guardian, staff):
    change_request = submit(guardian, {"phone_work": "02 38 00 00 00"})

    with pytest.raises(PortalError):
        change_request_refuse(change_request=change_request, actor=staff, reason="  ")
    change_request_refuse(change_request=change_request, actor=staff, reason="Illisible")

    change_request.refresh_from_db()
    assert (change_request.status, change_request.refusal_reason) == ("refused", "Illisible")
    assert Notification.objects.get(family=guardian.family).kind == "request_refused"
    guardian.refresh_from_db()
    assert guardian.phone_work == ""


def test_creation_removal_and_consents_are_applied(guardian, staff):
    family = guardian.family
    child = ChildFactory(family=family)
    consent_type = ConsentTypeFactory()
    person = AuthorizedPersonFactory(family=family, child=child)

    created = submit(
        guardian,
        {"last_name": "B", "first_name": "Jo", "phone": "0611223344", "may_pick_up": True},
        target=child,
        action="create",
        model="authorizedperson",
    )
    removed = submit(guardian, {}, target=person, action="delete")
    consents = submit(guardian, {f"consent:{consent_type.pk}": True}, target=child)
    vaccination = submit(
        guardian,
        {"vaccine": "ROR", "date": datetime.date(2020, 3, 1)},
        target=child,
        action="create",
        model="vaccination",
    )
    for change_request in (created, removed, consents, vaccination):
        change_request_accept(change_request=change_request, actor=staff)

    assert list(AuthorizedPerson.objects.values_list("first_name", "family")) == [("Jo", family.pk)]
    assert child.consents.get(consent_type=consent_type).granted is True
    assert child.health_record.vaccinations.get().date == datetime.date(2020, 3, 1)


def test_nothing_changed_sends_no_request(guardian):
    with pytest.raises(PortalError):
        submit(guardian, {"phone_work": "", "first_name": guardian.first_name})


def test_a_family_cannot_target_another_familys_row(guardian):
    with pytest.raises(PortalError):
        submit(guardian, {"phone_work": "02 38 00 00 00"}, target=GuardianFactory())


def test_enfance_staff_accept_through_the_admin(client, guardian):
    ensure_staff_groups()
    user = UserFactory()
    user.groups.add(Group.objects.get(name=ENFANCE))
    change_request = submit(guardian, {"marital_status": "divorced"})
    client.force_login(user)

    index = client.get(reverse("portal_features_changerequest_modeladmin_index"))
    accept_url = reverse(
        "portal_features_changerequest_modeladmin_accept", args=[change_request.pk]
    )
    page = client.get(accept_url)
    response = client.post(accept_url)

    assert index.status_code == 200 and accept_url in index.content.decode()
    assert page.status_code == 200
    assert response.status_code == 302
    guardian.refresh_from_db()
    assert guardian.marital_status == "divorced"


def test_the_refusal_screen_requires_a_reason(client, guardian):
    ensure_staff_groups()
    user = UserFactory()
    user.groups.add(Group.objects.get(name=ENFANCE))
    change_request = submit(guardian, {"marital_status": "divorced"})
    client.force_login(user)
    refuse_url = reverse(
        "portal_features_changerequest_modeladmin_refuse", args=[change_request.pk]
    )

    assert client.post(refuse_url, {"reason": ""}).status_code == 200
    assert client.post(refuse_url, {"reason": "Pièce manquante"}).status_code == 302
    change_request.refresh_from_db()
    assert change_request.refusal_reason == "Pièce manquante"
