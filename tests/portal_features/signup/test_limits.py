""" "Nouveau dossier" cannot be used to mail strangers: limited per address and per client,
and its e-mails carry nothing the visitor typed."""

import time

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext

from portal_features.models import SignupRequest
from tests.factories import UserFactory
from tests.portal_features.signup.test_requests import form_data

pytestmark = pytest.mark.django_db

PROXY_IP = "10.0.0.2"


def throttled_message(minutes=60):
    with translation.override("fr"):
        return ngettext(
            "Your request was not sent: too many requests came from this connection or for "
            "this e-mail address. Please try again later: the limit is lifted within "
            "%(minutes)s minute.",
            "Your request was not sent: too many requests came from this connection or for "
            "this e-mail address. Please try again later: the limit is lifted within "
            "%(minutes)s minutes.",
            minutes,
        ) % {"minutes": minutes}


@pytest.fixture
def send(client, django_capture_on_commit_callbacks):
    """Submit the form for `email` from `ip` (or through a proxy, for `forwarded_for`)."""

    def post(email, *, ip="198.51.100.20", forwarded_for=None, **overrides):
        headers = {"REMOTE_ADDR": ip}
        if forwarded_for:
            headers |= {"REMOTE_ADDR": PROXY_IP, "HTTP_X_FORWARDED_FOR": forwarded_for}
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                reverse("signup:signup"),
                form_data(**{"primary-email": email}, **overrides),
                **headers,
            )

    return post


def was_refused(response):
    return response.status_code == 429 and throttled_message() in response.content.decode()


# Limits -----------------------------------------------------------------------------------


def test_a_fourth_request_for_one_address_in_the_hour_is_refused_and_sends_nothing(send):
    accepted = [send("lea.durand@example.fr", ip=f"198.51.100.{n}") for n in range(3)]
    sent = len(mail.outbox)

    refused = send("LEA.Durand@example.fr", ip="198.51.100.99")

    assert [r.status_code for r in accepted] == [302, 302, 302]
    assert was_refused(refused)
    assert 'role="alert"' in refused.content.decode()
    # The form keeps what was typed.
    assert 'value="Tom"' in refused.content.decode()
    assert len(mail.outbox) == sent
    assert SignupRequest.objects.count() == 1


def test_sub_addresses_of_one_mailbox_share_its_count(send):
    for n in range(3):
        send(f"lea.durand+{n}@example.fr", ip=f"198.51.100.{n}")

    assert was_refused(send("lea.durand+autre@example.fr", ip="198.51.100.99"))
    assert len(mail.outbox) == 3


def test_an_eleventh_request_from_one_client_in_the_hour_is_refused(send):
    for n in range(10):
        assert send(f"famille{n}@example.fr").status_code == 302

    refused = send("famille10@example.fr")

    assert was_refused(refused)
    assert SignupRequest.objects.count() == 10
    assert len(mail.outbox) == 10
    # Another client is not concerned.
    assert send("famille11@example.fr", ip="203.0.113.7").status_code == 302


def test_an_address_with_an_account_is_limited_the_same_way(send):
    """Otherwise the limit would tell which addresses have an account."""
    UserFactory(email="lea.durand@example.fr")
    for n in range(3):
        assert send("lea.durand@example.fr", ip=f"198.51.100.{n}").status_code == 302

    assert was_refused(send("lea.durand@example.fr", ip="198.51.100.99"))
    assert len(mail.outbox) == 3


def test_behind_a_proxy_each_client_has_its_own_count(send, settings):
    settings.REVERSE_PROXY_COUNT = 1
    for n in range(10):
        send(f"famille{n}@example.fr", forwarded_for="203.0.113.7")

    assert was_refused(send("famille10@example.fr", forwarded_for="203.0.113.7"))
    assert send("famille11@example.fr", forwarded_for="198.51.100.20").status_code == 302


def test_the_limits_come_from_the_settings(send, settings):
    settings.SIGNUP_LIMIT_PER_EMAIL = 1
    settings.SIGNUP_LIMIT_WINDOW_MINUTES = 5
    send("lea.durand@example.fr", ip="198.51.100.1")

    refused = send("lea.durand@example.fr", ip="198.51.100.2")

    assert refused.status_code == 429
    assert throttled_message(5) in refused.content.decode()


def test_requests_are_accepted_again_once_the_window_has_passed(send, monkeypatch):
    for n in range(3):
        send("lea.durand@example.fr", ip=f"198.51.100.{n}")
    assert was_refused(send("lea.durand@example.fr", ip="198.51.100.99"))

    # The local-memory cache reads the clock for expiry: move it past the hour.
    later = time.time() + 3601
    monkeypatch.setattr("django.core.cache.backends.locmem.time.time", lambda: later)

    assert send("lea.durand@example.fr", ip="198.51.100.99").status_code == 302


def test_an_invalid_form_and_adding_a_child_count_nothing(send, client):
    for _ in range(5):
        send("lea.durand@example.fr", **{"address-postal_code": "44"})
        client.post(reverse("signup:signup"), form_data(add_child="1"))

    assert send("lea.durand@example.fr").status_code == 302


# What the e-mails say ---------------------------------------------------------------------

TYPED = {
    "primary-last_name": "Quatremare",
    "primary-first_name": "Zéphyrine",
    "primary-phone_mobile": "06 11 22 33 44",
    "second-last_name": "Virement",
    "second-first_name": "Barnabé",
    "second-email": "barnabe@example.fr",
    "second-phone_mobile": "06 55 66 77 88",
    "address-address_line": "Appelez le 0899 123 456",
    "address-city": "Escroquerie-sur-Mer",
    "children-0-first_name": "Rendez-vous sur pirate.example",
    "children-0-last_name": "Remboursement",
}
# Chosen from lists, not typed.
CHOICES = {"second-civility": "m", "second-role": "father"}


def typed_words_in(message):
    text = " ".join([message.subject, message.body, message.alternatives[0][0]])
    return [value for value in TYPED.values() if value in text]


def test_the_acknowledgement_echoes_nothing_the_visitor_typed(send):
    response = send("lea.durand@example.fr", **TYPED, **CHOICES)

    assert response.status_code == 302
    assert SignupRequest.objects.get().data["children"][0]["last_name"] == "Remboursement"
    assert len(mail.outbox) == 1
    assert typed_words_in(mail.outbox[0]) == []


@pytest.mark.parametrize("has_account", [True, False])
def test_the_mail_to_a_known_address_echoes_nothing_either(send, has_account):
    if has_account:
        UserFactory(email="lea.durand@example.fr")
    else:
        send("lea.durand@example.fr")
        mail.outbox.clear()

    send("Lea.Durand@example.fr", **TYPED, **CHOICES)

    assert len(mail.outbox) == 1
    assert typed_words_in(mail.outbox[0]) == []
    assert "lea.durand" not in mail.outbox[0].body.lower()
