"""The family pays from the portal through the simulator, comes back, reads its payments and
receipts; it posts only which invoices, and sees nothing of another family's."""

from decimal import Decimal
from urllib.parse import urlencode, urlsplit

import pytest
from django.urls import reverse
from wagtail.models import Site

from cms.models import CommuneSettings
from invoicing.choices import AttemptState
from invoicing.models import Invoice, Payment, PaymentAttempt, PaymentRequest
from portal_features.portal.urls import portal_path
from tests.factories import PortalPageFactory

from ..conftest import make_billing
from ..ledger.conftest import billed_families

pytestmark = pytest.mark.django_db
FORM = "application/x-www-form-urlencoded"


@pytest.fixture
def portal(home_page):
    CommuneSettings.for_site(Site.objects.get(is_default_site=True))
    return PortalPageFactory(parent=home_page)


@pytest.fixture
def two_families(db):
    billing = make_billing()
    families = billed_families(billing, count=2)
    return billing, families


def url(portal, name, *args):
    return portal.url + portal_path(f"invoicing:{name}", *args)


def log_in(client, family):
    client.force_login(family.guardians.get().user)


def pay(client, portal, invoices, headers=None, **extra):
    data = {"invoice": [i.pk for i in invoices], **extra}
    return client.post(url(portal, "pay"), data, headers=headers)


def test_a_family_pays_two_invoices_by_card_and_downloads_its_receipt(client, portal, two_families):
    _billing, [(family, invoices), _other] = two_families
    log_in(client, family)

    # A tampered amount and a made-up total are not read.
    response = pay(client, portal, invoices, amount="1.00", total="1.00")

    assert response.status_code == 302
    simulator_page = response["Location"]
    assert simulator_page.startswith("/paiement-simulateur/payfip/?idop=")
    assert client.get(simulator_page).status_code == 200
    back = client.post(simulator_page, {"choice": "P"})
    assert back.status_code == 302
    back_path = urlsplit(back["Location"])
    page = client.get(f"{back_path.path}?{back_path.query}")

    assert page.status_code == 200
    payment = Payment.objects.get()
    assert payment.amount == Decimal("85.40") and payment.family == family
    assert payment.number in page.content.decode()
    assert all(Invoice.objects.get(pk=i.pk).remaining == 0 for i in invoices)

    listing = client.get(url(portal, "payments"))
    assert payment.number in listing.content.decode()
    receipt = client.get(url(portal, "receipt", payment.pk))
    assert receipt.status_code == 200
    assert receipt["Content-Type"] == "application/pdf"
    assert receipt.content.startswith(b"%PDF")


def test_a_refused_card_then_a_successful_one(client, portal, two_families):
    _billing, [(family, invoices), _other] = two_families
    log_in(client, family)
    first = pay(client, portal, invoices)["Location"]
    back = client.post(first, {"choice": "R"})["Location"]
    refused = client.get(back.removeprefix("http://testserver"))
    assert refused.status_code == 200
    assert 'data-state="refused"' in refused.content.decode()

    second = pay(client, portal, invoices)["Location"]
    client.post(second, {"choice": "P"})

    assert Payment.objects.count() == 1
    assert sorted(PaymentAttempt.objects.values_list("state", flat=True)) == [
        AttemptState.PAID,
        AttemptState.REFUSED,
    ]


def test_another_familys_invoice_gives_404_and_opens_nothing(client, portal, two_families):
    _billing, [(family, _invoices), (_other, other_invoices)] = two_families
    log_in(client, family)
    assert pay(client, portal, other_invoices[:1]).status_code == 404
    assert pay(client, portal, []).status_code == 302  # nothing chosen: told so, nothing opened
    assert client.post(url(portal, "pay"), {"invoice": "x"}).status_code == 404
    assert not PaymentRequest.objects.exists()


def test_an_invoice_being_paid_cannot_be_paid_twice_from_two_tabs(client, portal, two_families):
    _billing, [(family, invoices), _other] = two_families
    log_in(client, family)
    assert pay(client, portal, invoices)["Location"].startswith("/paiement-simulateur/")
    again = pay(client, portal, invoices[:1], headers={"referer": "http://testserver/portail/"})
    assert again.status_code == 302 and again["Location"] == "http://testserver/portail/"
    assert PaymentRequest.objects.count() == 1


def test_another_familys_payment_pages_and_receipts_give_404(client, portal, two_families):
    _billing, [(family, invoices), (other, _other_invoices)] = two_families
    log_in(client, family)
    simulator_page = pay(client, portal, invoices)["Location"]
    client.post(simulator_page, {"choice": "P"})
    payment = Payment.objects.get()
    request = PaymentRequest.objects.get()
    own = [url(portal, "receipt", payment.pk), url(portal, "payment_return", request.number)]
    assert [client.get(address).status_code for address in own] == [200, 200]

    log_in(client, other)
    assert [client.get(address).status_code for address in own] == [404, 404]
    assert payment.number not in client.get(url(portal, "payments")).content.decode()


