"""« Factures » in the family portal: the documents by month with their state, a document's
lines with the price explained, the statement, the attestation, the home and the alert sent
when a document is published. Another family's document is a 404 (and the isolation walk
of tests/portal_features/portal covers every URL with an id)."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from invoicing.choices import AlertKind
from invoicing.models import Invoice
from invoicing.notify import documents_published_tell
from invoicing.portal.presenters import explanation_of, pricing_details
from invoicing.services import run_corrective, run_draft, run_finalize
from portal_features.alerts.tell import Link
from portal_features.models import Notification
from portal_features.portal.urls import portal_path
from reservations.pricing import PriceResult
from tests import factories

from ..conftest import (
    DEC_WEDNESDAYS,
    DECEMBER,
    IN_DECEMBER,
    IN_JANUARY,
    NOV_WEDNESDAYS,
    NOVEMBER,
    make_billing,
)
from ..test_pdf import text_of

pytestmark = pytest.mark.django_db

TODAY = datetime.datetime(2027, 1, 10, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def portal(home_page):
    return factories.PortalPageFactory(parent=home_page)


def url(portal, name, **kwargs) -> str:
    return portal.url + portal_path(f"invoicing:{name}", **kwargs)


def bill(billing, month, now, kind="regular"):
    action = run_draft if kind == "regular" else run_corrective
    run = action(
        regie=billing.regie, month=month, actor=billing.staff, now=now, sources=billing.provider
    )
    return run_finalize(run=run, actor=billing.staff, now=now)


@pytest.fixture
def dupont(billing, client, portal):
    """DUPONT: November and December billed, then a November day excused late (a credit
    note from the corrective run); the parent is logged in."""
    family, (child,) = billing.add_family(name="DUPONT")
    guardian = family.guardians.get()
    reservations = billing.book_days(family, child, NOV_WEDNESDAYS)
    billing.book_days(family, child, DEC_WEDNESDAYS)
    bill(billing, NOVEMBER, IN_DECEMBER)
    bill(billing, DECEMBER, IN_JANUARY)
    billing.provider.free(reservations[1])
    bill(billing, NOVEMBER, IN_JANUARY, kind="corrective")
    client.force_login(guardian.user)
    return family, child


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: TODAY)


def test_the_invoices_tab_lists_documents_by_month_with_their_state(client, portal, dupont):
    family, _ = dupont
    november, december = (
        Invoice.objects.get(family=family, month=month, kind="invoice")
        for month in (NOVEMBER, DECEMBER)
    )
    credit_note = Invoice.objects.get(family=family, kind="credit_note")

    page = client.get(url(portal, "list")).content.decode()

    assert "Factures" in page  # the portal menu's entry
    assert page.index("décembre 2026") < page.index("novembre 2026")
    assert f"Facture n° {november.number}" in page and f"Facture n° {december.number}" in page
    assert f"Avoir n° {credit_note.number}" in page
    assert "En retard" in page and "À payer" in page and "Avoir utilisé" in page
    assert url(portal, "invoice_pdf", invoice_id=november.pk) in page
    # November: 4 × 12,20 € less the 12,20 € credit note; December: 3 × 12,20 €.
    assert "36,60\xa0€" in page and "73,20\xa0€" in page
    assert f"Corrige : facture n° {november.number}" in page


def test_a_line_says_why_it_costs_what_it_costs(client, portal, dupont):
    family, child = dupont
    november = Invoice.objects.get(family=family, month=NOVEMBER, kind="invoice")

    page = client.get(url(portal, "invoice_detail", invoice_id=november.pk)).content.decode()

    assert child.first_name in page
    assert "04/11, 11/11, 18/11, 25/11" in page
    assert "4 × 12,20\xa0€ = <strong>48,80\xa0€</strong>" in page
    assert "QF 850 – tranche 3 : 700 ≤ QF &lt; 1 000" in page
    assert "Payée par" in page or "Payé par" in page


def test_the_credit_note_says_which_invoice_it_corrects(client, portal, dupont):
    family, _ = dupont
    november = Invoice.objects.get(family=family, month=NOVEMBER, kind="invoice")
    credit_note = Invoice.objects.get(family=family, kind="credit_note")

    page = client.get(url(portal, "invoice_detail", invoice_id=credit_note.pk)).content.decode()

    assert "Cet avoir corrige" in page and november.number in page
    assert "repris" in page  # the day taken back


def test_the_frozen_pricing_is_explained_in_french_words():
    result = PriceResult(
        amount=Decimal("9.90"),
        kind="childcare",
        method="qf_brackets",
        tariff_id=7,
        qf=Decimal("850"),
        qf_source="caf",
        qf_missing=False,
        bracket="tranche 3 : 700 ≤ QF < 1 000",
        rate=None,
        bound=None,
        base_amount=Decimal("11.00"),
        sibling_position=2,
        sibling_percent=Decimal("10"),
        modifier="absence_billed",
        modifier_percent=Decimal("100"),
        aid=None,
        aid_label=None,
        sibling_mode="rank",
    )
    pricing = result.as_json()

    text = explanation_of(pricing, "stored")
    details = dict(pricing_details(pricing))

    assert text.startswith("QF 850 (CAF) – tranche 3 : 700 ≤ QF < 1 000")
    assert "enfant n° 2 : −10 %" in text
    assert details["Quotient familial"] == "850 (CAF)"
    assert details["Tarif avant réductions"] == "11,00\xa0€"
    assert details["Réduction fratrie"] == "enfant n° 2 : −10 %"
    assert details["Modulation"].startswith("absence facturée")
    # Older or foreign JSON: the explanation stored on the line is shown as it was.
    assert explanation_of({"qf": "850"}, "QF 850 – tranche 3") == "QF 850 – tranche 3"


def test_the_statement_lists_debits_credits_and_the_running_balance(client, portal, dupont):
    page = client.get(url(portal, "statement") + "?year=2026").content.decode()

    assert "2026-2027" in page
    assert page.count("48,80\xa0€") >= 1  # November's invoice, a debit
    assert "12,20\xa0€" in page  # the credit note, a credit
    # Balance: 48,80 → 85,40 (December) → 73,20 (the credit note).
    assert page.index("85,40\xa0€") < page.index("73,20\xa0€")
    assert "Solde antérieur" in page


def test_the_statement_starts_from_the_previous_school_years_balance(
    billing, client, portal, dupont
):
    page = client.get(url(portal, "statement") + "?year=2027").content.decode()
    # Not billed in 2027-2028: the year offered falls back to the family's last one.
    assert "2026-2027" in page


def test_the_attendance_attestation_is_downloaded_by_the_family(client, portal, dupont):
    family, child = dupont
    response = client.get(
        url(portal, "attestation"),
        {"child": child.pk, "start": "2026-09-01", "end": "2027-08-31"},
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = text_of(b"".join(response.streaming_content) if response.streaming else response.content)
    assert child.first_name in text and "6" in text  # 7 days billed, one taken back
    assert "73,20 €" in text


def test_another_familys_child_gets_no_attestation(client, portal, dupont):
    other = factories.ChildFactory(family=factories.FamilyFactory())
    response = client.get(
        url(portal, "attestation"),
        {"child": other.pk, "start": "2026-09-01", "end": "2027-08-31"},
    )
    assert response.status_code == 404


def test_a_wrong_period_says_so_in_french(client, portal, dupont):
    _, child = dupont
    response = client.get(
        url(portal, "attestation"),
        {"child": child.pk, "start": "2027-08-31", "end": "2026-09-01"},
    )
    assert response.status_code == 200
    assert "La fin de la période précède son début." in response.content.decode()


def test_the_home_shows_the_balance_due_and_the_unpaid_invoices(client, portal, dupont):
    family, _ = dupont
    november = Invoice.objects.get(family=family, month=NOVEMBER, kind="invoice")

    page = client.get(portal.url).content.decode()

    assert "Solde dû : 73,20\xa0€ sur 2 factures." in page
    assert f"Facture n° {november.number} : 36,60\xa0€, en retard depuis le" in page


def test_another_familys_invoice_is_not_found(client, portal, dupont, billing):
    other, (kid,) = billing.add_family(name="MARTIN")
    billing.book_days(other, kid, [datetime.date(2027, 1, 6)])
    bill(billing, datetime.date(2027, 1, 1), datetime.datetime(2027, 2, 3, tzinfo=datetime.UTC))
    theirs = Invoice.objects.get(family=other)

    for name in ("invoice_detail", "invoice_pdf"):
        assert client.get(url(portal, name, invoice_id=theirs.pk)).status_code == 404
    assert theirs.number not in client.get(url(portal, "list")).content.decode()


def test_publishing_tells_the_family_once_committed(
    billing, portal, django_capture_on_commit_callbacks
):
    family, (child,) = billing.add_family(name="DUPONT")
    guardian = family.guardians.get()
    guardian.consents_to_email = True
    guardian.save()
    billing.book_days(family, child, NOV_WEDNESDAYS)
    run = run_draft(
        regie=billing.regie, month=NOVEMBER, actor=None, now=IN_DECEMBER, sources=billing.provider
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        run_finalize(run=run, actor=None, now=IN_DECEMBER)
        assert not Notification.objects.filter(family=family).exists()
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()

    invoice = Invoice.objects.get(family=family)
    notification = Notification.objects.get(family=family)
    assert notification.kind == AlertKind.INVOICE_PUBLISHED
    assert notification.title == f"Nouvelle facture n° {invoice.number} : 48,80\xa0€"
    assert notification.link == Link("invoicing:invoice_detail", invoice_id=invoice.pk)
    assert [message.to for message in mail.outbox] == [[guardian.user.email]]
    assert url(portal, "invoice_detail", invoice_id=invoice.pk) in mail.outbox[0].body
    # Told once: telling again for the same ids is the caller's choice, not a side effect.
    assert documents_published_tell(invoice_ids=[]) == 0


def _family_with_documents(billing, count: int):
    """`count` issued documents in one school year and one régie: a month's invoice, then
    a day excused (a credit note) and a day added (an extra invoice) by corrective runs."""
    family, (child,) = billing.add_family()
    months = [datetime.date(2026 + (m < 9), m, 1) for m in (*range(9, 13), *range(1, 9))]
    made = 0
    for month in months:
        days = [month + datetime.timedelta(days=offset) for offset in (1, 2)]
        first, _second = (billing.book(family, child, day) for day in days)
        after = datetime.datetime.combine(
            (month + datetime.timedelta(days=32)).replace(day=3),
            datetime.time(9),
            tzinfo=datetime.UTC,
        )
        bill(billing, month, after)
        made += 1
        if made == count:
            break
        billing.provider.free(first)
        bill(billing, month, after + datetime.timedelta(hours=1), kind="corrective")
        billing.book(family, child, month + datetime.timedelta(days=3))
        bill(billing, month, after + datetime.timedelta(hours=2), kind="corrective")
        made += 2
    assert Invoice.objects.filter(family=family).numbered().count() == count
    return family


@pytest.mark.parametrize("name", ["list", "statement"])
def test_the_number_of_queries_does_not_grow_with_the_documents(db, client, portal, name):
    counts = []
    for size in (1, 36):
        family = _family_with_documents(make_billing(code=f"Q{size}"), size)
        client.force_login(family.guardians.get().user)
        client.get(url(portal, name))  # warm the portal's page cache
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url(portal, name) + "?year=2026")
        assert response.status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1], counts
