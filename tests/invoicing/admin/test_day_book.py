"""The régisseur reconciles a day from « Paiements »: filtered on the day, the list sums
the valid payments per means — online card, counter cheques and cash, direct debits — and
the exports carry the same payments; a cancelled payment is listed but not counted."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from invoicing.choices import PaymentMode
from invoicing.payments.providers import PaymentState, ProviderStatus
from invoicing.services import payment_cancel
from invoicing.services.counter import counter_payment_record
from invoicing.services.online import attempt_settle

from .money import AT_COUNTER, DEBIT_ON, money_world
from .test_exports import csv_rows, xlsx_rows

pytestmark = pytest.mark.django_db
PAYMENTS = reverse("invoicing_payment_modeladmin_index")
PARIS = ZoneInfo("Europe/Paris")
DAY = AT_COUNTER.date()  # 10 December 2026


def counter(world, mode, amount, **extra):
    return counter_payment_record(
        regie=world.regie,
        family=world.family,
        mode=mode,
        amount=Decimal(amount),
        actor=world.staff,
        now=AT_COUNTER,
        **extra,
    )


@pytest.fixture
def day(db):
    """On 10 December: a cheque, cash, a cancelled cash payment and an online card payment;
    a direct debit on 23 December (another day)."""
    world = money_world(complete=True)
    counter(world, PaymentMode.CHEQUE, "15.00", cheque_bank="Banque Postale", cheque_number="99")
    counter(world, PaymentMode.CASH, "5.50")
    mistaken = counter(world, PaymentMode.CASH, "7.00")
    payment_cancel(payment=mistaken, reason="Erreur de saisie", actor=world.staff)
    attempt = world.attempt
    attempt_settle(
        attempt_id=attempt.pk,
        status=ProviderStatus(
            state=PaymentState.PAID,
            amount=attempt.amount,
            paid_at=datetime.datetime(2026, 12, 10, 18, 30, tzinfo=PARIS),
        ),
        source="notification",
    )
    world.online_amount = attempt.amount
    return world


def test_a_day_is_summed_per_means_of_payment(staff_client, day):
    page = staff_client.get(PAYMENTS, {"day_from": DAY.isoformat(), "day_to": DAY.isoformat()})
    html = " ".join(page.content.decode().replace("\xa0", " ").split())

    totals = {row.mode: (row.count, row.total) for row in page.context["mode_totals"]}
    # The world's own cheque (deposited) was received that day too.
    assert totals[PaymentMode.CASH] == (1, Decimal("5.50"))  # the cancelled one not counted
    assert totals[PaymentMode.ONLINE_CARD] == (1, day.online_amount)
    cheques = totals[PaymentMode.CHEQUE]
    assert cheques[1] == day.cheque.amount + Decimal("15.00") and cheques[0] == 2
    assert PaymentMode.DIRECT_DEBIT not in totals  # debited on the 23rd
    assert page.context["mode_totals_sum"] == sum(total for _n, total in totals.values())
    assert "Journal du jeudi 10 décembre 2026" in html
    assert "Erreur de saisie" not in html

    debits = staff_client.get(
        PAYMENTS, {"day_from": DEBIT_ON.isoformat(), "day_to": DEBIT_ON.isoformat()}
    )
    assert [(row.mode, row.count) for row in debits.context["mode_totals"]] == [
        (PaymentMode.DIRECT_DEBIT, 1)
    ]


def test_the_day_is_filtered_by_means_and_exported(staff_client, day):
    query = {"day_from": DAY.isoformat(), "day_to": DAY.isoformat(), "mode__exact": "cash"}
    page = staff_client.get(PAYMENTS, query)
    assert [(row.mode, row.count) for row in page.context["mode_totals"]] == [(PaymentMode.CASH, 1)]
    rows = xlsx_rows(staff_client.get(PAYMENTS, {**query, "export": "xlsx"}))
    lines = csv_rows(staff_client.get(PAYMENTS, {**query, "export": "csv"}))
    # Both cash payments of the day, the cancelled one marked so.
    assert sorted((row[7], row[8]) for row in rows[1:]) == [(5.5, "Valide"), (7, "Annulée")]
    assert len(lines) == len(rows) == 3
