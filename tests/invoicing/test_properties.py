"""Money properties, whatever the prices and corrections: a line is quantity × its unit price
exactly, a document's total is the sum of its lines, and a correction, once billed, is never
billed again."""

import datetime
import itertools
from collections import defaultdict
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from invoicing.lines import DraftLine, by_family, lines_to_bill, total_of
from invoicing.models import Invoice
from invoicing.services import run_draft

from .conftest import IN_DECEMBER, NOV_WEDNESDAYS, NOVEMBER, make_billing

CODES = itertools.count(1)
prices = st.decimals(min_value=0, max_value=500, places=2, allow_nan=False, allow_infinity=False)


def line(key, family_id, price, quantity=1):
    return DraftLine(
        family_id=family_id,
        child_id=1,
        activity_id=1,
        unit_id=1,
        reservation_id=key,
        day=datetime.date(2026, 11, 4),
        kind="childcare",
        situation="present",
        quantity=quantity,
        unit_price=price,
        source_key=f"{key}:childcare",
    )


targets = st.dictionaries(
    st.integers(1, 12), st.tuples(st.sampled_from([1, 2]), prices), max_size=12
).map(lambda d: [line(key, family, price) for key, (family, price) in d.items()])
billed_lines = st.lists(
    st.builds(
        line,
        st.integers(1, 12),
        st.sampled_from([1, 2]),
        prices,
        st.integers(-2, 2).filter(bool),
    ),
    max_size=20,
)


def net(lines):
    totals = defaultdict(int)
    for item in lines:
        totals[(item.source_key, item.family_id, item.unit_price)] += item.quantity
    return {where: quantity for where, quantity in totals.items() if quantity}


@given(target=targets, billed=billed_lines)
def test_a_correction_billed_makes_billed_equal_target_and_is_not_billed_twice(target, billed):
    result = lines_to_bill(target=target, billed=billed)

    assert net(billed + result) == net(target)
    assert lines_to_bill(target=target, billed=billed + result) == []
    for item in result:
        assert item.amount == item.quantity * item.unit_price
        assert item.amount.as_tuple().exponent >= -2
    for family_lines in by_family(result).values():
        assert total_of(family_lines) == sum(
            item.quantity * item.unit_price for item in family_lines
        )


@pytest.mark.django_db
@settings(
    max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(day_prices=st.lists(prices, min_size=1, max_size=4), meal=prices)
def test_issued_documents_total_their_lines_exactly(day_prices, meal):
    billing = make_billing(code=f"P{next(CODES)}")
    family, (child,) = billing.add_family()
    billing.provider.meal_prices[billing.unit.pk] = meal
    for day, price in zip(NOV_WEDNESDAYS, day_prices, strict=False):
        reservation = billing.book(family, child, day)
        billing.provider.situation_prices[f"p{reservation.pk}"] = price
        billing.provider.bill(reservation, situation=f"p{reservation.pk}")

    run = run_draft(
        regie=billing.regie, month=NOVEMBER, actor=None, now=IN_DECEMBER, sources=billing.provider
    )

    invoice = Invoice.objects.get(run=run)
    lines = list(invoice.lines.all())
    assert len(lines) == 2 * len(day_prices)
    assert all(item.amount == item.quantity * item.unit_price for item in lines)
    assert invoice.total == sum((item.amount for item in lines), Decimal("0.00"))
    assert invoice.total == sum(day_prices, Decimal("0.00")) + meal * len(day_prices)
