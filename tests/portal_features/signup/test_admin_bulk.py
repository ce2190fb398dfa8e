"""« Demandes de compte »: deciding several account requests at once."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.urls import reverse

from cms.staff_groups import ENFANCE, ensure_staff_groups
from portal_features.models import Family, SignupRequest
from tests.factories import SignupRequestFactory, UserFactory

pytestmark = pytest.mark.django_db

INDEX = "portal_features_signuprequest_modeladmin_index"
BULK = "portal_features_signuprequest_modeladmin_bulk"


def refused(response) -> bool:
    """Wagtail answers a forbidden admin view with a 403 or a redirect to the dashboard."""
    return response.status_code == 403 or (
        response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    )


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.fixture
def enfance_user():
    ensure_staff_groups()
    user = UserFactory()
    user.groups.add(Group.objects.get(name=ENFANCE))
    return user


@pytest.fixture
def requests():
    return [SignupRequestFactory(), SignupRequestFactory()]


def pks(requests):
    return [signup_request.pk for signup_request in requests]


def test_the_list_leads_to_the_bulk_screen_which_offers_pending_requests(
    client, enfance_user, requests
):
    SignupRequestFactory(email="deja@example.fr", status="refused")
    client.force_login(enfance_user)

    assert reverse(BULK) in client.get(reverse(INDEX)).content.decode()
    html = client.get(reverse(BULK)).content.decode()
    assert requests[0].email in html and requests[1].email in html
    assert "deja@example.fr" not in html


def test_bulk_accept_creates_families_with_consecutive_numbers_and_sends_emails(
    client, enfance_user, requests, django_capture_on_commit_callbacks
):
    client.force_login(enfance_user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse(BULK), {"requests": pks(requests), "decision": "accept"})

    assert response.status_code == 302 and response.url == reverse(INDEX)
    numbers = sorted(int(number) for number in Family.objects.values_list("number", flat=True))
    assert len(numbers) == 2 and numbers[1] == numbers[0] + 1
    assert set(SignupRequest.objects.values_list("status", flat=True)) == {"accepted"}
    assert sorted(message.to[0] for message in mail.outbox) == sorted(r.email for r in requests)


def test_bulk_refusal_without_a_reason_is_refused_in_french_and_changes_nothing(
    client, enfance_user, requests
):
    client.force_login(enfance_user)

    response = client.post(
        reverse(BULK), {"requests": pks(requests), "decision": "refuse", "reason": " "}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["reason"] == [
        "Indiquez le motif du refus : il sera communiqué à la famille."
    ]
    assert set(SignupRequest.objects.values_list("status", flat=True)) == {"pending"}
    assert not mail.outbox


def test_bulk_refusal_with_a_reason_refuses_and_emails_each(
    client, enfance_user, requests, django_capture_on_commit_callbacks
):
    client.force_login(enfance_user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse(BULK),
            {"requests": pks(requests), "decision": "refuse", "reason": "Hors commune."},
        )

    assert response.status_code == 302
    for signup_request in requests:
        signup_request.refresh_from_db()
        assert (signup_request.status, signup_request.refusal_reason) == (
            "refused",
            "Hors commune.",
        )
    assert len(mail.outbox) == 2
    assert all("Hors commune." in message.body for message in mail.outbox)
    assert Family.objects.count() == 0


def test_an_already_processed_request_is_reported_and_the_others_go_through(
    client, enfance_user, requests, django_capture_on_commit_callbacks
):
    done = SignupRequestFactory(email="deja@example.fr", status="refused")
    client.force_login(enfance_user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse(BULK),
            {"requests": [*pks(requests), done.pk], "decision": "accept"},
            follow=True,
        )

    assert set(
        SignupRequest.objects.filter(pk__in=pks(requests)).values_list("status", flat=True)
    ) == {"accepted"}
    done.refresh_from_db()
    assert done.status == "refused"
    assert Family.objects.count() == 2 and len(mail.outbox) == 2
    messages = messages_of(response)
    assert any(
        "deja@example.fr" in m and "Cette demande a déjà été traitée." in m for m in messages
    )
    assert any(m.startswith("2 ") for m in messages)


def test_a_user_without_the_change_permission_is_refused(client, requests):
    viewer = UserFactory()
    viewer.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_signuprequest"),
    )
    client.force_login(viewer)

    assert reverse(BULK) not in client.get(reverse(INDEX)).content.decode()
    assert refused(client.get(reverse(BULK)))
    assert refused(client.post(reverse(BULK), {"requests": pks(requests), "decision": "accept"}))
    assert set(SignupRequest.objects.values_list("status", flat=True)) == {"pending"}
    assert Family.objects.count() == 0
