"""Payments taken at the counter: cheques, cash, transfers, CESU and chèques-vacances (ANCV).

Vouchers pay only some charges, written down here in one table (`VOUCHER_RULES`):

- CESU pays the care (never meals, penalties or other charges) of périscolaire activities
  (school days, every weekday) at any age, and of holiday activities for a child under 6 on
  the day;
- ANCV chèques-vacances pay the care and the meals of holiday activities, nothing else.

An activity is « holidays » when its calendar is `holidays` (reservations' ActivityCalendar),
otherwise périscolaire. What a voucher may still pay on an invoice is the sum of its eligible
lines, less what that same means already paid there, and never more than the invoice still
owes; it is computed with the invoices locked, in the recording transaction. An amount above
it is refused (a voucher gives no change and no credit); cash, cheques and transfers pay
anything, and what they leave over is the family's credit.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.money import format_euros

from ..choices import InvoiceKind, InvoiceStatus, LineKind, PaymentMode, PaymentStatus
from ..errors import InvoicingError
from ..models import Allocation, Invoice, InvoiceLine, Payment, Regie
from .payments import payment_record

ZERO = Decimal("0.00")
HOLIDAYS = "holidays"  # reservations.choices.ActivityCalendar.HOLIDAYS
COUNTER_MODES = frozenset(
    {
        PaymentMode.CASH,
        PaymentMode.CHEQUE,
        PaymentMode.TRANSFER,
        PaymentMode.CESU,
        PaymentMode.ANCV,
    }
)
VOUCHER_MODES = frozenset({PaymentMode.CESU, PaymentMode.ANCV})


def sixth_birthday(birth_date: datetime.date) -> datetime.date:
    try:
        return birth_date.replace(year=birth_date.year + 6)
    except ValueError:  # born on 29 February: six on 1 March
        return datetime.date(birth_date.year + 6, 3, 1)


def _cesu_pays(*, kind: str, holidays: bool, day: datetime.date, birth_date) -> bool:
    if kind != LineKind.CHILDCARE:
        return False
    return not holidays or day < sixth_birthday(birth_date)


def _ancv_pays(*, kind: str, holidays: bool, day: datetime.date, birth_date) -> bool:
    return holidays and kind in (LineKind.CHILDCARE, LineKind.MEAL)


VOUCHER_RULES = {PaymentMode.CESU: _cesu_pays, PaymentMode.ANCV: _ancv_pays}


def line_eligible(*, mode: str, kind: str, calendar: str | None, day, birth_date) -> bool:
    """Whether a voucher of `mode` may pay an invoice line (no activity: never)."""
    if calendar is None:
        return False
    return VOUCHER_RULES[mode](
        kind=kind, holidays=calendar == HOLIDAYS, day=day, birth_date=birth_date
    )


def voucher_eligible(*, mode: str, invoice_ids) -> dict[int, Decimal]:
    """{invoice id: what a voucher of `mode` may still pay on it}, before capping at what
    the invoice still owes (payment_record does that)."""
    eligible = dict.fromkeys(invoice_ids, ZERO)
    lines = InvoiceLine.objects.filter(invoice_id__in=invoice_ids).values_list(
        "invoice_id", "kind", "amount", "day", "child__birth_date", "activity__calendar"
    )
    for invoice_id, kind, amount, day, birth_date, calendar in lines:
        if line_eligible(mode=mode, kind=kind, calendar=calendar, day=day, birth_date=birth_date):
            eligible[invoice_id] += amount
    already = (
        Allocation.objects.filter(
            invoice_id__in=invoice_ids, payment__mode=mode, payment__status=PaymentStatus.VALID
        )
        .values("invoice_id")
        .annotate(s=Sum("amount"))
        .values_list("invoice_id", "s")
    )
    for invoice_id, paid in already:
        eligible[invoice_id] -= paid
    return {pk: max(value, ZERO) for pk, value in eligible.items()}


def counter_payment_record(
    *,
    regie: Regie,
    family,
    mode: str,
    amount: Decimal,
    actor,
    invoices=None,
    received_on: datetime.date | None = None,
    payer_name: str = "",
    cheque_bank: str = "",
    cheque_number: str = "",
    reference: str = "",
    now: datetime.datetime | None = None,
) -> Payment:
    """Record money handed at the counter, to `invoices` (the family's, in this régie) or
    else its open invoices oldest due first. A voucher (CESU, ANCV) is capped at what it may
    still pay on them; above, a French error says the cap. Returns the payment (`shares`)."""
    now = now or timezone.now()
    if mode not in COUNTER_MODES:
        raise InvoicingError(
            _("At the counter, choose cash, a cheque, a transfer, CESU or holiday vouchers.")
        )
    if mode not in regie.payment_means:
        raise InvoicingError(
            _("Régie %(regie)s does not accept this means of payment: %(mode)s.")
            % {"regie": regie.name, "mode": PaymentMode(mode).label}
        )
    with transaction.atomic():
        limits = None
        if mode in VOUCHER_MODES:
            chosen = Invoice.objects.filter(regie=regie, family=family, kind=InvoiceKind.INVOICE)
            if invoices is not None:
                chosen = chosen.filter(pk__in=[getattr(i, "pk", i) for i in invoices])
            # Locked before reading what was paid: two counters at once queue here.
            ids = list(chosen.select_for_update().order_by("pk").values_list("pk", flat=True))
            owed = {
                row["pk"]: row for row in Invoice.objects.filter(pk__in=ids).values("pk", "total")
            }
            paid = dict(
                Allocation.objects.filter(invoice_id__in=ids)
                .values("invoice_id")
                .annotate(s=Sum("amount"))
                .values_list("invoice_id", "s")
            )
            open_ids = list(
                Invoice.objects.filter(
                    pk__in=ids, status=InvoiceStatus.ISSUED, handed_over_at__isnull=True
                ).values_list("pk", flat=True)
            )
            limits = voucher_eligible(mode=mode, invoice_ids=open_ids)
            cap = sum(
                (
                    min(limits[pk], owed[pk]["total"] - paid.get(pk, ZERO))
                    for pk in open_ids
                    if owed[pk]["total"] > paid.get(pk, ZERO)
                ),
                ZERO,
            )
            if isinstance(amount, Decimal) and amount > cap:
                raise InvoicingError(
                    _(
                        "%(mode)s can pay at most %(cap)s of these invoices: %(amount)s is "
                        "too much. Take the rest by another means."
                    )
                    % {
                        "mode": PaymentMode(mode).label,
                        "cap": format_euros(cap),
                        "amount": format_euros(amount),
                    }
                )
        return payment_record(
            regie=regie,
            family=family,
            mode=mode,
            amount=amount,
            actor=actor,
            received_on=received_on,
            invoices=invoices,
            payer_name=payer_name,
            cheque_bank=cheque_bank,
            cheque_number=cheque_number,
            reference=reference,
            limits=limits,
            now=now,
        )
