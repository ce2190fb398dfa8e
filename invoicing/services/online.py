"""Online payment, exactly once.

1. `payment_request_open`: the family names invoices; with them locked, each is checked
   payable (its own, issued, still owing, not handed to the Trésor, not past the online
   deadline, not being paid by another open request) and the amount is what they owe now.
   The request is numbered; its attempt is created.
2. `attempt_start`: the provider opens the payment (outside any transaction: it is a network
   call); the attempt keeps its reference (UNIQUE) and is pending.
3. The outcome arrives through the notification, the family's return and the reconciliation
   job (`reconcile_payments`), in any order and any number of times. Each ends in
   `attempt_settle`, which locks the attempt's row, records what it heard, moves the state
   (`choices.ATTEMPT_TRANSITIONS`) and, on the first « paid », records the one payment.
   `Payment.attempt` is unique: the database refuses a second one even if a caller forgot
   the lock. A « paid » after refused, abandoned or expired is recorded and flagged; a paid
   attempt never moves again.

PayFiP's notification is only a trigger: `attempt_refresh` asks `fetch_status` (outside the
lock: a network call) and settles with the answer. A handler that fails after the provider
took the money leaves the attempt pending; the reconciliation settles it later.
"""

import datetime
import logging
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.states import is_allowed
from core.time import local_now, local_today

from ..choices import (
    ATTEMPT_OPEN,
    ATTEMPT_OVER,
    ATTEMPT_TRANSITIONS,
    AttemptSource,
    AttemptState,
    InvoiceKind,
    InvoiceStatus,
    MoneyAction,
    PaymentMode,
)
from ..errors import InvoicingError
from ..models import (
    Invoice,
    PaymentAttempt,
    PaymentAttemptEvent,
    PaymentRequest,
    PaymentRequestInvoice,
)
from ..numbering import regie_numbered
from ..payments.errors import PaymentError
from ..payments.providers import (
    CreatedPayment,
    ExpectedPayment,
    PaymentMethod,
    PaymentRequestData,
    PaymentState,
    Provider,
    ProviderStatus,
    get_provider,
)
from .events import money_event_record
from .payments import open_invoices_locked, payment_record

logger = logging.getLogger("invoicing.payments")

ZERO = Decimal("0.00")
REQUEST_NUMBER_FORMAT = "DP-{regie}-{yyyy}-{seq:06}"
# The reconciliation asks about attempts still open this long after they were opened…
RECONCILE_AFTER = datetime.timedelta(minutes=5)
# …and gives up on those whose provider cannot be asked (Systempay: Lyra retries its
# notification meanwhile) or never opened. A « paid » arriving later is still recorded.
GIVE_UP_AFTER = datetime.timedelta(hours=1)
# Attempts expired this recently are asked again (PayFiP answers for a year; its
# notification may never come).
RECHECK_EXPIRED_FOR = datetime.timedelta(hours=3)
PROVIDER_STATES = {
    PaymentState.PAID: AttemptState.PAID,
    PaymentState.REFUSED: AttemptState.REFUSED,
    PaymentState.ABANDONED: AttemptState.ABANDONED,
    PaymentState.EXPIRED: AttemptState.EXPIRED,
    PaymentState.PENDING: AttemptState.PENDING,
}


PROVIDER_KEYS = ("payfip", "systempay", "payzen", "simulator-payfip", "simulator-systempay")


def provider_for(key: str) -> Provider:
    """`payfip`, `systempay`, `payzen`, `simulator-payfip` or `simulator-systempay`."""
    if key not in PROVIDER_KEYS:
        raise ValueError(f"Unknown payment provider {key!r}; known: {', '.join(PROVIDER_KEYS)}.")
    if key.startswith("simulator"):
        _name, _sep, protocol = key.partition("-")
        return get_provider("simulator", {"protocol": protocol or "payfip"})
    return get_provider(key)


def online_deadline(invoice: Invoice) -> datetime.date:
    """The last day an invoice can be paid online: its due date, plus the régie's days."""
    return invoice.due_on + datetime.timedelta(days=invoice.regie.online_payment_days)


