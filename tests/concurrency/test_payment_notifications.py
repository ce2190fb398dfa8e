"""Online payment exactly once under real concurrency: ten identical notifications at once,
plus the family's return, give one payment and one receipt number; the control takes the
attempt's row lock away and shows several handlers recording the payment (the database's
UNIQUE on the payment's attempt then refuses all but one: what a provider would see as
errors, and retry). One family paying the same invoices from two tabs at once opens one
request; two counter payments of one invoice at once never allocate it twice.

Threads meet at a barrier just before the guarded step; each has its own connection.
"""

import threading
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection
from django.db.models import Sum
from django.test import Client
from django.urls import reverse

from core.models import Counter
from invoicing.choices import AttemptSource, AttemptState, PaymentMode
from invoicing.errors import InvoicingError
from invoicing.models import Invoice, Payment, PaymentAttempt, PaymentRequest
from invoicing.payments.providers import simulator
from invoicing.services import online, payment_record
from tests.concurrency.test_invoicing_concurrency import Gate, run_at_once
from tests.invoicing.conftest import make_billing
from tests.invoicing.ledger.conftest import billed_families
from tests.invoicing.ledger.online import open_attempt

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrent transactions and row locks need PostgreSQL",
    ),
]

NOTIFICATIONS = 10


@pytest.fixture(autouse=True)
def _fresh_content_types():
    ContentType.objects.clear_cache()


@pytest.fixture(autouse=True)
def _pdfs_queued_not_rendered(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def paid_at_the_provider():
    """An attempt the family paid at the provider, none of whose news has arrived yet."""
    billing = make_billing()
    [(family, invoices)] = billed_families(billing)
    attempt, created = open_attempt(family, invoices)
    simulator.choose(created.provider_ref, "P_never")
    return attempt, created


def storm(monkeypatch, attempt, created, locked_attempt):
    """Ten notifications and the return at once, meeting just before the attempt's lock.
    Returns (results, how many handlers recorded a payment)."""
    wait = Gate(NOTIFICATIONS + 1)
    recorded, count_lock = [], threading.Lock()
    record = online.payment_record

    def gated(attempt_id):
        wait()
        return locked_attempt(attempt_id)

    def counting_record(**kwargs):
        with count_lock:
            recorded.append(kwargs["attempt"].pk)
        return record(**kwargs)

    monkeypatch.setattr(online, "_locked_attempt", gated)
    monkeypatch.setattr(online, "payment_record", counting_record)
    endpoint = reverse("payment_notification", args=[attempt.provider])

    def notify():
        return Client().post(endpoint, {"idOp": created.provider_ref}).status_code

    def come_back():
        return online.attempt_refresh(
            attempt=PaymentAttempt.objects.get(pk=attempt.pk), source=AttemptSource.RETURN
        ).state

    results = run_at_once([notify] * NOTIFICATIONS + [come_back])
    assert wait.met
    return results, recorded


def test_ten_notifications_and_the_return_at_once_give_one_payment(
    monkeypatch, paid_at_the_provider
):
    attempt, created = paid_at_the_provider

    results, recorded = storm(monkeypatch, attempt, created, online._locked_attempt)

    assert results == [200] * NOTIFICATIONS + [AttemptState.PAID], results
    assert len(recorded) == 1
    assert Payment.objects.count() == 1
    assert Payment.objects.get().attempt_id == attempt.pk
    assert Counter.objects.get(scope="receipt:ALSH").last_value == 1  # one receipt number
    attempt = PaymentAttempt.objects.get(pk=attempt.pk)
    assert attempt.state == AttemptState.PAID
    heard = attempt.events.exclude(source=AttemptSource.OPENED)
    assert heard.count() == NOTIFICATIONS + 1
    assert heard.filter(state_before="pending", state_after="paid").count() == 1


def test_control_without_the_attempts_lock_the_payment_is_recorded_several_times(
    monkeypatch, paid_at_the_provider
):
    attempt, created = paid_at_the_provider

    def unlocked(attempt_id):
        return PaymentAttempt.objects.select_related(
            "request", "request__regie", "request__family"
        ).get(pk=attempt_id)

    results, recorded = storm(monkeypatch, attempt, created, unlocked)

    # Several handlers saw the attempt pending and recorded the payment…
    assert len(recorded) > 1, results
    # …and only the UNIQUE constraint on the payment's attempt kept the ledger right: the
    # others failed (HTTP 500 to the provider).
    assert any(isinstance(result, IntegrityError) for result in results), results
    assert Payment.objects.count() == 1


def test_one_family_paying_the_same_invoices_from_two_tabs_at_once_opens_one_request():
    billing = make_billing()
    [(family, invoices)] = billed_families(billing)
    ids = [invoice.pk for invoice in invoices]

    def open_request():
        return online.payment_request_open(family=family, invoice_ids=ids, email="a@b.fr")

    results = run_at_once([open_request, open_request])

    opened = [r for r in results if isinstance(r, PaymentAttempt)]
    refused = [r for r in results if isinstance(r, InvoicingError)]
    assert len(opened) == 1 and len(refused) == 1, results
    assert PaymentRequest.objects.count() == 1


def test_two_counter_payments_of_one_invoice_at_once_never_pay_it_twice():
    billing = make_billing()
    [(family, (november, _december))] = billed_families(billing)

    def pay_november():
        return payment_record(
            regie=billing.regie,
            family=family,
            mode=PaymentMode.CASH,
            amount=Decimal("48.80"),
            actor=None,
            invoices=[november],
        )

    results = run_at_once([pay_november, pay_november])

    assert all(isinstance(result, Payment) for result in results), results
    paid = Invoice.objects.get(pk=november.pk).allocations.aggregate(s=Sum("amount"))["s"]
    assert paid == Decimal("48.80")
    assert sorted(p.unallocated for p in Payment.objects.all()) == [
        Decimal("0.00"),
        Decimal("48.80"),
    ]
