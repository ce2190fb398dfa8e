"""The staff screen « Demandes de compte »: who sees it, and Accept / Refuse through it."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.urls import reverse

from cms.staff_groups import COMMUNICATION, ENFANCE, ensure_staff_groups
from portal_features.models import Family, SignupRequest
from tests.factories import SignupRequestFactory, UserFactory, signup_request_data

pytestmark = pytest.mark.django_db

INDEX = "portal_features_signuprequest_modeladmin_index"


def action_url(action, signup_request):
    return reverse(f"portal_features_signuprequest_modeladmin_{action}", args=[signup_request.pk])


def refused(response) -> bool:
    """Wagtail answers a forbidden admin view with a 403 or a redirect to the dashboard."""
    return response.status_code == 403 or (
        response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    )


def staff_in(group_name):
    ensure_staff_groups()
    user = UserFactory()
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def enfance_user():
    return staff_in(ENFANCE)


@pytest.fixture
def signup_request():
    data = signup_request_data()
    data["primary_guardian"]["last_name"] = "Lefèvre"
    return SignupRequestFactory(email="lea.lefevre@example.fr", data=data)


def test_enfance_user_sees_the_list_with_name_and_children_count(
    client, enfance_user, signup_request
):
    client.force_login(enfance_user)

    response = client.get(reverse(INDEX))

    assert response.status_code == 200
    html = response.content.decode()
    assert "lea.lefevre@example.fr" in html
    assert "LEFÈVRE Léa" in html
    assert action_url("accept", signup_request) in html
    assert action_url("refuse", signup_request) in html


def test_the_list_filters_by_status_and_searches_by_name(client, enfance_user, signup_request):
    SignupRequestFactory(email="autre@example.fr", status="refused")
    client.force_login(enfance_user)

    pending = client.get(reverse(INDEX), {"status__exact": "pending"}).content.decode()
    by_name = client.get(reverse(INDEX), {"q": "lefèvre"}).content.decode()

    assert "lea.lefevre@example.fr" in pending and "autre@example.fr" not in pending
    assert "lea.lefevre@example.fr" in by_name and "autre@example.fr" not in by_name


def test_inspect_shows_the_request_readably(client, enfance_user, signup_request):
    client.force_login(enfance_user)

    response = client.get(action_url("inspect", signup_request))

    html = response.content.decode()
    assert response.status_code == 200
    assert "3 rue des Lilas" in html
    assert "<td>Tom</td>" in html
    assert '"primary_guardian"' not in html


def test_enfance_user_accepts_through_the_screen(
    client, enfance_user, signup_request, django_capture_on_commit_callbacks
):
    client.force_login(enfance_user)
    assert client.get(action_url("accept", signup_request)).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(action_url("accept", signup_request))

    assert response.status_code == 302
    assert response.url == reverse(INDEX)
    signup_request.refresh_from_db()
    assert signup_request.status == "accepted"
    assert signup_request.decided_by == enfance_user
    assert signup_request.family.name == "LEFÈVRE"
    assert mail.outbox[0].to == ["lea.lefevre@example.fr"]


def test_accepting_twice_through_the_screen_shows_the_error(client, enfance_user, signup_request):
    client.force_login(enfance_user)
    client.post(action_url("accept", signup_request))

    response = client.post(action_url("accept", signup_request), follow=True)

    assert Family.objects.count() == 1
    messages = [str(m) for m in response.context["messages"]]
    assert any("already been processed" in m or "déjà été traitée" in m for m in messages)


def test_refuse_through_the_screen_needs_a_reason(
    client, enfance_user, signup_request, django_capture_on_commit_callbacks
):
    client.force_login(enfance_user)

    empty = client.post(action_url("refuse", signup_request), {"reason": " "})
    assert empty.status_code == 200
    assert 'id="id_reason_error"' in empty.content.decode()
    assert SignupRequest.objects.get().status == "pending"

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(action_url("refuse", signup_request), {"reason": "Hors commune."})

    assert done.status_code == 302
    assert SignupRequest.objects.get().status == "refused"
    assert "Hors commune." in mail.outbox[0].body


def test_a_user_who_may_only_view_cannot_accept(client, signup_request):
    viewer = UserFactory()
    viewer.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_signuprequest"),
    )
    client.force_login(viewer)

    assert client.get(reverse(INDEX)).status_code == 200
    assert refused(client.post(action_url("accept", signup_request)))
    assert refused(client.post(action_url("refuse", signup_request), {"reason": "Non."}))
    assert SignupRequest.objects.get().status == "pending"
    assert Family.objects.count() == 0


def test_communication_user_cannot_see_the_requests(client, signup_request):
    client.force_login(staff_in(COMMUNICATION))

    assert refused(client.get(reverse(INDEX)))
    assert refused(client.get(action_url("inspect", signup_request)))
    assert refused(client.post(action_url("accept", signup_request)))
    assert reverse(INDEX) not in client.get(reverse("wagtailadmin_home")).content.decode()
    assert SignupRequest.objects.get().status == "pending"


def test_enfance_user_sees_the_menu_entry(client, enfance_user):
    client.force_login(enfance_user)

    assert reverse(INDEX) in client.get(reverse("wagtailadmin_home")).content.decode()
