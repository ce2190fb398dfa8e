"""Systempay/PayZen through eopayment: signed form out, signed notification in, checked."""

import base64
import datetime
import hashlib
import hmac
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.test import RequestFactory

from invoicing.payments.errors import PaymentRequestInvalid, ProviderRefused
from invoicing.payments.providers import (
    ExpectedPayment,
    NotificationKind,
    PaymentMethod,
    PaymentRequestData,
    PaymentState,
    get_provider,
)

KEY = "SecretKey1234567"
NOW = datetime.datetime(2026, 9, 15, 8, 30, 5, tzinfo=datetime.UTC)
REF = "20260915083005_Ab12Cd"


@pytest.fixture
def provider():
    return get_provider("systempay", {"site_id": "87654321", "key": KEY, "mode": "PRODUCTION"})


def request_data(**changes):
    values = {
        "reference": "DP-2026-000123",
        "amount": Decimal("42.50"),
        "email": "claire.dupont@example.fr",
        "subject": "Périscolaire septembre",
        "return_url": "https://portail.example.fr/paiement/retour/",
        "notify_url": "https://portail.example.fr/paiement/notification/",
    }
    return PaymentRequestData(**{**values, **changes})


def lyra_signature(fields, key=KEY):
    """Lyra's rule, written out here rather than taken from the code under test."""
    data = "+".join(fields[name] for name in sorted(fields) if name.startswith("vads_"))
    digest = hmac.new(key.encode(), f"{data}+{key}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def ipn(key=KEY, **changes):
    fields = {
        "vads_amount": "4250",
        "vads_auth_number": "3fe4d2",
        "vads_auth_result": "00",
        "vads_card_brand": "CB",
        "vads_ctx_mode": "PRODUCTION",
        "vads_currency": "978",
        "vads_effective_creation_date": "20260915083109",
        "vads_order_id": "DP-2026-000123",
        "vads_result": "00",
        "vads_site_id": "87654321",
        "vads_trans_date": "20260915083005",
        "vads_trans_id": "Ab12Cd",
        "vads_trans_status": "AUTHORISED",
        "vads_url_check_src": "PAY",
    }
    fields.update(changes)
    fields["signature"] = lyra_signature(fields, key)
    return fields


def post(fields):
    return RequestFactory().post(
        "/paiement/notification/",
        data=urlencode(fields),
        content_type="application/x-www-form-urlencoded",
    )


STORED = ExpectedPayment(amount=Decimal("42.50"))


def test_create_gives_a_form_signed_with_hmac_sha256(provider):
    created = provider.create(request_data(), now=NOW)

    fields = dict(created.form.fields)
    assert created.form.url == "https://paiement.systempay.fr/vads-payment/"
    assert created.form.method == "POST"
    assert created.provider_ref == f"20260915083005_{fields['vads_trans_id']}"
    assert fields["vads_amount"] == "4250"
    assert fields["vads_currency"] == "978"
    assert fields["vads_ctx_mode"] == "PRODUCTION"
    assert fields["vads_site_id"] == "87654321"
    assert fields["vads_order_id"] == "DP-2026-000123"
    assert fields["vads_url_check"] == "https://portail.example.fr/paiement/notification/"
    assert fields["vads_url_return"] == "https://portail.example.fr/paiement/retour/"
    assert fields["signature"] == lyra_signature(fields)


def test_payzen_is_the_same_protocol_at_lyras_other_address():
    provider = get_provider("payzen", {"site_id": "87654321", "key": KEY, "mode": "TEST"})
    assert provider.create(request_data(), now=NOW).form.url == (
        "https://secure.payzen.eu/vads-payment/"
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"amount": Decimal("0")}, "vads_amount"),
        ({"amount": Decimal("1.001")}, "vads_amount"),
        ({"reference": "DP#2026"}, "vads_order_id"),
        ({"reference": "X" * 33}, "vads_order_id"),
    ],
)
def test_a_broken_rule_is_refused(provider, changes, field):
    with pytest.raises(PaymentRequestInvalid) as error:
        provider.create(request_data(**changes), now=NOW)
    assert error.value.field == field


