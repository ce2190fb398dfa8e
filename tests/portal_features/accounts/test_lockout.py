"""Brute-force protection: django-axes locks an e-mail address from one IP address only."""

import re
from datetime import timedelta

import pytest
from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.core import mail
from django.db.models import F
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

WRONG = "Pas-le-bon-2026"
ATTACKER_IP = "203.0.113.7"
PARENT_IP = "198.51.100.20"


def fail_until_locked(log_in, email, *, ip=ATTACKER_IP, url=None):
    """Send AXES_FAILURE_LIMIT wrong passwords; return the responses."""
    return [log_in(email, WRONG, ip=ip, url=url) for _ in range(settings.AXES_FAILURE_LIMIT)]


def is_lockout_page(response):
    return response.status_code == 429 and any(
        t.name == "portal_features/accounts/lockout.html" for t in response.templates
    )


def test_locked_after_the_failure_limit_even_with_the_right_password(parent, log_in, client):
    responses = fail_until_locked(log_in, parent.email)

    assert [r.status_code for r in responses[:-1]] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    assert is_lockout_page(responses[-1])
    right_password = log_in(parent.email, ip=ATTACKER_IP)
    assert is_lockout_page(right_password)
    assert client.session.get("_auth_user_id") is None


def test_lockout_page_says_how_long_and_offers_a_new_password(parent, log_in):
    response = fail_until_locked(log_in, parent.email)[-1]

    minutes = int(get_cool_off().total_seconds() // 60)
    assert response.context["cooloff_minutes"] == minutes
    html = response.content.decode()
    assert re.search(rf"\b{minutes}\b", html)
    assert f'href="{reverse("accounts:password_reset")}"' in html


def test_changing_the_case_of_the_email_does_not_reset_the_count(parent, log_in):
    variants = ["claire.dupont@example.fr", "Claire.Dupont@example.fr", "CLAIRE.DUPONT@EXAMPLE.FR"]
    responses = [
        log_in(variants[n % len(variants)], WRONG, ip=ATTACKER_IP)
        for n in range(settings.AXES_FAILURE_LIMIT)
    ]

    assert is_lockout_page(responses[-1])


def test_the_same_email_from_another_ip_is_not_locked(parent, log_in, client):
    fail_until_locked(log_in, parent.email, ip=ATTACKER_IP)

    response = log_in(parent.email, ip=PARENT_IP)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(parent.pk)


def test_another_email_from_the_locked_ip_is_not_locked(parent, log_in, client):
    other = UserFactory(email="paul.durand@example.fr")
    fail_until_locked(log_in, parent.email, ip=ATTACKER_IP)

    response = log_in(other.email, ip=ATTACKER_IP)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(other.pk)


def test_unlocked_once_the_cool_off_has_passed(parent, log_in, client):
    fail_until_locked(log_in, parent.email)
    assert is_lockout_page(log_in(parent.email, ip=ATTACKER_IP))

    # Axes measures the cool-off from the attempt times: move them back instead of waiting.
    AccessAttempt.objects.update(
        attempt_time=F("attempt_time") - get_cool_off() - timedelta(seconds=1)
    )

    response = log_in(parent.email, ip=ATTACKER_IP)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(parent.pk)


def test_still_locked_just_before_the_end_of_the_cool_off(parent, log_in):
    fail_until_locked(log_in, parent.email)
    AccessAttempt.objects.update(
        attempt_time=F("attempt_time") - get_cool_off() + timedelta(minutes=1)
    )

    assert is_lockout_page(log_in(parent.email, ip=ATTACKER_IP))


def test_a_password_reset_lifts_the_lockout(parent, log_in, client):
    fail_until_locked(log_in, parent.email)
    client.post(reverse("accounts:password_reset"), {"email": parent.email})
    link = re.search(r"http://testserver(\S+/)", mail.outbox[0].body).group(1)
    set_password_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(
        set_password_url,
        {"new_password1": "Tournesol-Bleu-47", "new_password2": "Tournesol-Bleu-47"},
    )

    response = log_in(parent.email, "Tournesol-Bleu-47", ip=ATTACKER_IP)

    assert response.status_code == 302


def test_wagtail_admin_login_is_locked_too(log_in, client):
    staff = UserFactory(email="agent@example.fr", is_staff=True, is_superuser=True)
    admin_login = reverse("wagtailadmin_login")

    responses = fail_until_locked(log_in, staff.email, url=admin_login)

    assert is_lockout_page(responses[-1])
    assert is_lockout_page(log_in(staff.email, ip=ATTACKER_IP, url=admin_login))
    assert client.session.get("_auth_user_id") is None
    # The control: from another address the same form logs the agent in.
    assert log_in(staff.email, ip=PARENT_IP, url=admin_login).status_code == 302


def test_the_admin_login_counts_every_case_of_the_email_together(log_in):
    staff = UserFactory(email="agent@example.fr", is_staff=True, is_superuser=True)
    admin_login = reverse("wagtailadmin_login")
    variants = ["agent@example.fr", "Agent@Example.fr", "AGENT@EXAMPLE.FR"]

    responses = [
        log_in(variants[n % len(variants)], WRONG, ip=ATTACKER_IP, url=admin_login)
        for n in range(settings.AXES_FAILURE_LIMIT)
    ]

    assert is_lockout_page(responses[-1])
    assert is_lockout_page(log_in(staff.email, ip=ATTACKER_IP, url=admin_login))


# Behind reverse proxies -------------------------------------------------------------------

PROXY_IP = "10.0.0.2"


@pytest.fixture
def via_proxy(client):
    """Post a login form through a proxy that appends the sender to X-Forwarded-For."""

    def post(email, password=PASSWORD, *, forwarded_for, url=None):
        return client.post(
            url or reverse("accounts:login"),
            {"username": email, "password": password},
            REMOTE_ADDR=PROXY_IP,
            HTTP_X_FORWARDED_FOR=forwarded_for,
        )

    return post


@pytest.mark.parametrize("url_name", ["accounts:login", "wagtailadmin_login"])
def test_behind_a_proxy_an_attacker_does_not_lock_the_parent_out(
    settings, via_proxy, client, url_name
):
    settings.REVERSE_PROXY_COUNT = 1
    parent = UserFactory(email="claire.dupont@example.fr", is_staff=True, is_superuser=True)
    url = reverse(url_name)

    attempts = [
        via_proxy(parent.email, WRONG, forwarded_for=ATTACKER_IP, url=url)
        for _ in range(settings.AXES_FAILURE_LIMIT)
    ]

    assert is_lockout_page(attempts[-1])
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER_IP}
    response = via_proxy(parent.email, forwarded_for=PARENT_IP, url=url)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(parent.pk)


