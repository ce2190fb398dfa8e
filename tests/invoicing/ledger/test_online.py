"""Online payment exactly once: whatever arrives (notifications, the family's return, the
reconciliation), in any order and any number of times, one attempt gives one payment."""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.utils import timezone

from invoicing.choices import AttemptSource, AttemptState, MoneyAction, PaymentMode
from invoicing.errors import InvoicingError
from invoicing.models import (
    Invoice,
    MoneyEvent,
    Payment,
    PaymentAttempt,
    PaymentRequestInvoice,
)
from invoicing.payments.errors import PaymentRequestInvalid
from invoicing.payments.providers import simulator
from invoicing.services.online import (
    attempt_refresh,
    attempts_reconcile,
    payment_request_open,
)

from .online import open_attempt

pytestmark = pytest.mark.django_db


def reload(attempt):
    return PaymentAttempt.objects.get(pk=attempt.pk)


def owed(invoice):
    return Invoice.objects.get(pk=invoice.pk).remaining


def test_paying_two_invoices_by_card_records_one_payment_that_pays_both(ledger):
    november, december = ledger.invoices
    attempt, created = open_attempt(ledger.family, [november, december])
    assert attempt.amount == Decimal("85.40")
    number = f"DP-ALSH-{timezone.localdate().year}-000001"
    assert attempt.request.number == number
    assert created.redirect_url.startswith("/paiement-simulateur/payfip/?idop=")
    assert reload(attempt).state == AttemptState.PENDING

    back = simulator.choose(created.provider_ref, "P")

    attempt = reload(attempt)
    assert attempt.state == AttemptState.PAID
    payment = Payment.objects.get()
    assert payment.attempt == attempt
    assert payment.mode == PaymentMode.ONLINE_CARD
    assert payment.amount == Decimal("85.40")
    assert owed(november) == owed(december) == Decimal("0.00")
    assert back.startswith(f"http://testserver/portail/invoices/payments/return/{number}/")
    assert not PaymentRequestInvoice.objects.filter(active=True).exists()
    assert list(attempt.events.values_list("source", "state_after")) == [
        (AttemptSource.OPENED, AttemptState.PENDING),
        (AttemptSource.NOTIFICATION, AttemptState.PAID),
    ]


def test_a_one_off_debit_is_recorded_as_such(ledger):
    _attempt, created = open_attempt(ledger.family, ledger.invoices[:1])
    simulator.choose(created.provider_ref, "V")
    assert Payment.objects.get().mode == PaymentMode.ONLINE_DEBIT


def test_notified_twice_gives_one_payment_and_both_notifications_are_kept(ledger):
    attempt, created = open_attempt(ledger.family, ledger.invoices)
    simulator.choose(created.provider_ref, "P_twice")
    assert Payment.objects.count() == 1
    notes = list(
        reload(attempt)
        .events.filter(source=AttemptSource.NOTIFICATION)
        .values_list("state_before", "state_after")
    )
    assert notes == [("pending", "paid"), ("paid", "paid")]


STEPS = ("notification", "return", "reconciliation")


def _step(name, attempt, created, later):
    if name == "notification":
        simulator.notify(created.provider_ref)
    elif name == "return":
        attempt_refresh(attempt=reload(attempt), source=AttemptSource.RETURN)
    else:
        attempts_reconcile(now=later)


@pytest.mark.parametrize("order", list(itertools.permutations(STEPS)))
def test_every_order_of_notification_return_and_reconciliation_gives_one_payment(ledger, order):
    attempt, created = open_attempt(ledger.family, ledger.invoices)
    simulator.choose(created.provider_ref, "P_never")  # paid; nothing sent yet
    later = timezone.now() + datetime.timedelta(minutes=6)

    for name in order * 2:
        _step(name, attempt, created, later)

    assert Payment.objects.count() == 1
    attempt = reload(attempt)
    assert attempt.state == AttemptState.PAID and attempt.payment.amount == Decimal("85.40")
    heard = attempt.events.exclude(source=AttemptSource.OPENED).order_by("pk")
    # The first step pays; then the reconciliation no longer looks at the paid attempt, and
    # the notifications and returns are kept, changing nothing.
    first, *rest = order * 2
    assert [e.source for e in heard] == [first, *(s for s in rest if s != "reconciliation")]
    assert [e.state_after for e in heard] == ["paid"] * len(heard)
    assert MoneyEvent.objects.filter(action=MoneyAction.PAYMENT_RECORDED).count() == 1


def test_refused_frees_the_invoices_and_a_second_attempt_pays(ledger):
    first, created = open_attempt(ledger.family, ledger.invoices)
    simulator.choose(created.provider_ref, "R")
    assert reload(first).state == AttemptState.REFUSED
    assert not Payment.objects.exists()

    second, created = open_attempt(ledger.family, ledger.invoices)
    simulator.choose(created.provider_ref, "P")

    assert reload(second).state == AttemptState.PAID
    assert Payment.objects.get().attempt_id == second.pk


