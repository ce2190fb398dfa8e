"""Reminders of unpaid invoices, by alert and e-mail, as each régie sets them: one a few days
before the due date (`reminder_days_before`, 0 for none), then after it at each of
`reminder_days_after` (e.g. [10, 30]). Run daily by `send_payment_reminders`.

Never twice the same: a reminder is a row UNIQUE per invoice, stage and days, inserted in the
transaction that tells the family, so a second run (or two at once) finds it and sends
nothing. A run that missed days sends only the latest stage reached, not the ones it missed.
Nothing is sent for an invoice paid, cancelled or handed over to the Trésor.
"""

import datetime
import logging
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import OuterRef
from django.utils import timezone

from core.time import local_today

from ..choices import ReminderStage
from ..models import Invoice, PaymentReminder, Regie
from ..notify_payments import tell_payment_reminder
from .payments import _sum_of

logger = logging.getLogger(__name__)
ZERO = Decimal("0.00")


def reminder_due(
    *, due_on: datetime.date, today: datetime.date, days_before: int, days_after: list[int]
) -> tuple[str, int] | None:
    """Which reminder an unpaid invoice is owed today: (stage, days) or None."""
    if today <= due_on:
        if days_before and (due_on - today).days <= days_before:
            return (ReminderStage.BEFORE_DUE, days_before)
        return None
    reached = [days for days in sorted(set(days_after)) if (today - due_on).days >= days]
    return (ReminderStage.AFTER_DUE, reached[-1]) if reached else None


def reminders_send(*, now: datetime.datetime | None = None, regie: Regie | None = None) -> int:
    """Send today's reminders of every régie (or one); returns how many were sent."""
    now = now or timezone.now()
    today = local_today(now)
    sent = 0
    for current in [regie] if regie else Regie.objects.order_by("pk"):
        horizon = today + datetime.timedelta(days=current.reminder_days_before)
        rows = (
            Invoice.objects.collected_by(current)
            .filter(
                due_on__lte=horizon,
            )
            .annotate(paid_amount=_sum_of({"invoice": OuterRef("pk")}, "invoice"))
            .select_related("family")
            .order_by("due_on", "pk")
        )
        for invoice in rows:
            left = invoice.total - invoice.paid_amount
            if left <= 0:
                continue
            due = reminder_due(
                due_on=invoice.due_on,
                today=today,
                days_before=current.reminder_days_before,
                days_after=current.reminder_days_after or [],
            )
            if due is None:
                continue
            stage, days = due
            try:
                with transaction.atomic():
                    PaymentReminder.objects.create(
                        invoice=invoice, stage=stage, days=days, sent_at=now, amount=left
                    )
                    tell_payment_reminder(
                        invoice=invoice,
                        amount=left,
                        before_due=stage == ReminderStage.BEFORE_DUE,
                        now=now,
                    )
            except IntegrityError:
                continue  # already sent (by an earlier run, or one running now)
            sent += 1
            logger.info("Reminder %s %s sent for %s", stage, days, invoice.number)
    return sent
