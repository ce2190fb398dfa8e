"""Collection dockets: overdue invoices of payers owing at least the threshold, handed over
to the Trésor, no longer paid to the régie, numbered without gaps; their PES v2 file."""

import datetime
import os
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from invoicing.choices import MoneyAction, PaymentMode
from invoicing.errors import InvoicingError
from invoicing.exports.pes import validate_pes
from invoicing.models import CollectionDocket, Invoice, MoneyEvent
from invoicing.services import payment_record
from invoicing.services.dockets import docket_candidates, docket_create, docket_pes_xml
from tests import factories

from ..conftest import DEC_WEDNESDAYS, NOV_WEDNESDAYS, make_billing
from ..ledger.conftest import billed_families

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
GOLDEN = Path(__file__).parent / "golden" / "docket_from_invoices.xml"
# November's invoices are due on 2 January 2027, December's on 3 February 2027.
AFTER_NOVEMBER_DUE = datetime.datetime(2027, 1, 10, 9, 0, tzinfo=PARIS)
AFTER_DECEMBER_DUE = datetime.datetime(2027, 2, 10, 9, 0, tzinfo=PARIS)


def pay(billing, family, amount, invoices=None, now=AFTER_NOVEMBER_DUE):
    return payment_record(
        regie=billing.regie,
        family=family,
        mode=PaymentMode.CASH,
        amount=Decimal(amount),
        actor=billing.staff,
        invoices=invoices,
        now=now,
    )


@pytest.fixture
def unpaid(db):
    """A owes all, B owes 8.80 of November, C paid everything (before November's due)."""
    billing = make_billing()
    (a, a_inv), (b, b_inv), (c, c_inv) = billed_families(billing, count=3)
    before_due = datetime.datetime(2027, 1, 2, 9, 0, tzinfo=PARIS)
    pay(billing, b, "40.00", invoices=[b_inv[0]], now=before_due)
    pay(billing, c, "85.40", now=before_due)
    billing.a, billing.b, billing.c = (a, a_inv), (b, b_inv), (c, c_inv)
    return billing


def test_a_docket_takes_overdue_invoices_of_payers_owing_the_threshold(unpaid):
    (_a, (a_nov, a_dec)), (_b, (b_nov, b_dec)) = unpaid.a, unpaid.b
    assert unpaid.regie.docket_threshold == Decimal("15.00")
    assert a_nov.due_on == datetime.date(2027, 1, 2)

    docket = docket_create(regie=unpaid.regie, actor=unpaid.staff, now=AFTER_NOVEMBER_DUE)

    # B's 8.80 is below 15 €; December is not due yet.
    assert [(i.invoice_id, i.article, i.amount) for i in docket.items.all()] == [
        (a_nov.pk, 1, Decimal("48.80"))
    ]
    assert docket.number == "TALSH-27-000001"
    assert docket.total == Decimal("48.80")
    assert Invoice.objects.get(pk=a_nov.pk).handed_over_at == AFTER_NOVEMBER_DUE
    assert Invoice.objects.get(pk=b_nov.pk).handed_over_at is None
    assert MoneyEvent.objects.get(action=MoneyAction.DOCKET_CREATED).after["total"] == "48.80"
    with pytest.raises(InvoicingError):
        docket_create(regie=unpaid.regie, actor=unpaid.staff, now=AFTER_NOVEMBER_DUE)

    # A month later, B owes 8.80 + 36.60 ≥ 15: both its invoices go, with A's December.
    second = docket_create(regie=unpaid.regie, actor=unpaid.staff, now=AFTER_DECEMBER_DUE)
    assert second.number == "TALSH-27-000002"
    assert {(i.invoice_id, i.amount) for i in second.items.all()} == {
        (a_dec.pk, Decimal("36.60")),
        (b_nov.pk, Decimal("8.80")),
        (b_dec.pk, Decimal("36.60")),
    }