def refusal_reason(invoice: Invoice, *, owed: Decimal, today: datetime.date, held: bool):
    """Why the family cannot pay `invoice` online today, or None."""
    if invoice.kind != InvoiceKind.INVOICE or invoice.status != InvoiceStatus.ISSUED:
        return _("Invoice %(number)s cannot be paid.")
    if invoice.handed_over_at is not None:
        return _(
            "Invoice %(number)s was handed over to the Trésor public: pay it as its notice says."
        )
    if owed <= 0:
        return _("Invoice %(number)s is already paid.")
    if held:
        return _(
            "Invoice %(number)s is already being paid. If you left the payment page, try again "
            "in a few minutes."
        )
    if today > online_deadline(invoice):
        return _("Invoice %(number)s can no longer be paid online: pay it at the régie's counter.")
    return None


def payable_invoice_ids(*, invoices, today: datetime.date) -> set[int]:
    """Which of the family's `invoices` (read by the selectors) it may choose to pay online
    today, by the same rules as `payment_request_open` (which decides again under lock)."""
    candidates = [i for i in invoices if i.kind == InvoiceKind.INVOICE]
    held = set(
        PaymentRequestInvoice.objects.filter(
            invoice__in=[i.pk for i in candidates], active=True
        ).values_list("invoice_id", flat=True)
    )
    return {
        invoice.pk
        for invoice in candidates
        if refusal_reason(invoice, owed=invoice.remaining, today=today, held=invoice.pk in held)
        is None
    }


def payment_request_open(
    *, family, invoice_ids, user=None, email: str = "", provider: str | None = None, now=None
) -> PaymentAttempt:
    """Open a request for the family's chosen invoices and its attempt; amounts, ownership and
    payability are computed here. Another family's invoice raises Invoice.DoesNotExist."""
    now = now or timezone.now()
    today = local_today(now)
    ids = sorted({int(pk) for pk in invoice_ids})
    if not ids:
        raise InvoicingError(_("Choose at least one invoice to pay."))
    provider = provider or settings.PAYMENT_PROVIDER
    with transaction.atomic():
        invoices = list(
            Invoice.objects.select_for_update(of=("self",))
            .select_related("regie")
            .filter(family=family, pk__in=ids)
            .order_by("pk")
        )
        if len(invoices) != len(ids):
            raise Invoice.DoesNotExist
        regies = {invoice.regie_id for invoice in invoices}
        if len(regies) > 1:
            raise InvoicingError(_("Pay the invoices of one régie at a time."))
        regie = invoices[0].regie
        owed = {
            row["pk"]: row["left"]
            for row in open_invoices_locked(regie=regie, family=family, invoice_ids=ids)
        }
        held = set(
            PaymentRequestInvoice.objects.filter(invoice__in=ids, active=True).values_list(
                "invoice_id", flat=True
            )
        )
        for invoice in invoices:
            reason = refusal_reason(
                invoice, owed=owed.get(invoice.pk, ZERO), today=today, held=invoice.pk in held
            )
            if reason:
                raise InvoicingError(reason % {"number": invoice.number})
        amount = sum(owed.values(), ZERO)
        request = PaymentRequest.objects.create(
            **regie_numbered(
                "payment_request", REQUEST_NUMBER_FORMAT, regie=regie, now=now, actor=user
            ),
            family=family,
            amount=amount,
            email=email,
        )
        PaymentRequestInvoice.objects.bulk_create(
            [
                PaymentRequestInvoice(request=request, invoice=invoice, amount=owed[invoice.pk])
                for invoice in invoices
            ]
        )
        return PaymentAttempt.objects.create(
            request=request, provider=provider, amount=amount, created_at=now, updated_at=now
        )


def _release(attempt: PaymentAttempt) -> None:
    PaymentRequestInvoice.objects.filter(request_id=attempt.request_id, active=True).update(
        active=False
    )


