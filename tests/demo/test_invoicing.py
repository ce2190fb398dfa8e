"""The demo's invoicing: tariffs by QF on every unit (a meal line where lunch is included),
the months before this one finalized through the services with a credit note after a late
excused absence, this month as a draft, and invoices every demo parent opens."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from core.models import Counter
from demo import accounts, documents, families
from demo.invoicing import ensure_invoicing
from demo.reservations import ensure_reservations
from invoicing.models import Invoice, InvoiceLine, InvoicingRun
from portal_features.models import Family, Notification
from portal_features.portal.urls import portal_path
from reservations.models import Unit
from tests import factories

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime.datetime(2026, 11, 23, 10, 0, tzinfo=PARIS)
SEPTEMBER, OCTOBER, NOVEMBER = (datetime.date(2026, m, 1) for m in (9, 10, 11))
PARENTS = (
    "claire.dupont@example.fr",
    "paul.martin@example.fr",
    "thomas.roussel@example.fr",
)


@pytest.fixture
def demo(db):
    accounts.ensure_accounts(None)
    families.ensure_reference_data(None)
    families.ensure_families(None)
    documents.ensure_supporting_documents(None, now=NOW)
    ensure_reservations(None, now=NOW)
    ensure_invoicing(None, now=NOW)


def test_every_unit_has_a_qf_tariff_and_a_meal_line_where_lunch_is_included(demo):
    for unit in Unit.objects.filter(activity__school_year__start_date__year=2026):
        kinds = {(t.kind, t.method) for t in unit.tariffs.all()}
        assert ("childcare", "qf_brackets") in kinds, unit
        assert (("meal", "flat") in kinds) == unit.includes_meal, unit


def test_the_months_before_are_finalized_this_one_is_a_draft(demo):
    runs = set(InvoicingRun.objects.values_list("regie__code", "month", "kind", "status"))
    for code in ("ALSH", "PERI"):
        for month in (SEPTEMBER, OCTOBER):
            assert (code, month, "regular", "finalized") in runs
        assert (code, NOVEMBER, "regular", "draft") in runs
    assert ("PERI", OCTOBER, "corrective", "finalized") in runs


def test_a_late_excused_absence_gave_a_credit_note(demo):
    dupont = Family.objects.get(name="DUPONT")
    credit_note = Invoice.objects.get(family=dupont, kind="credit_note")
    lines = list(credit_note.lines.all())
    assert {line.kind for line in lines} == {"childcare", "meal"}  # the lunch, both lines
    assert {(line.child.first_name, line.quantity) for line in lines} == {("Hugo", -1)}
    assert {line.reservation.absence.status for line in lines} == {"excused"}
    assert credit_note.run.kind == "corrective"


def test_prices_come_from_the_tariffs_and_say_why(demo):
    dupont = Family.objects.get(name="DUPONT")
    lines = InvoiceLine.objects.filter(invoice__family=dupont, invoice__status="issued")
    assert lines.filter(kind="meal").exists()
    assert all("QF 850" in line.explanation for line in lines.filter(kind="childcare"))
    # MARTIN has no QF on file: the highest bracket, and the line says so.
    martin = InvoiceLine.objects.filter(invoice__family__name="MARTIN", kind="childcare")
    assert martin.exists()
    assert all("sans qf valide ce jour" in line.explanation.lower() for line in martin)


def test_every_demo_parent_opens_an_invoice_and_its_pdf(demo, client, home_page):
    portal = factories.PortalPageFactory(parent=home_page)
    for email in PARENTS:
        family = Family.objects.get(guardians__user__email=email)
        invoice = Invoice.objects.filter(family=family, kind="invoice").numbered().first()
        assert invoice is not None, email
        client.force_login(family.guardians.get(user__email=email).user)
        listing = client.get(portal.url + portal_path("invoicing:list"))
        assert invoice.number in listing.content.decode()
        detail = portal.url + portal_path("invoicing:invoice_detail", invoice_id=invoice.pk)
        assert client.get(detail).status_code == 200
    # BERNARD's proof of address is missing: nothing registered, booked nor invoiced.
    assert not Invoice.objects.filter(family__name="BERNARD").exists()
    pdf = client.get(portal.url + portal_path("invoicing:invoice_pdf", invoice_id=invoice.pk))
    assert pdf.status_code == 200


def test_families_were_told_and_running_again_issues_nothing(demo):
    assert Notification.objects.filter(kind="invoice_published").exists()
    before = (Invoice.objects.numbered().count(), Counter.objects.count())
    ensure_invoicing(None, now=NOW)
    assert (Invoice.objects.numbered().count(), Counter.objects.count()) == before
