"""Whatever the payments, their order and their cancellations: no invoice is ever allocated
more than its total, no payment more than its amount, and what a payment does not allocate is
exactly its credit while any invoice still owes nothing that it could have taken."""

from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from invoicing.allocation import spread
from invoicing.choices import PaymentMode, PaymentStatus
from invoicing.models import Allocation, Invoice, Payment
from invoicing.services import payment_cancel, payment_credit_apply, payment_record

amounts = st.decimals(
    min_value=Decimal("0.01"), max_value=Decimal("200"), places=2, allow_nan=False
)


@given(amount=amounts, owed=st.lists(amounts, max_size=6))
def test_spread_never_gives_an_invoice_more_than_it_owes_nor_more_than_the_amount(amount, owed):
    rows = list(enumerate(owed))
    shares = spread(amount, rows)
    given_to = dict(shares)
    assert all(Decimal("0") < given_to[i] <= owed[i] for i in given_to)
    assert sum(given_to.values(), Decimal("0")) <= amount
    # Nothing is left over while an invoice could still take it.
    left = amount - sum(given_to.values(), Decimal("0"))
    if left > 0:
        assert all(given_to.get(i, Decimal("0")) == owed[i] for i in range(len(owed)))


operations = st.lists(
    st.one_of(
        st.tuples(st.just("pay"), amounts, st.sampled_from(["oldest", "november", "december"])),
        st.tuples(st.just("cancel"), st.integers(0, 5), st.just("")),
        st.tuples(st.just("credit"), st.just(0), st.just("")),
    ),
    min_size=1,
    max_size=8,
)


@pytest.mark.django_db
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=operations)
def test_allocations_never_exceed_what_is_owed_whatever_the_payments(ledger, steps):
    november, december = ledger.invoices
    chosen = {"oldest": None, "november": [november], "december": [december]}
    with transaction.atomic():
        for kind, value, target in steps:
            if kind == "pay":
                payment_record(
                    regie=ledger.regie,
                    family=ledger.family,
                    mode=PaymentMode.CASH,
                    amount=value,
                    actor=None,
                    invoices=chosen[target],
                )
            elif kind == "cancel":
                valid = list(Payment.objects.valid().order_by("pk"))
                if valid:
                    payment_cancel(payment=valid[value % len(valid)], reason="Erreur", actor=None)
            else:
                payment_credit_apply(regie=ledger.regie, family=ledger.family, actor=None)

        for invoice in Invoice.objects.filter(pk__in=[november.pk, december.pk]):
            paid = invoice.allocations.aggregate(s=Sum("amount"))["s"] or Decimal("0")
            assert Decimal("0") <= paid <= invoice.total
        for payment in Payment.objects.all():
            allocated = payment.allocations.aggregate(s=Sum("amount"))["s"] or Decimal("0")
            if payment.status == PaymentStatus.CANCELLED:
                assert allocated == 0
            else:
                assert allocated <= payment.amount
        assert not Allocation.objects.filter(amount__lte=0).exists()
        transaction.set_rollback(True)
