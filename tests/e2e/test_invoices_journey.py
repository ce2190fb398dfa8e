"""Guides 000, 003 and 004, Finances, on a phone: a demo parent opens « Factures », reads
why a line costs what it costs, downloads the invoice's PDF (its text read back: number and
total), then reads the account statement of the school year with its balance."""

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader
from wagtail.models import Page

from core.money import format_euros
from demo.portal import SLUG as PORTAL_SLUG
from invoicing.models import Invoice
from invoicing.portal.presenters import explanation_of
from invoicing.selectors import (
    account_statement,
    family_regies,
    opening_balance,
    school_year_bounds,
    school_year_of,
)
from portal_features.models import Family

from .test_content_security_policy import PARENT, log_in
from .test_family_journey import PHONE, french

pytestmark = pytest.mark.e2e


def spaced(text: str) -> re.Pattern:
    """`text` with any kind of space where it has one (amounts use no-break spaces)."""
    return re.compile(r"\s+".join(map(re.escape, text.replace("\xa0", " ").split())))


def pdf_text(path) -> str:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return " ".join(text.replace("\u202f", " ").replace("\xa0", " ").split())


def test_a_family_reads_its_invoice_downloads_it_and_reads_its_statement(
    demo_site, browser_page, tmp_path
):
    family = Family.objects.get(guardians__user__email=PARENT)
    # The latest invoice of the régie the statement shows first.
    regie = family_regies(family=family)[0]
    invoice = (
        Invoice.objects.filter(family=family, regie=regie, kind="invoice", status="issued")
        .order_by("-month", "-pk")
        .first()
    )
    line = invoice.lines.filter(kind="childcare").select_related("child").first()
    explanation = explanation_of(line.pricing, line.explanation)
    start, end = school_year_bounds(school_year_of(invoice.month))
    statement = account_statement(family=invoice.family, regie=invoice.regie, start=start, end=end)
    closing = statement.balance + opening_balance(
        family=invoice.family, regie=invoice.regie, start=start
    )
    portal = demo_site.url + Page.objects.get(slug=PORTAL_SLUG).url
    page = browser_page
    page.set_viewport_size(PHONE)

    log_in(page, demo_site.url + "/account/login/", PARENT)
    page.goto(portal)
    # The home tells what is owed.
    expect(page.get_by_text(re.compile(r"^Solde dû : "))).to_be_visible()

    page.get_by_role("link", name=french("Invoices"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(french("My invoices"))
    title = french("Invoice no. %(number)s", number=invoice.number)
    page.get_by_role("link", name=title, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)

    # A line's price, explained in words, and what it was computed from.
    expect(page.get_by_text(f"{french('Why this price:')} {explanation}").first).to_be_visible()
    summary = page.get_by_text(french("How the price was computed")).first
    summary.click()
    expect(page.locator("details[open] dt").first).to_be_visible()
    expect(page.get_by_text(line.child.first_name, exact=True).first).to_be_visible()

    with page.expect_download() as download_info:
        page.get_by_role("link", name=french("Download the PDF")).first.click()
    saved = tmp_path / "facture.pdf"
    download_info.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")
    text = pdf_text(saved)
    assert invoice.number in text
    assert format_euros(invoice.total).replace("\xa0", " ").replace("\u202f", " ") in text

    page.get_by_role("link", name=french("Account statement")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(french("Account statement"))
    table = page.locator("table.statement-table")
    expect(table.get_by_role("link", name=invoice.number)).to_be_visible()
    expect(table.locator("tfoot")).to_contain_text(spaced(format_euros(closing)))
    expect(table.locator("tfoot")).to_contain_text(french("Totals of the school year"))