def test_behind_a_proxy_what_the_client_writes_in_the_header_is_ignored(settings, via_proxy):
    """The proxy appends the real sender; entries further left come from the client."""
    settings.REVERSE_PROXY_COUNT = 1
    parent = UserFactory(email="claire.dupont@example.fr")

    attempts = [
        via_proxy(parent.email, WRONG, forwarded_for=f"192.0.2.{n}, {ATTACKER_IP}")
        for n in range(settings.AXES_FAILURE_LIMIT + 1)
    ]

    assert is_lockout_page(attempts[-2]) and is_lockout_page(attempts[-1])
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER_IP}


def test_without_a_proxy_configured_the_header_changes_nothing(settings, via_proxy):
    """Anybody can send X-Forwarded-For: unless proxies are declared, REMOTE_ADDR counts."""
    settings.REVERSE_PROXY_COUNT = 0
    parent = UserFactory(email="claire.dupont@example.fr")

    attempts = [
        via_proxy(parent.email, WRONG, forwarded_for=f"192.0.2.{n}")
        for n in range(settings.AXES_FAILURE_LIMIT)
    ]

    assert is_lockout_page(attempts[-1])
    assert is_lockout_page(via_proxy(parent.email, forwarded_for=PARENT_IP))
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {PROXY_IP}
