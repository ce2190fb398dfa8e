"""SEPA's field rules: IBAN, BIC, RUM, ICS, sequence, 14 days' notice, 36 months' lapse."""

import datetime

import pytest

from invoicing.payments.errors import PaymentRequestInvalid
from invoicing.payments.sepa_fields import (
    SequenceType,
    check_debit_date,
    clean_bic,
    clean_iban,
    clean_ics,
    clean_rum,
    mandate_lapses_on,
    sequence_for,
)


@pytest.mark.parametrize(
    ("value", "compact"),
    [
        ("FR76 3000 6000 0112 3456 7890 189", "FR7630006000011234567890189"),
        ("fr1420041010050500013m02606", "FR1420041010050500013M02606"),
        ("DE89370400440532013000", "DE89370400440532013000"),
    ],
)
def test_valid_iban_is_kept_compact(value, compact):
    assert clean_iban(value) == compact


@pytest.mark.parametrize(
    "value",
    ["", "FR76 3000 6000 0112 3456 7890 188", "FR76300060000112345678901", "XX0012345678"],
)
def test_invalid_iban_is_refused(value):
    with pytest.raises(PaymentRequestInvalid) as error:
        clean_iban(value)
    assert error.value.field == "iban"
    assert "IBAN" in error.value.message


@pytest.mark.parametrize(
    ("value", "bic"),
    [("BNPAFRPP", "BNPAFRPP"), ("bnpafrppxxx", "BNPAFRPPXXX"), (" AGRIFRPP ", "AGRIFRPP")],
)
def test_valid_bic_is_kept_in_upper_case(value, bic):
    assert clean_bic(value) == bic


@pytest.mark.parametrize("value", ["", "BNPAFRP", "BNPAFRPPXX", "BNPA1RPP", "BNPAFRPP-XX"])
def test_invalid_bic_is_refused(value):
    with pytest.raises(PaymentRequestInvalid) as error:
        clean_bic(value)
    assert error.value.field == "bic"


@pytest.mark.parametrize(
    "value", ["RUM-2026-000042", "FR/ABC/12", "A", "x" * 35, "Dupont (Léa)".replace("é", "e")]
)
def test_valid_rum(value):
    assert clean_rum(value) == value


@pytest.mark.parametrize(
    "value", ["", "x" * 36, "RUM-Été", "RUM_2026", "RUM#1", "/RUM1", "RUM1/", "RUM//1", "RUM;1"]
)
def test_invalid_rum_is_refused(value):
    with pytest.raises(PaymentRequestInvalid) as error:
        clean_rum(value)
    assert error.value.field == "rum"


@pytest.mark.parametrize(
    ("value", "ics"),
    [("FR72ZZZ123456", "FR72ZZZ123456"), ("fr 72 zzz 123456", "FR72ZZZ123456")],
)
def test_valid_french_ics(value, ics):
    assert clean_ics(value) == ics


@pytest.mark.parametrize(
    "value",
    [
        "",
        "FR73ZZZ123456",  # wrong check digits
        "FR72ZZZ12345",  # too short for France
        "ES23ZZZ47690558N",  # valid, but not French
        "FR72ZZZ1234567",
    ],
)
def test_invalid_ics_is_refused(value):
    with pytest.raises(PaymentRequestInvalid) as error:
        clean_ics(value)
    assert error.value.field == "ics"


def test_sequence_first_then_recurrent_or_one_off():
    assert sequence_for(one_off=False, used_before=False) == SequenceType.FIRST
    assert sequence_for(one_off=False, used_before=True) == SequenceType.RECURRENT
    assert sequence_for(one_off=True, used_before=False) == SequenceType.ONE_OFF


def test_debit_date_needs_14_days_notice():
    invoice = datetime.date(2026, 10, 1)
    check_debit_date(pre_notified_on=invoice, debit_on=datetime.date(2026, 10, 15))
    with pytest.raises(PaymentRequestInvalid) as error:
        check_debit_date(pre_notified_on=invoice, debit_on=datetime.date(2026, 10, 14))
    assert "14" in error.value.message
    assert "14/10/2026" in error.value.message


@pytest.mark.parametrize(
    ("signed_on", "last_debit_on", "lapses_on"),
    [
        (datetime.date(2023, 1, 10), None, datetime.date(2026, 1, 10)),
        (datetime.date(2023, 1, 10), datetime.date(2025, 6, 5), datetime.date(2028, 6, 5)),
        (datetime.date(2024, 2, 29), None, datetime.date(2027, 2, 28)),
        (datetime.date(2023, 11, 30), None, datetime.date(2026, 11, 30)),
    ],
)
def test_mandate_lapses_36_months_after_its_last_use(signed_on, last_debit_on, lapses_on):
    assert mandate_lapses_on(signed_on=signed_on, last_debit_on=last_debit_on) == lapses_on
