"""The invoices' screens as Enfance staff: search and filters, the item with its lines and
PDF, « Annuler la facture » with a required reason giving a credit note, the statement of
any family; the list's query count does not grow with the number of invoices."""

from decimal import Decimal

import pytest
from django.urls import reverse

from invoicing.choices import InvoiceKind, InvoiceStatus, MoneyAction
from invoicing.models import Invoice, MoneyEvent
from invoicing.services import run_draft, run_finalize
from tests import factories
from tests.invoicing.conftest import IN_DECEMBER, NOV_WEDNESDAYS, NOVEMBER

pytestmark = pytest.mark.django_db

INDEX = reverse("invoicing_invoice_modeladmin_index")
STATEMENT = reverse("invoicing_invoice_modeladmin_statement")


def url(action, invoice):
    return reverse(f"invoicing_invoice_modeladmin_{action}", args=[invoice.pk])


def finalized_month(billing, actor):
    run = run_draft(regie=billing.regie, month=NOVEMBER, actor=actor, now=IN_DECEMBER)
    return run_finalize(run=run, actor=actor, now=IN_DECEMBER)


@pytest.fixture
def issued(booked, enfance_user):
    finalized_month(booked, enfance_user)
    return {i.payer["name"]: i for i in Invoice.objects.filter(status=InvoiceStatus.ISSUED)}


def listed(response):
    assert response.status_code == 200
    return sorted(obj.number or "" for obj in response.context["object_list"])


def test_search_by_family_number_status_regie_and_month(staff_client, issued, booked):
    arnaud, bernard = issued["Arnaud"], issued["Bernard"]

    assert listed(staff_client.get(INDEX)) == sorted([arnaud.number, bernard.number])
    assert listed(staff_client.get(INDEX, {"q": "Bernard"})) == [bernard.number]
    assert listed(staff_client.get(INDEX, {"q": arnaud.number})) == [arnaud.number]
    assert listed(staff_client.get(INDEX, {"q": arnaud.family.number})) == [arnaud.number]
    assert listed(staff_client.get(INDEX, {"status__exact": "cancelled"})) == []
    by_regie_month = staff_client.get(
        INDEX, {"regie": booked.regie.pk, "month": "2026-11-01", "kind__exact": "invoice"}
    )
    assert len(listed(by_regie_month)) == 2


def test_the_item_shows_its_lines_and_its_pdf(staff_client, issued):
    invoice = issued["Arnaud"]

    page = staff_client.get(url("inspect", invoice)).content.decode()
    assert invoice.number in page
    assert page.count("QF 850") == 8
    assert "97,60\u00a0€" in page
    assert url("pdf", invoice) in page
    assert "Annuler la facture" in page

    pdf = staff_client.get(url("pdf", invoice))
    assert pdf.status_code == 200
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_cancel_needs_a_reason_then_gives_a_credit_note(staff_client, issued, enfance_user):
    invoice = issued["Bernard"]

    form = staff_client.get(url("cancel", invoice))
    assert form.status_code == 200 and "Motif" in form.content.decode()
    refused = staff_client.post(url("cancel", invoice), {"reason": "  "})
    assert refused.status_code == 200
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.ISSUED

    response = staff_client.post(url("cancel", invoice), {"reason": "Erreur de tarif"})

    invoice.refresh_from_db()
    note = Invoice.objects.get(kind=InvoiceKind.CREDIT_NOTE)
    assert invoice.status == InvoiceStatus.CANCELLED
    assert note.corrects == invoice and note.total == Decimal("-24.40")
    assert note.reason == "Erreur de tarif" and note.number == "AALSH-26-000001"
    assert response.url == url("inspect", note)
    page = staff_client.get(response.url).content.decode()
    assert "Erreur de tarif" in page and invoice.number in page
    event = MoneyEvent.objects.get(action=MoneyAction.INVOICE_CANCELLED)
    assert event.actor == enfance_user and event.note == "Erreur de tarif"
    assert event.before["status"] == "issued" and event.after["status"] == "cancelled"
    # No second cancellation is offered.
    assert "Annuler la facture" not in staff_client.get(url("inspect", invoice)).content.decode()


def test_the_statement_of_any_family(staff_client, issued, booked):
    invoice = issued["Bernard"]
    staff_client.post(url("cancel", invoice), {"reason": "Erreur"})
    year = booked.activity.school_year

    response = staff_client.get(STATEMENT, {"family": invoice.family_id, "school_year": year.pk})

    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('data-testid="statement"') == 1
    assert "24,40\u00a0€" in page and "0,00\u00a0€" in page  # debit, credit, balance 0
    # From the item, the link fills the school year itself.
    link = staff_client.get(STATEMENT, {"family": invoice.family_id})
    assert link.status_code == 200


@pytest.mark.parametrize("count", [1, 30])
def test_the_list_query_count_does_not_grow(
    staff_client, billing, enfance_user, count, django_assert_num_queries
):
    for index in range(count):
        family, (child,) = billing.add_family(name=f"Famille {index:02}")
        billing.book_days(family, child, NOV_WEDNESDAYS[:1])
    finalized_month(billing, enfance_user)
    assert Invoice.objects.count() == count
    staff_client.get(INDEX)  # sessions, permissions, menus warmed

    with django_assert_num_queries(QUERIES):
        response = staff_client.get(INDEX)
    assert len(response.context["object_list"]) == count


# Measured for 1 invoice: the same number holds for 30 (no query per row).
QUERIES = 19


def test_communication_staff_and_parents_are_refused(client, issued, communication_user):
    invoice = issued["Arnaud"]
    parent = factories.UserFactory()
    for user in (communication_user, parent):
        client.force_login(user)
        for address in (INDEX, url("inspect", invoice), url("pdf", invoice), STATEMENT):
            response = client.get(address)
            assert response.status_code in (302, 403, 404), address
        response = client.post(url("cancel", invoice), {"reason": "x"})
        assert response.status_code in (302, 403)
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.ISSUED
