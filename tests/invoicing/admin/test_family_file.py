"""The staff's screen of a family's file shows its enrolments, registrations, reservations
(with attendance), absences, invoices and payments — the sections reservations and
invoicing register on portal_features' screen — in the same number of queries for a family
of one child with a few days as for four children with many."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cms.staff_groups import ENFANCE
from invoicing.choices import PaymentMode
from invoicing.services.counter import counter_payment_record
from portal_features.models import FamilyEvent
from reservations.choices import AbsenceStatus
from reservations.models import Reservation
from reservations.services.absences import absence_record
from tests import factories
from tests.admin.screens import staff_in
from tests.invoicing.conftest import (
    DEC_WEDNESDAYS,
    DECEMBER,
    IN_DECEMBER,
    IN_JANUARY,
    NOV_WEDNESDAYS,
    NOVEMBER,
    make_billing,
)
from tests.invoicing.ledger.conftest import bill

pytestmark = pytest.mark.django_db

NOV_WEEKDAYS = [
    datetime.date(2026, 11, d) for d in range(1, 31) if datetime.date(2026, 11, d).weekday() < 5
]


def inspect_url(family) -> str:
    return reverse("portal_features_family_modeladmin_inspect", args=[family.pk])


@pytest.fixture
def families():
    billing = make_billing()
    sizes = {"small": (1, NOV_WEDNESDAYS), "large": (4, NOV_WEEKDAYS)}
    built = {}
    for key, (children, november) in sizes.items():
        family, kids = billing.add_family(children=children, name=key.upper())
        for child in kids:
            factories.EnrolmentFactory(family=family, child=child)
            factories.RegistrationFactory(
                family=family, child=child, activity=billing.activity, group=billing.group
            )
            billing.book_days(family, child, november)
            billing.book_days(family, child, DEC_WEDNESDAYS)
        built[key] = family
    bill(billing, NOVEMBER, IN_DECEMBER)
    bill(billing, DECEMBER, IN_JANUARY)
    for key, family in built.items():
        days = Reservation.objects.filter(family=family).order_by("day", "pk")
        for reservation in days[: 1 if key == "small" else 6]:
            absence_record(
                reservation=reservation,
                status=AbsenceStatus.EXCUSED,
                actor=billing.staff,
                now=IN_JANUARY,
            )
        for number in range(1 if key == "small" else 3):
            counter_payment_record(
                regie=billing.regie,
                family=family,
                mode=PaymentMode.CHEQUE,
                amount=Decimal("10.00"),
                actor=billing.staff,
                cheque_bank="Banque Postale",
                cheque_number=f"12345{number}",
                now=IN_JANUARY,
            )
    return built


def test_the_file_shows_each_registered_section(client, families):
    family = families["small"]
    client.force_login(staff_in(ENFANCE))

    html = client.get(inspect_url(family)).content.decode()

    for heading in (
        "Dossiers administratifs",
        "Inscriptions",
        "Réservations",
        "Absences",
        "Factures",
        "Paiements",
    ):
        assert f">{heading}</h2>" in html, heading
    invoice = family.invoices.filter(kind="invoice").order_by("month").first()
    payment = family.payments.get()
    assert invoice.number in html
    assert reverse("invoicing_invoice_modeladmin_inspect", args=[invoice.pk]) in html
    assert reverse("invoicing_payment_modeladmin_inspect", args=[payment.pk]) in html
    assert "04/11/2026" in html  # a reserved day, in French format
    assert "Absence excusée" in html  # the absence's decision


def test_the_file_costs_the_same_queries_for_one_child_or_four_with_many_days(client, families):
    client.force_login(staff_in(ENFANCE))
    client.get(inspect_url(families["small"]))  # warm up the admin's caches

    counts = {}
    for key, family in families.items():
        FamilyEvent.objects.all().delete()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(inspect_url(family))
        assert response.status_code == 200
        counts[key] = len(queries)

    assert Reservation.objects.filter(family=families["large"]).count() > 80
    assert counts["small"] == counts["large"], counts
    assert counts["large"] < 50, counts
