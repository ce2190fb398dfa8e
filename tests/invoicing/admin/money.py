"""A régie where families pay every way, built as staff and families do it (the services):
three families billed for November's Wednesdays (48.80 € each, issued 3 December 2026, due
2 January 2027), the third having asked for a direct debit mandate. `complete=True` adds one
of everything the « Paiements » screens list: a cheque on a deposit slip, an online attempt,
the mandate validated and debited in a batch, a collection docket, a mandate requested."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from invoicing.choices import PaymentMode
from invoicing.models import Invoice
from invoicing.services.counter import counter_payment_record
from invoicing.services.deposits import deposit_slip_create
from invoicing.services.dockets import docket_create
from invoicing.services.sepa import debit_batch_create, mandate_request, mandate_validate
from tests.invoicing.conftest import IN_DECEMBER, NOV_WEDNESDAYS, NOVEMBER, make_billing
from tests.invoicing.ledger.conftest import bill
from tests.invoicing.ledger.online import open_attempt

PARIS = ZoneInfo("Europe/Paris")
IBAN = "FR76 3000 6000 0112 3456 7890 189"
AT_COUNTER = datetime.datetime(2026, 12, 10, 10, 0, tzinfo=PARIS)
# November's invoice is issued on 3 December 2026: debited 20 days later.
DEBIT_ON = datetime.date(2026, 12, 23)
AFTER_DUE = datetime.datetime(2027, 1, 10, 9, 0, tzinfo=PARIS)


def money_world(*, code="PAY", complete=False):
    billing = make_billing(
        code=code,
        payment_means=["online_card", "cash", "cheque", "cesu", "direct_debit"],
        sepa_iban="FR1420041010050500013M02606",
        sepa_bic="PSSTFRPPPAR",
        sepa_ics="FR72ZZZ123456",
    )
    families = []
    for name in ("Arnaud", "Bernard", "Caron"):
        family, (child,) = billing.add_family(name=name)
        billing.book_days(family, child, NOV_WEDNESDAYS)
        families.append(family)
    billing.family, billing.other, billing.debtor = families
    billing.mandate = mandate_request(
        family=billing.debtor,
        regie=billing.regie,
        account_holder="Claire Caron",
        iban=IBAN,
        bic="AGRIFRPP",
        signed_on=datetime.date(2026, 11, 20),
    )
    if complete:
        mandate_validate(mandate=billing.mandate, actor=billing.staff)
    bill(billing, NOVEMBER, IN_DECEMBER)
    billing.invoice = Invoice.objects.get(family=billing.family, kind="invoice")
    if complete:
        billing.cheque = counter_payment_record(
            regie=billing.regie,
            family=billing.family,
            mode=PaymentMode.CHEQUE,
            amount=Decimal("20.00"),
            actor=billing.staff,
            cheque_bank="Banque Postale",
            cheque_number="1234567",
            now=AT_COUNTER,
        )
        billing.slip = deposit_slip_create(regie=billing.regie, actor=billing.staff, now=AT_COUNTER)
        other_invoice = Invoice.objects.get(family=billing.other, kind="invoice")
        billing.attempt, _created = open_attempt(billing.other, [other_invoice], now=AT_COUNTER)
        billing.batch = debit_batch_create(
            regie=billing.regie, collection_date=DEBIT_ON, actor=billing.staff, now=AT_COUNTER
        )
        billing.docket = docket_create(regie=billing.regie, actor=billing.staff, now=AFTER_DUE)
        # A second request, awaiting staff's decision.
        billing.request = mandate_request(
            family=billing.other,
            regie=billing.regie,
            account_holder="Louis Bernard",
            iban=IBAN,
            signed_on=datetime.date(2026, 12, 1),
        )
    return billing