# The notification endpoint: what fails its checks changes nothing.


def test_a_systempay_notification_with_a_bad_signature_or_amount_is_refused(client, two_families):
    from invoicing.payments.providers import simulator

    from ..ledger.online import open_attempt

    _billing, [(family, invoices), _other] = two_families
    attempt, created = open_attempt(family, invoices, provider="simulator-systempay")
    fields = dict(created.form.fields)
    simulator.register_systempay_form(fields)
    record = simulator.get_payment(f"{fields['vads_trans_date']}_{fields['vads_trans_id']}")
    record.update(choice="P", result="P", auth_number="123456")
    record["done_at"] = record["created_at"]
    signed = simulator.systempay_result_fields(record)
    endpoint = reverse("payment_notification", args=["simulator-systempay"])

    forged = {**signed, "vads_trans_status": "AUTHORISED", "signature": "x" * 44}
    other_amount = {**signed, "vads_amount": "100"}
    other_amount["signature"] = simulator.simulator_provider({"protocol": "systempay"}).sign(
        other_amount
    )
    other_currency = {**signed, "vads_currency": "840"}
    other_currency["signature"] = simulator.simulator_provider({"protocol": "systempay"}).sign(
        other_currency
    )

    def post(body):
        return client.post(endpoint, urlencode(body), content_type=FORM)

    refusals = [post(body) for body in (forged, other_amount, other_currency)]
    assert [r.status_code for r in refusals] == [400, 400, 400]
    assert [r.content for r in refusals] == [
        b"bad_signature",
        b"amount_mismatch",
        b"currency_mismatch",
    ]
    assert not Payment.objects.exists()
    assert PaymentAttempt.objects.get().state == AttemptState.PENDING

    assert post(signed).status_code == 200
    assert post(signed).status_code == 200
    assert Payment.objects.get().attempt_id == attempt.pk


def test_a_payfip_notification_is_only_a_trigger(client, two_families):
    from ..ledger.online import open_attempt

    _billing, [(family, invoices), _other] = two_families
    attempt, created = open_attempt(family, invoices)
    endpoint = reverse("payment_notification", args=["simulator-payfip"])
    # A forged « paid » result: PayFiP is asked, and says nothing was paid yet.
    response = client.post(endpoint, {"idOp": created.provider_ref, "resultrans": "P"})
    assert response.status_code == 200
    assert not Payment.objects.exists()
    assert PaymentAttempt.objects.get(pk=attempt.pk).state == AttemptState.PENDING
    assert client.post(endpoint, {}).status_code == 400
    assert client.post(endpoint, {"idOp": "unknown-idop"}).status_code == 400
    assert client.post(reverse("payment_notification", args=["nobody"]), {}).status_code == 404


# The browser's return from Systempay: its fields are believed only when signed.


def test_a_systempay_return_settles_only_on_its_signed_fields(client, portal, two_families):
    from invoicing.payments.providers import simulator

    from ..ledger.online import open_attempt

    _billing, [(family, invoices), _other] = two_families
    attempt, created = open_attempt(family, invoices, provider="simulator-systempay")
    fields = dict(created.form.fields)
    simulator.register_systempay_form(fields)
    record = simulator.get_payment(f"{fields['vads_trans_date']}_{fields['vads_trans_id']}")
    record.update(choice="P", result="P", auth_number="123456")
    record["done_at"] = record["created_at"]
    signed = simulator.systempay_result_fields(record)
    sign = simulator.simulator_provider({"protocol": "systempay"}).sign
    back = url(portal, "payment_return", attempt.request.number)
    log_in(client, family)

    def come_back(query):
        page = client.get(f"{back}?{urlencode(query)}")
        assert page.status_code == 200
        return page.content.decode()

    unsigned = {key: value for key, value in signed.items() if key != "signature"}
    forged = {**signed, "signature": sign({**signed, "vads_amount": "100"})}
    other_amount = {**signed, "vads_amount": "100"}
    other_amount["signature"] = sign(other_amount)
    for query in (unsigned, forged, other_amount, {}):
        assert 'data-state="pending"' in come_back(query)
    assert not Payment.objects.exists()
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.PENDING
    # Each return was heard and changed nothing.
    assert (
        list(attempt.events.filter(source="return").values_list("state_after", flat=True))
        == [AttemptState.PENDING] * 4
    )

    assert 'data-state="paid"' in come_back(signed)
    assert 'data-state="paid"' in come_back(signed)  # reloaded: still one payment
    payment = Payment.objects.get()
    assert (payment.attempt_id, payment.family, payment.amount) == (
        attempt.pk,
        family,
        attempt.amount,
    )
