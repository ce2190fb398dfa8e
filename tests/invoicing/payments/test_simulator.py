"""The simulator: each choice and scenario sends the right notifications, in order, through
our own stack, and the status lookups answer what PayFiP or Systempay would."""

import datetime
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from invoicing.payments.errors import ProviderRefused
from invoicing.payments.providers import (
    ExpectedPayment,
    NotificationKind,
    PaymentMethod,
    PaymentRequestData,
    PaymentState,
    get_provider,
    simulator,
)

pytestmark = [pytest.mark.urls("tests.invoicing.payments.urls"), pytest.mark.django_db]

NOTIFY_URL = "http://testserver/paiement/notification/"
RETURN_URL = "http://testserver/paiement/retour/"


def request_data(**changes):
    values = {
        "reference": "DP-2026-000123",
        "amount": Decimal("42.50"),
        "email": "claire.dupont@example.fr",
        "subject": "Périscolaire septembre",
        "return_url": RETURN_URL,
        "notify_url": NOTIFY_URL,
    }
    return PaymentRequestData(**{**values, **changes})


@pytest.fixture
def payfip(recorder):
    recorder.provider = get_provider("simulator", {"protocol": "payfip", "numcli": "123456"})
    return recorder.provider


@pytest.fixture
def systempay(recorder):
    recorder.provider = get_provider("simulator", {"protocol": "systempay"})
    recorder.expected = ExpectedPayment(amount=Decimal("42.50"))
    return recorder.provider


def open_payfip(client, provider):
    created = provider.create(request_data())
    page = client.get(created.redirect_url)
    assert page.status_code == 200
    return created.provider_ref, page


def choose_payfip(client, provider_ref, choice):
    return client.post("/paiement-simulateur/payfip/", {"idop": provider_ref, "choice": choice})


# PayFiP


def test_payfip_page_shows_the_payment_and_every_choice(client, payfip):
    _ref, page = open_payfip(client, payfip)

    html = page.content.decode()
    assert "42,50\u00a0€" in html
    assert "DP2026000123" in html
    assert "Periscolaire septembre" in html
    for choice in simulator.CHOICES:
        assert f'value="{choice}"' in html


@pytest.mark.parametrize(
    ("choice", "state", "method"),
    [
        ("P", PaymentState.PAID, PaymentMethod.CARD),
        ("V", PaymentState.PAID, PaymentMethod.DIRECT_DEBIT),
        ("R", PaymentState.REFUSED, PaymentMethod.CARD),
        ("Z", PaymentState.REFUSED, PaymentMethod.DIRECT_DEBIT),
        ("A", PaymentState.ABANDONED, PaymentMethod.UNKNOWN),
    ],
)
def test_payfip_outcome_notifies_once_with_idop_only_and_the_lookup_tells(
    client, payfip, recorder, choice, state, method
):
    provider_ref, _page = open_payfip(client, payfip)

    response = choose_payfip(client, provider_ref, choice)

    assert response.status_code == 302
    assert response["Location"] == f"{RETURN_URL}?idop={provider_ref}"
    assert recorder.bodies == [f"idOp={provider_ref}".encode()]
    (notification,) = recorder.notifications
    assert (notification.provider_ref, notification.kind) == (
        provider_ref,
        NotificationKind.TRIGGER,
    )
    status = payfip.fetch_status(provider_ref)
    assert (status.state, status.method) == (state, method)
    assert status.amount == Decimal("42.50")
    assert status.raw["refdet"] == "DP2026000123"
    assert status.test is True  # the simulator's PayFiP runs in test mode (saisie T)


def test_payfip_notify_twice_sends_two_identical_notifications(client, payfip, recorder):
    provider_ref, _page = open_payfip(client, payfip)

    choose_payfip(client, provider_ref, "P_twice")

    assert [n.provider_ref for n in recorder.notifications] == [provider_ref, provider_ref]
    assert payfip.fetch_status(provider_ref).state == PaymentState.PAID


def test_payfip_never_notify_sends_nothing_but_the_lookup_says_paid(client, payfip, recorder):
    provider_ref, _page = open_payfip(client, payfip)

    response = choose_payfip(client, provider_ref, "P_never")

    assert response.status_code == 302
    assert recorder.received == []
    assert simulator.late_notifications() == []
    assert payfip.fetch_status(provider_ref).state == PaymentState.PAID


