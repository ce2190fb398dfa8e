"""The debit date on the invoice: a family paying by direct debit reads on its invoice's
PDF and on its page in « Factures » when and from which account (masked) the invoice will
be debited; another family's invoice says nothing of it, nor an invoice already paid."""

import datetime

import pytest
from django.utils import timezone

from invoicing.models import Invoice
from invoicing.pdf import invoice_pdf_render
from invoicing.services.sepa import debit_batch_create
from portal_features.portal.urls import portal_path
from tests import factories

from ..test_pdf import stored_bytes, text_of
from . import test_sepa
from .test_sepa import BUILDING, DEBIT_ON, active_and_billed

pytestmark = pytest.mark.django_db
debits = test_sepa.debits  # the SEPA tests' régie and families, here too
NOTICE = "Cette facture sera prélevée le 23 décembre 2026 sur le compte FR76 … 0189."


@pytest.fixture
def portal(home_page):
    return factories.PortalPageFactory(parent=home_page)


def detail_page(client, portal, invoice) -> str:
    client.force_login(invoice.family.guardians.get().user)
    response = client.get(
        portal.url + portal_path("invoicing:invoice_detail", invoice_id=invoice.pk)
    )
    assert response.status_code == 200
    return " ".join(response.content.decode().replace("\xa0", " ").split())


def test_the_pdf_prints_the_debit_date_and_the_masked_account(debits):
    _mandate, invoice = active_and_billed(debits)
    assert invoice.debit_on == DEBIT_ON

    text = text_of(stored_bytes(invoice_pdf_render(invoice_id=invoice.pk)))

    assert "Prélevée le 23/12/2026" in text
    assert NOTICE in text
    assert "3456" not in text  # the middle of the IBAN is never printed
    other = Invoice.objects.get(family=debits.other)
    other_text = text_of(stored_bytes(invoice_pdf_render(invoice_id=other.pk)))
    assert "prélevée" not in other_text.lower()


def test_the_family_reads_the_debit_date_on_its_invoice(client, portal, debits, monkeypatch):
    _mandate, invoice = active_and_billed(debits)
    monkeypatch.setattr(
        timezone, "now", lambda: datetime.datetime(2026, 12, 10, 9, tzinfo=datetime.UTC)
    )

    page = detail_page(client, portal, invoice)
    assert NOTICE in page
    assert "3456" not in page
    assert "prélevée" not in detail_page(client, portal, Invoice.objects.get(family=debits.other))

    # Debited: paid, nothing left to announce.
    debit_batch_create(
        regie=debits.regie, collection_date=DEBIT_ON, actor=debits.staff, now=BUILDING
    )
    assert NOTICE not in detail_page(client, portal, invoice)