@pytest.mark.parametrize(
    ("threshold", "families"),
    [("48.80", {"a"}), ("48.81", set()), ("8.80", {"a", "b"}), ("0.00", {"a", "b"})],
)
def test_the_threshold_is_the_regies(unpaid, threshold, families):
    unpaid.regie.docket_threshold = Decimal(threshold)
    unpaid.regie.save(update_fields=["docket_threshold"])
    rows = docket_candidates(regie=unpaid.regie, today=AFTER_NOVEMBER_DUE.date())
    expected = {getattr(unpaid, name)[0].pk for name in families}
    assert {row["family_id"] for row in rows} == expected


def test_a_handed_over_invoice_is_no_longer_paid_to_the_regie(unpaid):
    a, (a_nov, a_dec) = unpaid.a
    docket_create(regie=unpaid.regie, actor=unpaid.staff, now=AFTER_NOVEMBER_DUE)

    with pytest.raises(InvoicingError) as refused:
        pay(unpaid, a, "10.00", invoices=[a_nov])
    assert a_nov.number in refused.value.message
    assert "Trésor public" in refused.value.message or "Trésor" in refused.value.message

    # Paying without choosing goes to what is still the régie's: December.
    payment = pay(unpaid, a, "100.00")
    assert payment.shares == [(a_dec.pk, Decimal("36.60"))]
    assert Invoice.objects.get(pk=a_nov.pk).remaining == Decimal("48.80")


def test_the_docket_exports_as_pes_and_matches_its_golden_file(db):
    billing = make_billing(
        pes_post_code="045000",
        pes_collectivity_code="123",
        pes_budget_code="01",
        pes_product_code="PERI",
    )
    for name, first, civility, city in (
        ("DUPONT", "Claire", "mme", "Montrivel-sur-Loire"),
        ("MARTIN-LEFÈVRE", "Paul", "m", "Saint-Étienne"),
    ):
        family = factories.FamilyFactory(name=name, address_line="3 chemin des Œillets", city=city)
        factories.GuardianFactory(
            family=family, first_name=first, civility=civility, last_name=name.title()
        )
        child = factories.ChildFactory(family=family)
        billing.families.append(family)
        billing.book_days(family, child, NOV_WEDNESDAYS)
        billing.book_days(family, child, DEC_WEDNESDAYS)
    from ..conftest import DECEMBER, IN_DECEMBER, IN_JANUARY, NOVEMBER
    from ..ledger.conftest import bill

    bill(billing, NOVEMBER, IN_DECEMBER)
    bill(billing, DECEMBER, IN_JANUARY)
    docket = docket_create(regie=billing.regie, actor=billing.staff, now=AFTER_NOVEMBER_DUE)
    xml = docket_pes_xml(docket=docket, sent_on=datetime.date(2027, 1, 11))

    validate_pes(xml)
    assert xml.startswith(b"<?xml version='1.0' encoding='ISO-8859-1'?>")
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_bytes(xml)
    assert xml == GOLDEN.read_bytes()
    text = xml.decode("iso-8859-1")
    assert 'IdBord V="1"' in text and 'NbrPce V="2"' in text and 'MtBordHt V="97.60"' in text


def test_a_regie_without_its_treasury_codes_cannot_export(unpaid):
    docket = docket_create(regie=unpaid.regie, actor=unpaid.staff, now=AFTER_NOVEMBER_DUE)
    with pytest.raises(InvoicingError):
        docket_pes_xml(docket=docket)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_handing_over_leaves_the_issued_invoice_otherwise_frozen(unpaid):
    docket_create(regie=unpaid.regie, actor=unpaid.staff, now=AFTER_NOVEMBER_DUE)
    assert CollectionDocket.objects.count() == 1
    a_nov = unpaid.a[1][0]
    from django.db import DatabaseError, transaction

    with pytest.raises(DatabaseError), transaction.atomic():
        Invoice.objects.filter(pk=a_nov.pk).update(total=Decimal("1.00"))
