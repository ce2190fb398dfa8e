"""The demo's money received: a paid, a partly paid and an overdue invoice, a credit, a
pending online payment, an active mandate and a cheque on a deposit slip, all through the
services; running again adds nothing."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from demo import accounts, documents, families, payments
from demo.invoicing import ensure_invoicing
from demo.payments import CREDIT, demo_provider, ensure_payments
from demo.reservations import ensure_reservations
from invoicing.choices import AttemptState, MandateStatus, PaymentState
from invoicing.models import Invoice, Mandate, Payment, PaymentAttempt
from portal_features.models import Family

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime.datetime(2026, 11, 23, 10, 0, tzinfo=PARIS)
TODAY = NOW.date()


@pytest.fixture
def demo(db):
    accounts.ensure_accounts(None)
    families.ensure_reference_data(None)
    families.ensure_families(None)
    documents.ensure_supporting_documents(None, now=NOW)
    ensure_reservations(None, now=NOW)
    ensure_invoicing(None, now=NOW)
    ensure_payments(None, now=NOW)


def states(name):
    return {
        invoice.payment_state(today=TODAY)
        for invoice in Invoice.objects.filter(family__name=name, kind="invoice").numbered()
    }


def test_paid_partly_paid_overdue_credit_pending_mandate_and_deposit_slip(demo):
    dupont = Family.objects.get(name="DUPONT")
    cheque = Payment.objects.get(family=dupont, mode="cheque")
    assert cheque.deposit_slip_id is not None
    assert {PaymentState.PAID, PaymentState.PARTIALLY_PAID} <= states("DUPONT")
    assert Mandate.objects.get(family=dupont).status == MandateStatus.ACTIVE

    roussel = Family.objects.get(guardians__user__email="thomas.roussel@example.fr")
    payment = Payment.objects.get(family=roussel)
    assert payment.amount - sum(a.amount for a in payment.allocations.all()) == CREDIT

    assert PaymentState.OVERDUE in states("MARTIN")
    attempt = PaymentAttempt.objects.get()
    assert attempt.state == AttemptState.PENDING and attempt.provider_ref
    assert attempt.request.family.name == "MARTIN"

    receipts = list(Payment.objects.values_list("number", flat=True))
    assert len(receipts) == len(set(receipts)) == 3
    ensure_payments(None, now=NOW)
    assert Payment.objects.count() == 3 and PaymentAttempt.objects.count() == 1


@pytest.mark.parametrize(
    ("provider", "debug", "enabled", "allowed", "expected"),
    [
        # Development: the simulator, as configured.
        ("simulator-payfip", True, True, False, "simulator-payfip"),
        # Production settings with the simulator allowed (a demonstration site): the
        # simulator speaks the real provider's protocol; nothing made up goes to the DGFiP.
        ("payfip", False, True, True, "simulator-payfip"),
        ("payzen", False, True, True, "simulator-systempay"),
        # Production's defaults: no simulator, so no demo payment at all.
        ("payfip", False, False, False, None),
        ("payfip", False, True, False, None),
    ],
)
def test_the_demo_pays_at_the_simulator_only(settings, provider, debug, enabled, allowed, expected):
    settings.PAYMENT_PROVIDER = provider
    settings.DEBUG = debug
    settings.PAYMENT_SIMULATOR_ENABLED = enabled
    settings.PAYMENT_SIMULATOR_ALLOWED_IN_PRODUCTION = allowed
    settings.PAYFIP_NUMCLI = ""
    assert demo_provider() == expected


def test_under_production_defaults_the_demo_says_what_to_set(settings, monkeypatch, caplog):
    """PayFiP with no client number and the simulator off: nothing is opened, and the log
    names the settings to set rather than a client number to fix."""
    settings.DEBUG = False
    settings.PAYMENT_PROVIDER = "payfip"
    settings.PAYFIP_NUMCLI = ""
    settings.PAYMENT_SIMULATOR_ENABLED = False
    monkeypatch.setattr(payments, "_open_invoices", lambda family, regie: ["an invoice"])
    monkeypatch.setattr(payments, "payment_request_open", pytest.fail)
    with caplog.at_level("WARNING", logger="demo.payments"):
        payments._martin(None, {"PERI": "a régie"}, NOW)
    assert "PAYMENT_SIMULATOR_ENABLED=True" in caplog.text
    assert "PAYMENT_SIMULATOR_ALLOWED_IN_PRODUCTION" in caplog.text
