"""Families with issued invoices, billed as staff bill them: November (4 Wednesdays, 48.80 €,
due 2 January 2027) and December (3 Wednesdays, 36.60 €, due 3 February 2027)."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from invoicing.models import Invoice
from invoicing.services import run_draft, run_finalize

from ..conftest import (
    DEC_WEDNESDAYS,
    DECEMBER,
    IN_DECEMBER,
    IN_JANUARY,
    NOV_WEDNESDAYS,
    NOVEMBER,
    make_billing,
)

PARIS = ZoneInfo("Europe/Paris")
# After both runs, before November's due date.
PAYING = datetime.datetime(2027, 1, 2, 10, 0, tzinfo=PARIS)


def bill(billing, month, now):
    run = run_draft(
        regie=billing.regie, month=month, actor=billing.staff, now=now, sources=billing.provider
    )
    return run_finalize(run=run, actor=billing.staff, now=now)


def billed_families(billing, count=1):
    """`count` families, each with its November and December invoices issued."""
    families = []
    for _ in range(count):
        family, (child,) = billing.add_family()
        billing.book_days(family, child, NOV_WEDNESDAYS)
        billing.book_days(family, child, DEC_WEDNESDAYS)
        families.append(family)
    bill(billing, NOVEMBER, IN_DECEMBER)
    bill(billing, DECEMBER, IN_JANUARY)
    return [
        (family, list(Invoice.objects.filter(family=family).order_by("month")))
        for family in families
    ]


@pytest.fixture
def ledger(db):
    billing = make_billing()
    ((family, invoices),) = billed_families(billing)
    billing.family, billing.invoices = family, invoices
    return billing
