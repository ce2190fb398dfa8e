"""`manage.py reconcile_payments`: a payment whose notification never came is found and
recorded; a handler that failed after the money was taken is made good by the next run."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from invoicing.choices import AttemptState
from invoicing.models import Payment, PaymentAttempt
from invoicing.payments.providers import simulator
from invoicing.services import online

from ..ledger.online import open_attempt

pytestmark = pytest.mark.django_db


def reconcile(monkeypatch, minutes_later):
    later = timezone.now() + datetime.timedelta(minutes=minutes_later)
    monkeypatch.setattr(timezone, "now", lambda: later)
    out = io.StringIO()
    call_command("reconcile_payments", stdout=out)
    return out.getvalue()


def test_a_payment_never_notified_is_recorded_by_the_reconciliation(ledger, monkeypatch):
    attempt, created = open_attempt(ledger.family, ledger.invoices)
    simulator.choose(created.provider_ref, "P_never")
    assert "0 attempt(s) asked" in reconcile(monkeypatch, 1)  # too early: the family may be paying

    assert "1 attempt(s) asked" in reconcile(monkeypatch, 6)

    assert PaymentAttempt.objects.get(pk=attempt.pk).state == AttemptState.PAID
    assert Payment.objects.count() == 1


def test_a_handler_that_failed_after_the_money_was_taken_is_retried(ledger, monkeypatch):
    attempt, created = open_attempt(ledger.family, ledger.invoices)
    record = online.payment_record

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(online, "payment_record", broken)
    simulator.choose(created.provider_ref, "P")
    # The provider was answered 500: the money is taken, nothing is recorded yet.
    assert simulator.get_payment(created.provider_ref)["deliveries"][-1]["status"] == 500
    assert PaymentAttempt.objects.get(pk=attempt.pk).state == AttemptState.PENDING
    assert not Payment.objects.exists()

    monkeypatch.setattr(online, "payment_record", record)
    reconcile(monkeypatch, 6)

    assert PaymentAttempt.objects.get(pk=attempt.pk).state == AttemptState.PAID
    assert Payment.objects.count() == 1
