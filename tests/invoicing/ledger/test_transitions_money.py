"""The payments' and the mandates' state machines (`invoicing.payment`, `invoicing.mandate`):
each allowed move is made by the service that performs it, every forbidden one is refused
(see tests/transitions.py)."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from core.states import transition_check
from invoicing.choices import (
    MANDATE_TRANSITIONS,
    PAYMENT_TRANSITIONS,
    MandateStatus,
    PaymentStatus,
)
from invoicing.errors import InvoicingError
from invoicing.services import payment_cancel, payment_record
from invoicing.services.sepa import (
    mandate_refuse,
    mandate_request,
    mandate_validate,
    mandates_lapse,
)
from tests.transitions import Coverage, assert_covered, forbidden, pair_ids

from ..conftest import make_billing

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
IBAN = "FR76 3000 6000 0112 3456 7890 189"
SIGNED = datetime.date(2023, 12, 6)
# 36 months after the signature of an unused mandate: it lapses.
LAPSING = datetime.datetime(2026, 12, 6, 9, tzinfo=PARIS)

TRANSITION_COVERAGE = {
    "invoicing.payment": Coverage(
        {
            (None, PaymentStatus.VALID): "test_a_payment_is_recorded_valid",
            (PaymentStatus.VALID, PaymentStatus.CANCELLED): "test_a_valid_payment_is_cancelled",
        }
    ),
    "invoicing.mandate": Coverage(
        {
            (None, MandateStatus.REQUESTED): "test_a_mandate_is_requested",
            (MandateStatus.REQUESTED, MandateStatus.ACTIVE): "test_a_requested_mandate_is_decided",
            (MandateStatus.REQUESTED, MandateStatus.REFUSED): "test_a_requested_mandate_is_decided",
            (MandateStatus.ACTIVE, MandateStatus.LAPSED): "test_an_active_mandate_lapses",
        }
    ),
}


def test_every_allowed_move_is_declared():
    assert_covered(globals())


def pay(ledger):
    return payment_record(
        regie=ledger.regie,
        family=ledger.family,
        mode="cash",
        amount=Decimal("10.00"),
        actor=ledger.staff,
    )


def test_a_payment_is_recorded_valid(ledger):
    assert pay(ledger).status == PaymentStatus.VALID


def test_a_valid_payment_is_cancelled(ledger):
    payment = payment_cancel(payment=pay(ledger), reason="Erreur de saisie", actor=ledger.staff)

    payment.refresh_from_db()
    assert (payment.status, payment.cancel_reason) == (PaymentStatus.CANCELLED, "Erreur de saisie")


@pytest.mark.parametrize(
    ("origin", "target"),
    forbidden("invoicing.payment"),
    ids=pair_ids(forbidden("invoicing.payment")),
)
def test_a_forbidden_payment_move_is_refused(ledger, origin, target):
    payment = pay(ledger)
    if origin == PaymentStatus.CANCELLED:
        payment_cancel(payment=payment, reason="Erreur", actor=ledger.staff)
    payment.refresh_from_db()

    with pytest.raises(InvoicingError):
        if target == PaymentStatus.CANCELLED:
            payment_cancel(payment=payment, reason="Encore", actor=ledger.staff)
        else:  # no service makes a payment valid again
            transition_check(payment, target, table=PAYMENT_TRANSITIONS, error=InvoicingError)
    payment.refresh_from_db()
    assert payment.status == origin


@pytest.fixture
def debits(db):
    billing = make_billing(
        payment_means=["cash", "direct_debit"],
        sepa_iban="FR1420041010050500013M02606",
        sepa_bic="PSSTFRPPPAR",
        sepa_ics="FR72ZZZ123456",
    )
    billing.family, _children = billing.add_family()
    return billing


def ask(debits):
    return mandate_request(
        family=debits.family,
        regie=debits.regie,
        account_holder="Claire Dupont",
        iban=IBAN,
        signed_on=SIGNED,
    )


def mandate_in(debits, status):
    mandate = ask(debits)
    if status in (MandateStatus.ACTIVE, MandateStatus.LAPSED):
        mandate_validate(mandate=mandate, actor=debits.staff)
    if status == MandateStatus.REFUSED:
        mandate_refuse(mandate=mandate, reason="IBAN illisible", actor=debits.staff)
    if status == MandateStatus.LAPSED:
        mandates_lapse(now=LAPSING)
    mandate.refresh_from_db()
    assert mandate.status == status
    return mandate


def test_a_mandate_is_requested(debits):
    assert ask(debits).status == MandateStatus.REQUESTED


@pytest.mark.parametrize("target", [MandateStatus.ACTIVE, MandateStatus.REFUSED])
def test_a_requested_mandate_is_decided(debits, target):
    mandate = ask(debits)

    if target == MandateStatus.ACTIVE:
        mandate_validate(mandate=mandate, actor=debits.staff)
    else:
        mandate_refuse(mandate=mandate, reason="IBAN illisible", actor=debits.staff)

    mandate.refresh_from_db()
    assert (mandate.status, mandate.decided_by) == (target, debits.staff)


def test_an_active_mandate_lapses(debits):
    mandate = mandate_in(debits, MandateStatus.ACTIVE)

    assert mandates_lapse(now=LAPSING) == 1

    mandate.refresh_from_db()
    assert mandate.status == MandateStatus.LAPSED


@pytest.mark.parametrize(
    ("origin", "target"),
    forbidden("invoicing.mandate"),
    ids=pair_ids(forbidden("invoicing.mandate")),
)
def test_a_forbidden_mandate_move_is_refused(debits, origin, target):
    mandate = mandate_in(debits, origin)

    if target == MandateStatus.LAPSED:  # the cron lapses active mandates only
        mandates_lapse(now=LAPSING)
    else:
        with pytest.raises(InvoicingError):
            if target == MandateStatus.ACTIVE:
                mandate_validate(mandate=mandate, actor=debits.staff)
            elif target == MandateStatus.REFUSED:
                mandate_refuse(mandate=mandate, reason="Non", actor=debits.staff)
            else:  # no service asks for a mandate again: a new request is a new mandate
                transition_check(mandate, target, table=MANDATE_TRANSITIONS, error=InvoicingError)
    mandate.refresh_from_db()
    assert mandate.status == origin
