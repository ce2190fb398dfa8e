"""Cheque deposit slips (« bordereaux de remise »): the régie's cheques not yet handed to the
bank, gathered on one numbered slip. Its number comes from the kernel's gapless counter
(`deposit_slip:<code>`, per civil year); a cheque on a slip can no longer be cancelled
(`payment_cancel` refuses, and a CHECK in the database)."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.time import local_today

from ..choices import MoneyAction, PaymentMode, PaymentStatus
from ..errors import InvoicingError
from ..models import DepositSlip, Payment, Regie
from ..numbering import next_number
from .events import money_event_record, user_or_none

SLIP_NUMBER_FORMAT = "B{regie}-{yy}-{seq:06}"
DEPOSITABLE = (PaymentMode.CHEQUE, PaymentMode.CASH)


def deposit_slip_create(
    *,
    regie: Regie,
    actor,
    mode: str = PaymentMode.CHEQUE,
    payments=None,
    deposited_on: datetime.date | None = None,
    now: datetime.datetime | None = None,
) -> DepositSlip:
    """Gather the régie's valid `mode` payments not yet on a slip (or those of `payments`
    among them) on a new numbered slip. Refused when there is none."""
    now = now or timezone.now()
    if mode not in DEPOSITABLE:
        raise InvoicingError(_("A deposit slip gathers cheques or cash."))
    with transaction.atomic():
        candidates = Payment.objects.filter(
            regie=regie, mode=mode, status=PaymentStatus.VALID, deposit_slip__isnull=True
        )
        if payments is not None:
            candidates = candidates.filter(pk__in=[getattr(p, "pk", p) for p in payments])
        # Locked: a cancellation at the same time waits, then sees the slip.
        ids = list(candidates.select_for_update().order_by("pk").values_list("pk", flat=True))
        if payments is not None and len(ids) != len({getattr(p, "pk", p) for p in payments}):
            raise InvoicingError(
                _("Some of these payments are cancelled, of another means or already on a slip.")
            )
        if not ids:
            raise InvoicingError(_("There is nothing to deposit."))
        year = local_today(now).year
        number, _sequence = next_number("deposit_slip", SLIP_NUMBER_FORMAT, regie=regie, year=year)
        slip = DepositSlip.objects.create(
            regie=regie,
            number=number,
            mode=mode,
            created_at=now,
            created_by=user_or_none(actor),
            deposited_on=deposited_on or local_today(now),
        )
        Payment.objects.filter(pk__in=ids).update(deposit_slip=slip)
        numbers = list(
            Payment.objects.filter(pk__in=ids).order_by("number").values_list("number", flat=True)
        )
        money_event_record(
            action=MoneyAction.DEPOSIT_SLIP_CREATED,
            actor=actor,
            at=now,
            regie=regie,
            after={"slip": slip.number, "mode": mode, "payments": numbers},
        )
    return slip


def deposit_slip_rows(slip: DepositSlip) -> list[Payment]:
    return list(slip.payments.select_related("family").order_by("cheque_bank", "number"))
