"""« Factures » lets the family choose what to pay (only what can be paid online), shows an
invoice handed to the Trésor as such, asks for a direct debit mandate and downloads its fiscal
attestations; another family's child or régie choice lends nothing."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.utils.translation import override
from wagtail.models import Site

from cms.models import CommuneSettings
from invoicing.choices import MandateStatus, PaymentState
from invoicing.models import Invoice, Mandate
from invoicing.portal import accounts
from invoicing.services.dockets import docket_create
from invoicing.services.online import payable_invoice_ids, payment_request_open
from portal_features.portal.urls import portal_path
from tests.factories import PortalPageFactory

from ..collection.conftest import Mixed
from ..collection.test_counter import pdf_text
from ..collection.test_fiscal import pay as fiscal_pay
from ..conftest import make_billing
from ..ledger.conftest import billed_families

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
AFTER_NOVEMBER_DUE = datetime.datetime(2027, 1, 10, 9, 0, tzinfo=PARIS)
IBAN = "FR76 3000 6000 0112 3456 7890 189"


@pytest.fixture
def portal(home_page):
    CommuneSettings.for_site(Site.objects.get(is_default_site=True))
    return PortalPageFactory(parent=home_page)


def url(portal, name, *args):
    return portal.url + portal_path(f"invoicing:{name}", *args)


def log_in(client, family):
    client.force_login(family.guardians.get().user)


def checked_boxes(html: str) -> set[int]:
    return {int(pk) for pk in re.findall(r'name="invoice" value="(\d+)"', html)}


def test_the_list_offers_a_box_per_payable_invoice_posting_to_pay(client, portal):
    billing = make_billing()
    [(family, (november, december))] = billed_families(billing)
    log_in(client, family)

    page = client.get(url(portal, "list")).content.decode()
    assert f'action="{url(portal, "pay")}"' in page
    assert checked_boxes(page) == {november.pk, december.pk}
    assert url(portal, "payments") in page

    # Being paid in another tab: no box for it, the other one still has its box.
    payment_request_open(family=family, invoice_ids=[november.pk], email="a@example.fr")
    page = client.get(url(portal, "list")).content.decode()
    assert checked_boxes(page) == {december.pk}

    detail = client.get(url(portal, "invoice_detail", december.pk)).content.decode()
    assert f'action="{url(portal, "pay")}"' in detail
    assert checked_boxes(detail) == {december.pk}  # the hidden field of « Payer en ligne »
    held = client.get(url(portal, "invoice_detail", november.pk)).content.decode()
    assert f'action="{url(portal, "pay")}"' not in held


def test_an_invoice_handed_to_the_tresor_says_so_and_cannot_be_paid(client, portal):
    billing = make_billing()
    [(family, (november, _december))] = billed_families(billing)
    docket_create(regie=billing.regie, actor=billing.staff, now=AFTER_NOVEMBER_DUE)
    november = Invoice.objects.get(pk=november.pk)
    assert november.handed_over_at == AFTER_NOVEMBER_DUE

    assert november.payment_state(today=datetime.date(2027, 1, 10)) == PaymentState.TREASURY
    assert november.pk not in payable_invoice_ids(
        invoices=[november], today=datetime.date(2026, 12, 10)
    )
    log_in(client, family)
    with override("fr"):
        label = str(PaymentState.TREASURY.label)
    assert label == "Transmise au Trésor public"
    page = client.get(url(portal, "invoice_detail", november.pk), headers={"accept-language": "fr"})
    assert label in page.content.decode()
    assert f'action="{url(portal, "pay")}"' not in page.content.decode()
    assert november.pk not in checked_boxes(client.get(url(portal, "list")).content.decode())


@pytest.fixture
def debits(db):
    billing = make_billing(payment_means=["cash", "cheque", "direct_debit"])
    [(family, _invoices), (other, _other)] = billed_families(billing, count=2)
    billing.family, billing.other = family, other
    return billing


def test_the_family_asks_for_a_mandate_and_sees_its_status(client, portal, debits):
    log_in(client, debits.family)
    address = url(portal, "mandate")
    assert client.get(address).status_code == 200

    wrong = client.post(
        address,
        {"regie": debits.regie.pk, "account_holder": "Claire Dupont", "iban": IBAN[:-1] + "8"},
    )
    assert wrong.status_code == 200 and not Mandate.objects.exists()

    done = client.post(
        address, {"regie": debits.regie.pk, "account_holder": "Claire Dupont", "iban": IBAN}
    )
    assert done.status_code == 302
    mandate = Mandate.objects.get()
    assert (mandate.family, mandate.status) == (debits.family, MandateStatus.REQUESTED)
    page = client.get(address).content.decode()
    assert mandate.rum in page and 'data-status="requested"' in page

    again = client.post(
        address, {"regie": debits.regie.pk, "account_holder": "Claire Dupont", "iban": IBAN}
    )
    assert again.status_code == 200 and Mandate.objects.count() == 1

    # The other family sees nothing of it.
    log_in(client, debits.other)
    assert mandate.rum not in client.get(address).content.decode()


def test_a_regie_without_direct_debit_cannot_be_chosen(client, portal):
    billing = make_billing(payment_means=["cash"])
    [(family, _invoices)] = billed_families(billing)
    log_in(client, family)
    response = client.post(
        url(portal, "mandate"),
        {"regie": billing.regie.pk, "account_holder": "Claire Dupont", "iban": IBAN},
    )
    assert response.status_code == 200 and not Mandate.objects.exists()


def test_the_fiscal_attestation_per_child_and_year_from_january(client, portal, monkeypatch):
    world = Mixed()
    family, children = world.add_family()
    other, other_children = world.add_family()
    for child in (*children, *other_children):
        world.book_periscolaire(family if child in children else other, child)
    world.bill()
    world.family = family
    invoice = Invoice.objects.get(family=family, kind="invoice")
    fiscal_pay(world, str(invoice.total), datetime.datetime(2026, 12, 20, 10, tzinfo=PARIS))
    leo = children[0]
    address = url(portal, "fiscal")
    log_in(client, family)

    # Still in 2026: the year is not over, nothing is offered for it.
    monkeypatch.setattr(accounts, "_now", lambda: datetime.datetime(2026, 12, 28, tzinfo=PARIS))
    assert client.get(address, {"child": leo.pk, "year": 2026}).status_code == 404

    monkeypatch.setattr(accounts, "_now", lambda: datetime.datetime(2027, 1, 4, tzinfo=PARIS))
    page = client.get(address).content.decode()
    assert f"child={leo.pk}&amp;year=2026" in page
    download = client.get(address, {"child": leo.pk, "year": 2026})
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    text = pdf_text(download.content)
    assert "2026" in text and leo.last_name.upper() in text.upper()
    # Another family's child, or a made-up id: 404.
    assert client.get(address, {"child": other_children[0].pk, "year": 2026}).status_code == 404
    assert client.get(address, {"child": "x", "year": 2026}).status_code == 404


def test_the_payments_page_lists_the_receipts_within_the_tabs(client, portal):
    billing = make_billing()
    [(family, (november, _december))] = billed_families(billing)
    from invoicing.choices import PaymentMode
    from invoicing.services import payment_record

    payment = payment_record(
        regie=billing.regie,
        family=family,
        mode=PaymentMode.CASH,
        amount=november.total,
        actor=billing.staff,
    )
    log_in(client, family)
    page = client.get(url(portal, "payments")).content.decode()
    assert url(portal, "receipt", payment.pk) in page
    assert 'aria-current="page"' in page and url(portal, "list") in page
