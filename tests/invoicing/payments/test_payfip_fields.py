"""PayFiP's field rules: each checked before anything is sent, with a French message."""

from decimal import Decimal

import pytest

from invoicing.payments.errors import PaymentRequestInvalid
from invoicing.payments.payfip_fields import (
    amount_in_cents,
    build_payfip_request,
    clean_email,
    clean_numcli,
    clean_objet,
    refdet_from_reference,
    saisie_for_mode,
)


@pytest.mark.parametrize("value", ["123456", "000001", " 654321 "])
def test_numcli_of_six_digits_is_kept(value):
    assert clean_numcli(value) == value.strip()


@pytest.mark.parametrize("value", ["", "12345", "1234567", "12345a", "12 456"])
def test_numcli_other_than_six_digits_is_refused(value):
    with pytest.raises(PaymentRequestInvalid) as error:
        clean_numcli(value)
    assert error.value.field == "numcli"
    assert "6" in error.value.message


@pytest.mark.parametrize(
    ("reference", "refdet"),
    [
        ("DP-2026-000123", "DP2026000123"),
        ("DP 2026/000123", "DP2026000123"),
        ("F01_26.000042", "F0126000042"),
        ("A", "A"),
        ("X" * 30, "X" * 30),
    ],
)
def test_refdet_is_the_reference_without_its_separators(reference, refdet):
    assert refdet_from_reference(reference) == refdet


@pytest.mark.parametrize("reference", ["", "--", "X" * 31, "DP-2026-Été", "DP#12", "DP+12"])
def test_refdet_outside_the_alphabet_or_too_long_is_refused(reference):
    with pytest.raises(PaymentRequestInvalid) as error:
        refdet_from_reference(reference)
    assert error.value.field == "refdet"


@pytest.mark.parametrize(
    ("text", "objet"),
    [
        ("Facture n°12 – périscolaire d'été", "Facture n12 periscolaire d ete"),
        ("Cantine-Garderie : Léa & Hugo", "Cantine Garderie Lea Hugo"),
        ("  ÇA   VA\tBIEN  ", "CA VA BIEN"),
        ("€€€", ""),
    ],
)
def test_objet_is_folded_to_ascii_letters_digits_and_spaces(text, objet):
    assert clean_objet(text) == objet


def test_objet_is_cut_at_100_characters_without_a_trailing_space():
    folded = clean_objet("é" * 99 + " abc")
    assert len(folded) <= 100
    assert folded == "e" * 99
    assert len(clean_objet("a" * 250)) == 100


@pytest.mark.parametrize(
    ("amount", "cents"),
    [
        (Decimal("1.00"), 100),
        (Decimal("1"), 100),
        (Decimal("12.34"), 1234),
        (Decimal("100000.00"), 10_000_000),
    ],
)
def test_amount_is_sent_in_integer_cents(amount, cents):
    assert amount_in_cents(amount) == cents


@pytest.mark.parametrize(
    "amount", [Decimal("0.99"), Decimal("0"), Decimal("-5"), Decimal("100000.01")]
)
def test_amount_outside_1_to_100000_euros_is_refused(amount):
    with pytest.raises(PaymentRequestInvalid) as error:
        amount_in_cents(amount)
    assert error.value.field == "montant"
    assert "100" in error.value.message


def test_amount_with_fractions_of_a_cent_is_refused():
    with pytest.raises(PaymentRequestInvalid):
        amount_in_cents(Decimal("12.345"))


def test_amount_as_a_float_is_a_bug():
    with pytest.raises(TypeError):
        amount_in_cents(12.5)


@pytest.mark.parametrize("email", ["a@b.fr", "claire.dupont@example.fr", "x" * 69 + "@exemple.fr"])
def test_email_with_an_at_and_6_to_80_characters_is_kept(email):
    assert clean_email(email) == email


@pytest.mark.parametrize(
    "email", ["", "   ", "a@b.f", "claire.example.fr", "x" * 75 + "@exemple.fr"]
)
def test_email_missing_or_malformed_is_refused(email):
    with pytest.raises(PaymentRequestInvalid) as error:
        clean_email(email)
    assert error.value.field == "mel"


@pytest.mark.parametrize(
    ("mode", "saisie"), [("test", "T"), ("activation", "X"), ("production", "W")]
)
def test_mode_gives_saisie(mode, saisie):
    assert saisie_for_mode(mode) == saisie


@pytest.mark.parametrize("mode", ["", "A", "prod", "TEST"])
def test_unknown_mode_is_refused(mode):
    with pytest.raises(PaymentRequestInvalid):
        saisie_for_mode(mode)


def test_request_gathers_every_checked_field():
    request = build_payfip_request(
        reference="DP-2026-000123",
        amount=Decimal("42.50"),
        email="claire.dupont@example.fr",
        subject="Périscolaire – septembre",
        return_url="https://portail.example.fr/retour/",
        notify_url="https://portail.example.fr/notif/",
        year=2026,
        numcli="123456",
        mode="production",
    )
    assert request.as_fields() == {
        "numcli": "123456",
        "exer": "2026",
        "refdet": "DP2026000123",
        "montant": "4250",
        "mel": "claire.dupont@example.fr",
        "objet": "Periscolaire septembre",
        "saisie": "W",
        "urlnotif": "https://portail.example.fr/notif/",
        "urlredirect": "https://portail.example.fr/retour/",
    }
    assert request.amount == Decimal("42.50")