def attempt_start(
    *, attempt: PaymentAttempt, return_url: str, notify_url: str, now=None
) -> CreatedPayment:
    """Open the attempt at its provider (a network call, outside any transaction) and keep its
    reference. A provider that refuses gives up the attempt and frees its invoices."""
    now = now or timezone.now()
    request = attempt.request
    numbers = list(request.invoices.order_by("pk").values_list("number", flat=True))
    data = PaymentRequestData(
        reference=request.number,
        amount=attempt.amount,
        email=request.email,
        subject=_("Invoices %(numbers)s") % {"numbers": " ".join(numbers)},
        return_url=return_url,
        notify_url=notify_url,
        year=request.year,
    )
    try:
        created = provider_for(attempt.provider).create(data, now=now)
    except PaymentError as error:
        with transaction.atomic():
            locked = PaymentAttempt.objects.select_for_update().get(pk=attempt.pk)
            before = locked.state
            if locked.state == AttemptState.CREATED:
                locked.state = AttemptState.ABANDONED
                locked.updated_at = now
                locked.save(update_fields=["state", "updated_at"])
                _release(locked)
            _event(locked, AttemptSource.OPENED, "", before, note=str(error.message), now=now)
        raise
    with transaction.atomic():
        locked = PaymentAttempt.objects.select_for_update().get(pk=attempt.pk)
        before = locked.state
        locked.provider_ref = created.provider_ref
        if locked.state == AttemptState.CREATED:
            locked.state = AttemptState.PENDING
        locked.updated_at = now
        locked.save(update_fields=["provider_ref", "state", "updated_at"])
        _event(locked, AttemptSource.OPENED, "", before, raw=dict(created.sent), now=now)
    attempt.provider_ref, attempt.state = locked.provider_ref, locked.state
    return created


def _event(attempt, source, reported, before, *, raw=None, note="", now) -> None:
    PaymentAttemptEvent.objects.create(
        attempt=attempt,
        at=now,
        source=source,
        reported=reported,
        state_before=before,
        state_after=attempt.state,
        raw={str(k): str(v) for k, v in (raw or {}).items()},
        note=note[:255],
    )


def _locked_attempt(attempt_id: int) -> PaymentAttempt:
    """The attempt's row, locked until commit: two settlements of one attempt queue here."""
    return (
        PaymentAttempt.objects.select_for_update(of=("self",))
        .select_related("request", "request__regie", "request__family")
        .get(pk=attempt_id)
    )


