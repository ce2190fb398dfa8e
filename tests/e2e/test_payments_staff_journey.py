"""Guides 001 and 004, the régisseur's side, in Chromium against the live site: an Enfance
agent opens « Paiements », records a cheque at the counter against a family's open
invoice (a cheque without its number is refused next to the field, and nothing is
recorded), sees the invoice partly paid and the receipt, then prepares a cheque deposit
slip (what it gathers first, then confirmed) and reads its PDF back."""

import io
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from invoicing.choices import PaymentMode, PaymentState
from invoicing.models import DepositSlip, Payment
from tests.invoicing.conftest import make_billing
from tests.invoicing.ledger.conftest import billed_families

from .reservation_steps import euros, staff_log_in
from .test_family_journey import DESKTOP, french, new_page

pytestmark = pytest.mark.e2e

BANK = "Crédit Mutuel du Centre"
CHEQUE = "4411207"
AMOUNT = Decimal("30.00")


def pdf_text_of(body: bytes) -> str:
    reader = PdfReader(io.BytesIO(body))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return " ".join(text.replace("\u202f", " ").replace("\xa0", " ").split())


def fetch_pdf(page, href: str) -> str:
    """What a link of the admin serves, with the agent's session: a PDF, read back."""
    response = page.context.request.get(page.url.split("/admin/")[0] + href)
    assert response.ok
    assert response.headers["content-type"] == "application/pdf"
    body = response.body()
    assert body.startswith(b"%PDF-")
    return pdf_text_of(body)


def open_payments(page, site, item: str, path: str) -> None:
    """The admin's sidebar: the « Paiements » menu, then one of its screens."""
    page.goto(site.url + "/admin/")
    sidebar = page.locator("#wagtail-sidebar")
    sidebar.get_by_role("button", name=french("Payments"), exact=True).click()
    sidebar.get_by_role("link", name=french(item), exact=True).click()
    expect(page).to_have_url(re.compile(rf"/admin/invoicing/{path}/$"))


def test_staff_record_a_cheque_at_the_counter_and_deposit_it(portal_site, chromium):
    billing = make_billing(code="CHQ")
    [(family, invoices)] = billed_families(billing)
    november = invoices[0]
    assert november.total > AMOUNT
    page = new_page(chromium, DESKTOP)
    staff_log_in(page, portal_site)

    open_payments(page, portal_site, "Payments", "payment")
    page.get_by_role("link", name=french("Record a payment at the counter")).click()

    def fill_counter(*, number: str) -> None:
        page.get_by_label(french("Régie"), exact=True).select_option(label=str(billing.regie))
        page.get_by_label(french("Family"), exact=True).select_option(label=str(family))
        page.get_by_label(french("Means of payment"), exact=True).select_option(
            value=PaymentMode.CHEQUE
        )
        page.get_by_label(french("Amount (€)"), exact=True).fill(str(AMOUNT))
        page.get_by_label(french("Bank"), exact=True).fill(BANK)
        page.get_by_label(french("Cheque number"), exact=True).fill(number)
        page.get_by_label(french("Invoices to pay"), exact=True).select_option(
            label=november.number
        )
        page.get_by_role("button", name=french("Record the payment"), exact=True).click()

    # A cheque without its number: the message is next to the field, nothing is recorded.
    fill_counter(number="")
    number_field = page.locator(".form-field").filter(
        has=page.get_by_label(french("Cheque number"), exact=True)
    )
    expect(number_field.locator(".form-field__errors")).to_have_text(
        french("Give the bank and the number of the cheque.")
    )
    expect(page.get_by_label(french("Cheque number"), exact=True)).to_have_attribute(
        "aria-invalid", "true"
    )
    assert not Payment.objects.filter(family=family).exists()

    fill_counter(number=CHEQUE)
    payment = Payment.objects.get(family=family)
    assert (payment.mode, payment.amount, payment.cheque_number) == (
        PaymentMode.CHEQUE,
        AMOUNT,
        CHEQUE,
    )
    expect(page.get_by_test_id("payment-status")).to_be_visible()
    main = page.locator("main")
    expect(main).to_contain_text(payment.number)
    expect(main).to_contain_text(f"{BANK} n° {CHEQUE}")
    expect(main.locator("table.listing")).to_contain_text(november.number)
    expect(main.locator("table.listing")).to_contain_text(euros(AMOUNT))

    # The receipt: a PDF naming the payment, the cheque's amount and the invoice.
    receipt = page.get_by_role("link", name=french("Receipt (PDF)"))
    text = fetch_pdf(page, receipt.get_attribute("href"))
    assert payment.number in text
    assert november.number in text
    assert euros(AMOUNT).search(text)

    # The invoice reads partly paid, with what it still owes.
    main.get_by_role("link", name=november.number).click()
    expect(page.get_by_test_id("document-payment-state")).to_have_text(
        french(str(PaymentState.PARTIALLY_PAID.label))
    )
    expect(page.get_by_test_id("document-remaining")).to_have_text(euros(november.total - AMOUNT))

    # « Préparer un bordereau de remise »: what it gathers first, then confirmed.
    open_payments(page, portal_site, "Deposit slips", "depositslip")
    page.get_by_role("link", name=french("Prepare a deposit slip")).click()
    page.get_by_label(french("Régie"), exact=True).select_option(label=str(billing.regie))
    page.get_by_label(french("Means of payment"), exact=True).select_option(
        value=PaymentMode.CHEQUE
    )
    page.get_by_role("button", name=french("See what is deposited"), exact=True).click()
    pending = page.get_by_test_id("pending")
    expect(pending.locator("li")).to_have_count(1)
    expect(pending).to_contain_text(payment.number)
    assert not DepositSlip.objects.exists()
    page.get_by_role("button", name=french("Create the deposit slip"), exact=True).click()

    slip = DepositSlip.objects.get()
    payment.refresh_from_db()
    assert payment.deposit_slip == slip
    main = page.locator("main")
    expect(main).to_contain_text(slip.number)
    expect(main.locator("table.listing")).to_contain_text(CHEQUE)
    slip_pdf = main.get_by_role("link", name=french("PDF"), exact=True).first
    text = fetch_pdf(page, slip_pdf.get_attribute("href"))
    assert slip.number in text
    assert CHEQUE in text
    assert payment.number in text
    assert euros(AMOUNT).search(text)

    # On a slip, the cheque can no longer be cancelled.
    page.goto(portal_site.url + f"/admin/invoicing/payment/inspect/{payment.pk}/")
    expect(page.get_by_role("link", name=french("Cancel the payment"))).to_have_count(0)
