"""The demo's money received, through the invoicing services as staff and families would:

- DUPONT paid its oldest « périscolaire » invoice by cheque at the counter, and that cheque
  is on a deposit slip; it paid part of its newest invoice in cash;
  its direct debit mandate for « périscolaire » is active (asked, then validated by staff);
- ROUSSEL paid everything it owed in cash, with 15 € more: a credit for the next invoices
  (BERNARD, whose proof of address is missing, has booked nothing and owes nothing);
- MARTIN has not paid: its oldest invoices are overdue, and a card payment of its newest
  « périscolaire » invoice is under way at the payment simulator (a pending attempt).

Done once: a demo that already has payments or attempts is left alone.
"""

import datetime
import logging
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from invoicing.choices import InvoiceKind, InvoiceStatus, PaymentMeans, PaymentMode
from invoicing.models import Invoice, Payment, PaymentAttempt, Regie
from invoicing.payments.errors import PaymentError
from invoicing.payments.providers.simulator import simulator_enabled
from invoicing.services.counter import counter_payment_record
from invoicing.services.deposits import deposit_slip_create
from invoicing.services.online import attempt_start, payment_request_open
from invoicing.services.sepa import mandate_request, mandate_validate
from portal_features.models import Family, PortalPage
from portal_features.portal.urls import portal_path

from .families import STAFF_EMAIL
from .invoicing import without_commit_callbacks

logger = logging.getLogger(__name__)
SITE = "http://localhost"
CREDIT = Decimal("15.00")


def _family(email: str) -> Family | None:
    return Family.objects.filter(guardians__user__email=email).first()


def _open_invoices(family, regie=None):
    invoices = Invoice.objects.filter(
        family=family, kind=InvoiceKind.INVOICE, status=InvoiceStatus.ISSUED
    ).order_by("due_on", "pk")
    if regie is not None:
        invoices = invoices.filter(regie=regie)
    return [invoice for invoice in invoices if invoice.remaining > 0]


def _after_issue(invoice: Invoice, now: datetime.datetime, days: int) -> datetime.datetime:
    """A few days after the invoice was issued, never after now."""
    return min(invoice.issued_at + datetime.timedelta(days=days), now)


def _dupont(family, regies, staff, now) -> None:
    peri = regies.get("PERI")
    if peri is not None and (owed := _open_invoices(family, peri)):
        invoice = owed[0]
        at = _after_issue(invoice, now, 5)
        cheque = counter_payment_record(
            regie=peri,
            family=family,
            mode=PaymentMode.CHEQUE,
            amount=invoice.remaining,
            actor=staff,
            invoices=[invoice],
            payer_name="Claire Dupont",
            cheque_bank="Crédit Agricole Centre Loire",
            cheque_number="0012457",
            now=at,
        )
        deposit_slip_create(
            regie=peri, actor=staff, mode=PaymentMode.CHEQUE, payments=[cheque], now=at
        )
    if owed := _open_invoices(family):
        invoice = owed[-1]  # the newest, not yet due
        counter_payment_record(
            regie=invoice.regie,
            family=family,
            mode=PaymentMode.CASH,
            amount=max((invoice.remaining / 2).quantize(Decimal("1")), Decimal("1.00")),
            actor=staff,
            invoices=[invoice],
            now=_after_issue(invoice, now, 7),
        )
    if peri is not None and PaymentMeans.DIRECT_DEBIT in peri.payment_means:
        mandate = mandate_request(
            family=family,
            regie=peri,
            account_holder="Claire Dupont",
            iban="FR76 3000 6000 0112 3456 7890 189",
            bic="AGRIFRPP",
            now=now - datetime.timedelta(days=2),
        )
        mandate_validate(mandate=mandate, actor=staff, now=now - datetime.timedelta(days=1))


def _roussel(family, regies, staff, now) -> None:
    peri = regies.get("PERI")
    if peri is None:
        return
    owed = _open_invoices(family, peri)
    total = sum((invoice.remaining for invoice in owed), Decimal("0.00"))
    counter_payment_record(
        regie=peri,
        family=family,
        mode=PaymentMode.CASH,
        amount=total + CREDIT,
        actor=staff,
        payer_name="Thomas Roussel",
        now=max([_after_issue(invoice, now, 3) for invoice in owed], default=now),
    )


SIMULATOR_OFF = (
    "Demo online payment not opened: the demo pays only at the payment simulator (its "
    "invoices and its PayFiP or Systempay numbers are made up, no real provider may see "
    "them), and the simulator is off. For a demonstration site, set "
    "PAYMENT_SIMULATOR_ENABLED=True and, outside DEBUG, PAYMENT_SIMULATOR_ALLOWED_IN_PRODUCTION"
    "=True; PAYMENT_PROVIDER=simulator-payfip lets families pay there too."
)


def demo_provider() -> str | None:
    """Where the demo's card payment is opened: the simulator, speaking the protocol of the
    configured provider, never the real one (the DGFiP or the bank would be sent a made-up
    client number and invoice); None while the simulator is off (production's default)."""
    configured = settings.PAYMENT_PROVIDER
    if not simulator_enabled():
        return None
    if configured.startswith("simulator"):
        return configured
    return "simulator-systempay" if configured in ("systempay", "payzen") else "simulator-payfip"


def _martin(family, regies, now) -> None:
    """A card payment of MARTIN's newest « périscolaire » invoice, opened at the simulator."""
    peri = regies.get("PERI")
    owed = _open_invoices(family, peri) if peri is not None else []
    if not owed:
        return
    provider = demo_provider()
    if provider is None:
        logger.warning(SIMULATOR_OFF)
        return
    invoice = owed[-1]
    attempt = payment_request_open(
        family=family,
        invoice_ids=[invoice.pk],
        user=family.guardians.filter(user__isnull=False).first().user,
        email="paul.martin@example.fr",
        provider=provider,
        now=now,
    )
    portal = PortalPage.objects.live().first()
    base = f"{SITE}{portal.url}" if portal is not None else f"{SITE}/"
    return_url = base + portal_path("invoicing:payment_return", attempt.request.number)
    notify_url = SITE + reverse("payment_notification", args=[attempt.provider])
    try:
        attempt_start(attempt=attempt, return_url=return_url, notify_url=notify_url, now=now)
    except PaymentError as error:  # the simulator refused it: left as is, and said why
        logger.warning("Demo online payment not opened: %s", error)


@transaction.atomic
def ensure_payments(demo, *, now: datetime.datetime | None = None) -> None:
    now = now or timezone.now()
    if Payment.objects.exists() or PaymentAttempt.objects.exists():
        return
    staff = get_user_model().objects.filter(email=STAFF_EMAIL).first()
    regies = {regie.code: regie for regie in Regie.objects.all()}
    with without_commit_callbacks():
        if dupont := _family("claire.dupont@example.fr"):
            _dupont(dupont, regies, staff, now)
        if roussel := _family("thomas.roussel@example.fr"):
            _roussel(roussel, regies, staff, now)
        if martin := _family("paul.martin@example.fr"):
            _martin(martin, regies, now)
    logger.info("Demo payments: %s recorded", Payment.objects.count())
