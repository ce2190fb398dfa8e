"""The fiscal attestation (crédit d'impôt frais de garde): children under 6 on 1 January,
payments received in the calendar year, childcare lines only, net of aid."""

import datetime
import io
import zipfile
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.http import Http404

from core.money import format_euros
from invoicing.choices import PaymentMode
from invoicing.fiscal import (
    child_counts,
    fiscal_attestation_for_family,
    fiscal_attestation_pdf,
    fiscal_attestations,
    fiscal_attestations_zip,
)
from invoicing.models import Invoice
from invoicing.services import payment_record

from .conftest import Mixed
from .test_counter import pdf_text

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
IN_DECEMBER_2026 = datetime.datetime(2026, 12, 20, 10, 0, tzinfo=PARIS)
IN_JANUARY_2027 = datetime.datetime(2027, 1, 8, 10, 0, tzinfo=PARIS)
# Léo's childcare on November's invoice: 4 Wednesdays 48.80 + 1 holiday day 20.00; the
# invoice's total 179.60 (meals 16.00 + 5.00 and Inès's lines included).
LEO_CHILDCARE = Decimal("68.80")


@pytest.mark.parametrize(
    ("birth_date", "counts"),
    [
        (datetime.date(2021, 1, 1), True),  # 6 on 1 January 2027: the form counts it
        (datetime.date(2021, 6, 15), True),  # turns 6 during 2027: still counts
        (datetime.date(2026, 12, 31), True),
        (datetime.date(2020, 12, 31), False),
        (datetime.date(2018, 5, 1), False),
        (datetime.date(2028, 1, 1), False),
    ],
)
def test_which_children_count_for_2027(birth_date, counts):
    assert child_counts(birth_date=birth_date, year=2027) is counts


def pay(mixed, amount, now, mode=PaymentMode.CASH):
    return payment_record(
        regie=mixed.regie,
        family=mixed.family,
        mode=mode,
        amount=Decimal(amount),
        actor=mixed.staff,
        now=now,
    )


def amounts(year, family=None):
    return {
        (a.child.first_name, a.amount, a.days)
        for a in fiscal_attestations(year=year, family=family)
    }


def test_a_december_invoice_paid_in_january_counts_for_januarys_year(mixed):
    assert mixed.invoice.issued_on == datetime.date(2026, 12, 3)
    pay(mixed, "179.60", IN_JANUARY_2027)
    # Meals excluded; Inès (8) does not count; 4 Wednesdays + 1 holiday day.
    assert amounts(2027) == {("Léo", LEO_CHILDCARE, 5)}
    assert amounts(2026) == set()


def test_unpaid_invoices_count_nothing_and_a_part_payment_counts_its_share(mixed):
    assert amounts(2026) == amounts(2027) == set()
    pay(mixed, "89.80", IN_DECEMBER_2026)  # half of the invoice
    pay(mixed, "89.80", IN_JANUARY_2027)
    assert amounts(2026) == {("Léo", Decimal("34.40"), 5)}
    assert amounts(2027) == {("Léo", Decimal("34.40"), 5)}


def test_cesu_aid_and_cancelled_payments_are_not_counted(mixed):
    from invoicing.services import payment_cancel
    from invoicing.services.counter import counter_payment_record

    counter_payment_record(
        regie=mixed.regie,
        family=mixed.family,
        mode=PaymentMode.CESU,
        amount=Decimal("89.80"),
        actor=mixed.staff,
        now=IN_JANUARY_2027,
    )
    cancelled = pay(mixed, "10.00", IN_JANUARY_2027)
    payment_cancel(payment=cancelled, reason="Erreur", actor=mixed.staff)
    assert amounts(2027) == set()
    pay(mixed, "89.80", IN_JANUARY_2027)
    assert amounts(2027) == {("Léo", Decimal("34.40"), 5)}


def test_a_child_turning_6_during_the_year_still_counts(db):
    world = Mixed()
    family, (turning_six, six_already) = world.add_family(
        births=(datetime.date(2021, 6, 15), datetime.date(2020, 12, 31))
    )
    for child in (turning_six, six_already):
        world.book_periscolaire(family, child)
    world.bill()
    world.family = family
    invoice = Invoice.objects.get(family=family)
    pay(world, str(invoice.total), IN_JANUARY_2027)
    assert amounts(2027) == {(turning_six.first_name, Decimal("48.80"), 4)}


def test_the_pdf_says_who_what_and_how_much(mixed):
    pay(mixed, "179.60", IN_JANUARY_2027)
    (attestation,) = fiscal_attestations(year=2027)
    text = pdf_text(fiscal_attestation_pdf(attestation, now=IN_JANUARY_2027))
    for expected in (
        mixed.regie.siret,
        "Léo",
        "01/03/2022",
        "2027",
        format_euros(LEO_CHILDCARE),
    ):
        assert expected in text


def test_families_get_theirs_from_january_and_only_theirs(mixed):
    pay(mixed, "179.60", IN_JANUARY_2027)
    leo = mixed.children[0]
    in_2028 = datetime.datetime(2028, 1, 2, 9, 0, tzinfo=PARIS)
    with pytest.raises(Http404):  # 2027 is not over
        fiscal_attestation_for_family(
            family=mixed.family, child_id=leo.pk, year=2027, now=IN_JANUARY_2027
        )
    content = fiscal_attestation_for_family(
        family=mixed.family, child_id=leo.pk, year=2027, now=in_2028
    )
    assert content.startswith(b"%PDF")
    other, _children = mixed.add_family()
    with pytest.raises(Http404):
        fiscal_attestation_for_family(family=other, child_id=leo.pk, year=2027, now=in_2028)


def test_staff_get_them_all_at_once(mixed):
    pay(mixed, "179.60", IN_JANUARY_2027)
    archive = zipfile.ZipFile(io.BytesIO(fiscal_attestations_zip(year=2027)))
    (name,) = archive.namelist()
    assert name.startswith("attestation-fiscale-2027-") and name.endswith(".pdf")
    assert archive.read(name).startswith(b"%PDF")