def test_still_running_then_expired_then_paid_is_recorded_and_raised_to_staff(ledger):
    attempt, created = open_attempt(ledger.family, ledger.invoices)
    opened = reload(attempt).created_at
    assert attempts_reconcile(now=opened + datetime.timedelta(minutes=6))["asked"] == 1
    assert reload(attempt).state == AttemptState.PENDING  # P5 within 20 minutes: still running
    attempts_reconcile(now=opened + datetime.timedelta(minutes=25))
    assert reload(attempt).state == AttemptState.EXPIRED  # P5 after 20 minutes
    assert not PaymentRequestInvoice.objects.filter(active=True).exists()

    simulator.choose(created.provider_ref, "P")  # the family's bank paid at last

    attempt = reload(attempt)
    assert attempt.state == AttemptState.PAID
    assert attempt.needs_review and "expir" in attempt.review_note.lower()
    assert Payment.objects.get().amount == Decimal("85.40")
    assert MoneyEvent.objects.filter(action=MoneyAction.ONLINE_PAID_LATE).count() == 1


def test_a_late_paid_after_the_invoices_were_paid_again_becomes_a_credit(ledger):
    attempt, created = open_attempt(ledger.family, ledger.invoices)
    attempts_reconcile(now=reload(attempt).created_at + datetime.timedelta(minutes=25))
    _second, second_created = open_attempt(ledger.family, ledger.invoices)
    simulator.choose(second_created.provider_ref, "P")

    simulator.choose(created.provider_ref, "P")

    late = Payment.objects.get(attempt=attempt)
    assert late.unallocated == Decimal("85.40")  # nothing owed any more: the family's credit
    assert reload(attempt).needs_review


def test_a_paid_attempt_never_moves_again(ledger):
    attempt, created = open_attempt(ledger.family, ledger.invoices)
    simulator.choose(created.provider_ref, "P")
    attempts_reconcile(now=timezone.now() + datetime.timedelta(hours=2))
    assert reload(attempt).state == AttemptState.PAID
    assert Payment.objects.count() == 1


def test_systempay_attempts_with_no_news_are_given_up_after_an_hour(ledger):
    attempt, _created = open_attempt(ledger.family, ledger.invoices, provider="simulator-systempay")
    opened = reload(attempt).created_at
    assert attempts_reconcile(now=opened + datetime.timedelta(minutes=30))["given_up"] == 0
    assert attempts_reconcile(now=opened + datetime.timedelta(minutes=61))["given_up"] == 1
    assert reload(attempt).state == AttemptState.EXPIRED


# What can be paid: decided here, never by the form.


def test_an_invoice_already_being_paid_cannot_be_paid_again(ledger):
    november, _december = ledger.invoices
    open_attempt(ledger.family, [november])
    with pytest.raises(InvoicingError) as error:
        payment_request_open(family=ledger.family, invoice_ids=[november.pk], email="a@b.fr")
    assert ledger.invoices[0].number in error.value.message


def test_another_familys_invoice_is_not_found(ledger):
    other, _children = ledger.add_family()
    with pytest.raises(Invoice.DoesNotExist):
        payment_request_open(family=other, invoice_ids=[ledger.invoices[0].pk], email="a@b.fr")
    assert not PaymentAttempt.objects.exists()


def test_a_paid_invoice_or_one_handed_to_the_tresor_cannot_be_paid(ledger):
    november, december = ledger.invoices
    attempt, created = open_attempt(ledger.family, [november])
    simulator.choose(created.provider_ref, "P")
    with pytest.raises(InvoicingError):
        payment_request_open(family=ledger.family, invoice_ids=[november.pk], email="a@b.fr")
    Invoice.objects.filter(pk=december.pk).update(handed_over_at=timezone.now())
    with pytest.raises(InvoicingError):
        payment_request_open(family=ledger.family, invoice_ids=[december.pk], email="a@b.fr")


def test_past_the_online_deadline_an_invoice_is_paid_at_the_counter(ledger):
    november, _december = ledger.invoices
    after_due = datetime.datetime.combine(
        november.due_on + datetime.timedelta(days=1), datetime.time(10), tzinfo=datetime.UTC
    )
    with pytest.raises(InvoicingError):
        payment_request_open(
            family=ledger.family, invoice_ids=[november.pk], email="a@b.fr", now=after_due
        )
    ledger.regie.online_payment_days = 10
    ledger.regie.save()
    attempt = payment_request_open(
        family=ledger.family, invoice_ids=[november.pk], email="a@b.fr", now=after_due
    )
    assert attempt.amount == Decimal("48.80")


def test_the_amount_is_what_the_invoices_still_owe(ledger):
    november, december = ledger.invoices
    from invoicing.services import payment_record

    payment_record(
        regie=ledger.regie,
        family=ledger.family,
        mode=PaymentMode.CASH,
        amount=Decimal("20.00"),
        actor=ledger.staff,
        invoices=[november],
    )
    attempt = payment_request_open(
        family=ledger.family, invoice_ids=[november.pk, december.pk], email="a@b.fr"
    )
    assert attempt.amount == Decimal("65.40")


def test_a_provider_that_refuses_to_open_frees_the_invoices(ledger):
    with pytest.raises(PaymentRequestInvalid):
        open_attempt(ledger.family, ledger.invoices, email="")  # PayFiP needs an e-mail
    attempt = PaymentAttempt.objects.get()
    assert attempt.state == AttemptState.ABANDONED
    assert not PaymentRequestInvoice.objects.filter(active=True).exists()