def test_a_good_notification_is_accepted_with_its_status(provider):
    notification = provider.parse_notification(post(ipn()), expected=STORED)

    assert notification.kind == NotificationKind.RESULT
    assert notification.provider_ref == REF
    status = notification.status
    assert status.state == PaymentState.PAID
    assert status.method == PaymentMethod.CARD
    assert status.amount == Decimal("42.50")
    assert status.transaction_id == "3fe4d2"
    assert status.paid_at == datetime.datetime(2026, 9, 15, 8, 31, 9, tzinfo=datetime.UTC)
    assert status.test is False
    assert provider.notification_is_trusted is True


def test_the_expected_payment_can_be_looked_up_by_reference(provider):
    asked = []

    def lookup(provider_ref):
        asked.append(provider_ref)
        return STORED

    provider.parse_notification(post(ipn()), expected=lookup)
    assert asked == [REF]


@pytest.mark.parametrize(
    ("changes", "state", "method"),
    [
        ({"vads_result": "05", "vads_auth_result": "05"}, PaymentState.REFUSED, "card"),
        ({"vads_result": "17", "vads_auth_result": ""}, PaymentState.ABANDONED, "card"),
        ({"vads_card_brand": "SDD"}, PaymentState.PAID, "direct_debit"),
    ],
)
def test_results_give_states(provider, changes, state, method):
    status = provider.parse_notification(post(ipn(**changes)), expected=STORED).status
    assert (status.state, status.method) == (state, method)
    if state != PaymentState.PAID:
        assert status.paid_at is None


def refusal(provider, fields, expected=STORED):
    with pytest.raises(ProviderRefused) as error:
        provider.parse_notification(post(fields), expected=expected)
    return error.value.reason


def test_a_bad_signature_is_refused(provider):
    assert refusal(provider, ipn(key="AnotherKey")) == "bad_signature"
    tampered = {**ipn(), "vads_result": "00", "vads_trans_status": "CAPTURED"}
    tampered["vads_amount"] = "4251"
    assert refusal(provider, tampered, ExpectedPayment(Decimal("42.51"))) == "bad_signature"


def test_another_amount_correctly_signed_is_refused(provider):
    assert refusal(provider, ipn(vads_amount="100")) == "amount_mismatch"


def test_another_currency_correctly_signed_is_refused(provider):
    assert refusal(provider, ipn(vads_currency="840")) == "currency_mismatch"


def test_a_test_mode_notification_is_refused_in_production(provider):
    assert refusal(provider, ipn(vads_ctx_mode="TEST")) == "mode_mismatch"


def test_an_unknown_payment_is_refused(provider):
    assert refusal(provider, ipn(), expected=lambda ref: None) == "unknown_payment"


def test_a_notification_missing_fields_is_refused(provider):
    fields = ipn()
    del fields["vads_amount"]
    assert refusal(provider, fields) == "malformed"
    assert refusal(provider, {}) == "malformed"


def test_a_refusal_is_logged(provider, caplog):
    refusal(provider, ipn(vads_amount="100"))
    assert "amount_mismatch" in caplog.text
    assert "Ab12Cd" in caplog.text


def test_the_browser_return_names_the_payment(provider):
    request = RequestFactory().get("/r/", ipn())
    assert provider.parse_return(request) == REF
    assert provider.parse_return(RequestFactory().get("/r/")) is None


def test_status_cannot_be_fetched(provider):
    assert provider.can_fetch_status is False
    with pytest.raises(NotImplementedError):
        provider.fetch_status(REF)


def test_the_browser_return_is_believed_only_when_signed(provider, caplog):
    def back(fields):
        return provider.parse_signed_return(RequestFactory().get("/r/", fields), expected=STORED)

    signed = back(ipn())
    assert (signed.provider_ref, signed.kind, signed.status.state) == (
        REF,
        NotificationKind.RESULT,
        PaymentState.PAID,
    )
    unsigned = {k: v for k, v in ipn().items() if k != "signature"}
    refused = {**ipn(vads_auth_result="05", vads_result="05"), "vads_auth_result": "00"}
    assert back(unsigned) is None
    assert back({**refused, "vads_result": "00"}) is None  # altered after signing
    assert back(ipn(key="AnotherShopKey99")) is None
    assert back(ipn(vads_amount="100")) is None  # signed, but not this payment's amount
    assert back({}) is None
    assert "Systempay return refused (bad_signature)" in caplog.text