def attempt_settle(
    *, attempt_id: int, status: ProviderStatus, source: str, now=None
) -> PaymentAttempt:
    """Apply what the provider says about an attempt; safe to call any number of times, in
    any order. The first « paid » records the payment; later ones change nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        attempt = _locked_attempt(attempt_id)
        before = attempt.state
        target = PROVIDER_STATES.get(status.state)
        note = ""
        if target == AttemptState.PAID and before != AttemptState.PAID:
            if status.amount is not None and status.amount != attempt.amount:
                attempt.needs_review = True
                attempt.review_note = _(
                    "The provider reports %(paid)s € instead of %(asked)s €."
                ) % {"paid": status.amount, "asked": attempt.amount}
                note = "amount_differs"
                logger.error("Attempt %s paid %s, not %s", attempt, status.amount, attempt.amount)
            else:
                _pay(attempt, status, now=now)
                if before in ATTEMPT_OVER:
                    note = "paid_after_" + before
        elif target is not None and is_allowed(ATTEMPT_TRANSITIONS, before, target):
            attempt.state = target
            if target in ATTEMPT_OVER:
                _release(attempt)
        elif target is None:
            note = "unknown_state"
        elif target != before:
            note = "ignored"  # a paid attempt never moves; an over one only to paid
        attempt.updated_at = now
        attempt.save()
        _event(attempt, source, str(status.state), before, raw=status.raw, note=note, now=now)
    return attempt


def _pay(attempt: PaymentAttempt, status: ProviderStatus, *, now) -> None:
    request = attempt.request
    previous = attempt.state
    late = previous in ATTEMPT_OVER
    paid_at = status.paid_at or now
    attempt.state = AttemptState.PAID
    attempt.paid_at = paid_at
    attempt.transaction_id = (status.transaction_id or "")[:64]
    payment = payment_record(
        regie=request.regie,
        family=request.family,
        mode=(
            PaymentMode.ONLINE_DEBIT
            if status.method == PaymentMethod.DIRECT_DEBIT
            else PaymentMode.ONLINE_CARD
        ),
        amount=attempt.amount,
        actor=None,
        received_on=local_now(paid_at).date(),
        invoices=list(request.items.values_list("invoice_id", flat=True)),
        reference=attempt.transaction_id,
        attempt=attempt,
        now=now,
    )
    _release(attempt)
    if late:
        attempt.needs_review = True
        attempt.review_note = _(
            "Paid after the attempt was marked %(state)s: check the payment %(number)s."
        ) % {"state": AttemptState(previous).label.lower(), "number": payment.number}
        money_event_record(
            action=MoneyAction.ONLINE_PAID_LATE,
            actor=None,
            at=now,
            regie=request.regie,
            family=request.family,
            before={"attempt": attempt.provider_ref},
            after={"payment": payment.number, "amount": str(payment.amount)},
        )
        logger.warning("Attempt %s paid after it was over: payment %s", attempt, payment)


def expected_payment(provider_key: str):
    """What a signed notification must match, looked up by provider reference."""

    def lookup(provider_ref: str) -> ExpectedPayment | None:
        attempt = (
            PaymentAttempt.objects.filter(provider=provider_key, provider_ref=provider_ref)
            .only("amount")
            .first()
        )
        return None if attempt is None else ExpectedPayment(amount=attempt.amount)

    return lookup


def attempt_refresh(*, attempt: PaymentAttempt, source: str, raw=None, now=None) -> PaymentAttempt:
    """Ask the provider where the attempt stands (when it can be asked) and settle with the
    answer. A paid attempt is not asked again; what was heard (`raw`) is recorded anyway."""
    now = now or timezone.now()
    provider = provider_for(attempt.provider)
    attempt.refresh_from_db()
    if attempt.state == AttemptState.PAID or not attempt.provider_ref:
        _event(attempt, source, "", attempt.state, raw=raw, note="not_asked", now=now)
        return attempt
    if not provider.can_fetch_status:
        _event(attempt, source, "", attempt.state, raw=raw, note="cannot_ask", now=now)
        return attempt
    status = provider.fetch_status(attempt.provider_ref, created_at=attempt.created_at, now=now)
    return attempt_settle(attempt_id=attempt.pk, status=status, source=source, now=now)


def attempts_reconcile(*, now=None) -> dict[str, int]:
    """The cron's sweep: ask about attempts open for a few minutes and those expired lately;
    give up on those that cannot be asked after an hour. Returns counts for the log."""
    now = now or timezone.now()
    counts = {"asked": 0, "given_up": 0, "failed": 0}
    open_attempts = PaymentAttempt.objects.open().filter(created_at__lte=now - RECONCILE_AFTER)
    recent_expired = PaymentAttempt.objects.filter(
        state=AttemptState.EXPIRED, created_at__gte=now - RECHECK_EXPIRED_FOR
    )
    for attempt in (open_attempts | recent_expired).order_by("created_at", "pk"):
        try:
            provider = provider_for(attempt.provider)
            if attempt.provider_ref and provider.can_fetch_status:
                attempt_refresh(attempt=attempt, source=AttemptSource.RECONCILIATION, now=now)
                counts["asked"] += 1
            elif attempt.state in ATTEMPT_OPEN and attempt.created_at <= now - GIVE_UP_AFTER:
                attempt_settle(
                    attempt_id=attempt.pk,
                    status=ProviderStatus(
                        state=PaymentState.EXPIRED, raw={"reason": "no news from the provider"}
                    ),
                    source=AttemptSource.RECONCILIATION,
                    now=now,
                )
                counts["given_up"] += 1
        except Exception:  # one provider's failure must not stop the sweep
            logger.exception("Reconciliation of attempt %s failed", attempt.pk)
            counts["failed"] += 1
    return counts