def test_payfip_notify_late_keeps_the_notification_until_its_time(client, payfip, recorder):
    provider_ref, _page = open_payfip(client, payfip)
    choose_payfip(client, provider_ref, "P_late")
    assert recorder.received == []
    assert payfip.fetch_status(provider_ref).state == PaymentState.PAID

    now = simulator.get_payment(provider_ref)["done_at"]
    assert simulator.send_late_notifications(now=now + datetime.timedelta(minutes=29)) == []
    assert recorder.received == []

    sent = simulator.send_late_notifications(now=now + datetime.timedelta(minutes=30))

    assert sent == [provider_ref]
    assert [n.provider_ref for n in recorder.notifications] == [provider_ref]
    assert simulator.send_late_notifications(everything=True) == []  # sent once only


def test_the_command_sends_every_late_notification(client, payfip, recorder):
    first, _page = open_payfip(client, payfip)
    second, _page = open_payfip(client, payfip)
    choose_payfip(client, first, "P_late")
    choose_payfip(client, second, "P_late")

    call_command("payment_simulator_notify", "--all")

    assert [n.provider_ref for n in recorder.notifications] == [first, second]


def test_the_late_page_lists_and_sends(client, payfip, recorder):
    provider_ref, _page = open_payfip(client, payfip)
    choose_payfip(client, provider_ref, "P_late")

    page = client.get("/paiement-simulateur/notifications-en-retard/")
    assert "DP2026000123" in page.content.decode()
    client.post("/paiement-simulateur/notifications-en-retard/")

    assert [n.provider_ref for n in recorder.notifications] == [provider_ref]


def test_payfip_p5_then_paid(client, payfip, recorder):
    provider_ref, _page = open_payfip(client, payfip)

    choose_payfip(client, provider_ref, "P5_then_P")

    assert recorder.received == []
    first = payfip.fetch_status(provider_ref)
    assert (first.state, first.raw["code"]) == (PaymentState.PENDING, "P5")
    assert payfip.fetch_status(provider_ref).state == PaymentState.PAID
    simulator.send_late_notifications(everything=True)
    assert [n.provider_ref for n in recorder.notifications] == [provider_ref]


def test_payfip_page_left_open_is_pending_then_expired(client, payfip):
    provider_ref, _page = open_payfip(client, payfip)
    created_at = simulator.get_payment(provider_ref)["created_at"]

    soon = payfip.fetch_status(provider_ref, created_at=created_at, now=created_at)
    late = payfip.fetch_status(
        provider_ref, created_at=created_at, now=created_at + datetime.timedelta(minutes=20)
    )

    assert (soon.state, late.state) == (PaymentState.PENDING, PaymentState.EXPIRED)


def test_payfip_unknown_idop_is_expired(payfip):
    assert payfip.fetch_status("0000-unknown").state == PaymentState.EXPIRED


def test_a_payment_is_decided_once(client, payfip, recorder):
    provider_ref, _page = open_payfip(client, payfip)
    choose_payfip(client, provider_ref, "R")

    response = choose_payfip(client, provider_ref, "P")

    assert response.status_code == 200
    assert "déjà terminé" in response.content.decode()
    assert len(recorder.notifications) == 1
    assert payfip.fetch_status(provider_ref).state == PaymentState.REFUSED


def test_an_unknown_choice_or_payment(client, payfip):
    provider_ref, _page = open_payfip(client, payfip)
    assert choose_payfip(client, provider_ref, "PAID").status_code == 400
    assert client.get("/paiement-simulateur/payfip/?idop=nope").status_code == 404


def test_the_field_rules_hold_in_the_simulator_too(payfip):
    from invoicing.payments.errors import PaymentRequestInvalid

    with pytest.raises(PaymentRequestInvalid):
        payfip.create(request_data(amount=Decimal("0.50")))


def test_notifications_go_through_the_whole_stack_csrf_included(client, payfip, recorder):
    created = payfip.create(
        request_data(notify_url="http://testserver/paiement/notification-stricte/")
    )
    choose_payfip(client, created.provider_ref, "P")

    (delivery,) = simulator.get_payment(created.provider_ref)["deliveries"]
    assert delivery["status"] == 403


def test_delivering_keeps_the_database_connection_usable(client, payfip):
    provider_ref, _page = open_payfip(client, payfip)
    choose_payfip(client, provider_ref, "P_twice")
    assert get_user_model().objects.count() >= 0


