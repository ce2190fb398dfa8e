"""Guide 004, paying online on a phone: the family ticks two invoices in « Factures », pays
through the payment simulator, sees its card refused, pays again and is accepted; the
simulator's notification reaches the live server, both invoices read « Payée », and the
receipt's PDF (read back) names the payment and its amount."""

import re

import pytest
from django.utils import translation
from playwright.sync_api import expect

from core.money import format_euros
from invoicing.choices import AttemptState, PaymentState
from invoicing.models import Payment, PaymentAttempt
from portal_features.portal.urls import portal_path
from tests.invoicing.conftest import make_billing
from tests.invoicing.ledger.conftest import billed_families

from .test_content_security_policy import log_in
from .test_family_journey import PHONE, french
from .test_invoices_journey import pdf_text, spaced

pytestmark = pytest.mark.e2e


def paid_label() -> str:
    with translation.override("fr"):
        return str(PaymentState.PAID.label)


def test_a_family_pays_two_invoices_a_refused_card_then_a_successful_one(
    portal_site, browser_page, tmp_path
):
    billing = make_billing(code="WEB")  # the code of no régie the migrations create
    [(family, invoices)] = billed_families(billing)
    total = sum(invoice.total for invoice in invoices)
    email = family.guardians.get().user.email
    invoices_url = portal_site.portal_url + portal_path("invoicing:list")
    page = browser_page
    page.set_viewport_size(PHONE)
    log_in(page, portal_site.url + "/account/login/", email)

    def pay_both(choice_label: str) -> None:
        page.goto(invoices_url)
        for invoice in invoices:
            page.get_by_label(french("Pay invoice no. %(number)s", number=invoice.number)).check()
        page.get_by_role("button", name=french("Pay online")).click()
        # The simulator's page, as PayFiP's: the amount is the server's, both invoices.
        expect(page).to_have_url(re.compile(r"/paiement-simulateur/payfip/"))
        expect(page.get_by_text(spaced(format_euros(total))).first).to_be_visible()
        page.get_by_role("button", name=french(choice_label), exact=True).click()

    pay_both("Card refused")
    expect(page.locator(".payment-outcome")).to_have_attribute("data-state", "refused")
    expect(
        page.get_by_text(french("The payment was refused. Nothing was taken: you can try again."))
    ).to_be_visible()
    assert not Payment.objects.filter(family=family).exists()

    pay_both("Paid by card")
    expect(page.locator(".payment-outcome")).to_have_attribute("data-state", "paid")
    payment = Payment.objects.get(family=family)
    assert (payment.family, payment.amount) == (family, total)
    states = sorted(
        PaymentAttempt.objects.filter(request__family=family).values_list("state", flat=True)
    )
    assert states == sorted([AttemptState.REFUSED, AttemptState.PAID])
    # The notification came from the simulator, not only the browser's return.
    attempt = PaymentAttempt.objects.get(request__family=family, state=AttemptState.PAID)
    assert attempt.events.filter(source="notification").exists()

    page.goto(invoices_url)
    for invoice in invoices:
        card = page.locator(".invoice-card").filter(has_text=invoice.number)
        expect(card.locator(".invoice-status")).to_have_text(paid_label())
        expect(card.locator("input[type=checkbox]")).to_have_count(0)

    page.get_by_role("link", name=french("My payments"), exact=True).first.click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile(re.escape(payment.number))).click()
    receipt = tmp_path / "receipt.pdf"
    download_info.value.save_as(receipt)
    text = pdf_text(receipt)
    assert payment.number in text
    assert spaced(format_euros(total)).search(text)
    for invoice in invoices:
        assert invoice.number in text