# Systempay


def open_systempay(client, provider):
    created = provider.create(request_data())
    assert created.form.url == "/paiement-simulateur/systempay/"
    entry = client.post(created.form.url, dict(created.form.fields))
    assert entry.status_code == 302
    page = client.get(entry["Location"])
    assert page.status_code == 200
    return created.provider_ref, page


def choose_systempay(client, provider_ref, choice):
    return client.post(
        "/paiement-simulateur/systempay/paiement/", {"ref": provider_ref, "choice": choice}
    )


@pytest.mark.parametrize(
    ("choice", "state", "method"),
    [
        ("P", PaymentState.PAID, PaymentMethod.CARD),
        ("V", PaymentState.PAID, PaymentMethod.DIRECT_DEBIT),
        ("R", PaymentState.REFUSED, PaymentMethod.CARD),
        ("Z", PaymentState.REFUSED, PaymentMethod.DIRECT_DEBIT),
        ("A", PaymentState.ABANDONED, PaymentMethod.CARD),
    ],
)
def test_systempay_outcome_sends_one_signed_notification(
    client, systempay, recorder, choice, state, method
):
    provider_ref, page = open_systempay(client, systempay)
    assert 'value="P5_then_P"' not in page.content.decode()

    response = choose_systempay(client, provider_ref, choice)

    (notification,) = recorder.received
    assert notification.kind == NotificationKind.RESULT
    assert notification.provider_ref == provider_ref
    assert (notification.status.state, notification.status.method) == (state, method)
    assert notification.status.amount == Decimal("42.50")
    back = urlsplit(response["Location"])
    assert f"{back.scheme}://{back.netloc}{back.path}" == RETURN_URL
    assert systempay.parse_return(client.get(response["Location"]).wsgi_request) == provider_ref
    assert parse_qs(back.query)["signature"]


def test_systempay_notify_twice_late_and_never(client, systempay, recorder):
    twice, _page = open_systempay(client, systempay)
    late, _page = open_systempay(client, systempay)
    never, _page = open_systempay(client, systempay)

    choose_systempay(client, twice, "P_twice")
    choose_systempay(client, late, "P_late")
    choose_systempay(client, never, "P_never")
    assert [n.provider_ref for n in recorder.notifications] == [twice, twice]

    simulator.send_late_notifications(everything=True)
    assert [n.provider_ref for n in recorder.notifications] == [twice, twice, late]


def test_systempay_does_not_offer_p5(client, systempay):
    provider_ref, _page = open_systempay(client, systempay)
    assert choose_systempay(client, provider_ref, "P5_then_P").status_code == 400


def test_systempay_form_with_a_bad_signature_is_refused(client, systempay):
    created = systempay.create(request_data())
    fields = {**dict(created.form.fields), "vads_amount": "1"}

    response = client.post(created.form.url, fields)

    assert response.status_code == 400
    assert simulator.get_payment(created.provider_ref) is None


def test_systempay_notification_for_another_amount_is_refused(client, systempay, recorder):
    recorder.expected = ExpectedPayment(amount=Decimal("10.00"))
    provider_ref, _page = open_systempay(client, systempay)

    choose_systempay(client, provider_ref, "P")

    (refused,) = recorder.received
    assert isinstance(refused, ProviderRefused)
    assert refused.reason == "amount_mismatch"
    assert simulator.get_payment(provider_ref)["deliveries"][0]["status"] == 400


# Switched off


def test_switched_off_the_simulator_has_no_page_and_no_provider(client, settings, payfip):
    created = payfip.create(request_data())
    settings.PAYMENT_SIMULATOR_ENABLED = False

    assert client.get(created.redirect_url).status_code == 404
    assert client.get("/paiement-simulateur/notifications-en-retard/").status_code == 404
    with pytest.raises(ImproperlyConfigured):
        get_provider("simulator")


def test_outside_debug_it_needs_the_explicit_setting(client, settings, payfip):
    created = payfip.create(request_data())
    settings.DEBUG = False
    settings.PAYMENT_SIMULATOR_ALLOWED_IN_PRODUCTION = False

    assert client.get(created.redirect_url).status_code == 404
    with pytest.raises(ImproperlyConfigured):
        get_provider("simulator")
    with pytest.raises(Exception, match="off"):
        call_command("payment_simulator_notify")
