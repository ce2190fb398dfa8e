"""SEPA direct debit: the family's mandate (asked from the portal, validated by staff), the
debit date printed on each invoice, the régie's debit batches as pain.008 files, and the
bank's rejects.

- A family asks (`mandate_request`): IBAN and BIC checked by schwifty, a RUM numbered without
  gaps per régie (`mandate:<code>` series), status `requested`; one requested or active
  mandate per family and régie (partial UNIQUE). Staff validate or refuse it; the family is
  told. An active mandate unused for 36 months lapses (`mandates_lapse`, and checked again
  when a batch is built).
- An issued invoice of a family with an active mandate gets its debit date
  (`Invoice.debit_on`, `debit_dates_assign`): its date + the régie's `debit_days` (≥ 14, the
  pre-notification), set once, before its PDF is rendered, so that the PDF prints it.
- A batch (`debit_batch_create`) takes the régie's invoices whose debit date is the
  collection date and which still owe: each is paid by a `direct_debit` payment received on
  that date (its receipt number), one line per invoice; the pain.008 file is built and
  checked against its schema by `invoicing.exports.sepa` inside the same transaction, so a
  file that cannot be built leaves nothing behind. The mandate's next debit becomes RCUR.
- A reject (`debit_reject_record`) cancels that payment with the bank's reason, which
  reopens the invoice, and tells the family; a rejected first debit is presented as first
  again next time.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from core.states import is_allowed
from core.time import local_today

from ..choices import (
    MANDATE_TRANSITIONS,
    MandateSequence,
    MandateStatus,
    MoneyAction,
    PaymentMeans,
    PaymentMode,
)
from ..errors import InvoicingError
from ..exports.errors import ExportError
from ..exports.sepa import CreditorData, DebitBatchData, DebitData, build_pain008
from ..models import DebitBatch, DebitBatchLine, Invoice, Mandate, PaymentRequestInvoice, Regie
from ..notify_payments import tell_debit_rejected, tell_mandate_decided
from ..numbering import next_number, regie_numbered
from ..payments.errors import PaymentRequestInvalid
from ..payments.sepa_fields import SequenceType, clean_bic, clean_iban, mandate_lapses_on
from .events import money_event_record, user_or_none
from .payments import _sum_of, payment_cancel, payment_record

ZERO = Decimal("0.00")
RUM_FORMAT = "RUM-{regie}-{yyyy}-{seq:06}"
BATCH_NUMBER_FORMAT = "P{regie}-{yy}-{seq:06}"


def _move(mandate: Mandate, to_status: str) -> None:
    if not is_allowed(MANDATE_TRANSITIONS, mandate.status, to_status):
        raise InvoicingError(
            _("This mandate is %(status)s: it can no longer be %(action)s.")
            % {
                "status": mandate.get_status_display().lower(),
                "action": MandateStatus(to_status).label.lower(),
            }
        )
    mandate.status = to_status


def mandate_request(
    *,
    family,
    regie: Regie,
    account_holder: str,
    iban: str,
    bic: str = "",
    signed_on: datetime.date | None = None,
    now: datetime.datetime | None = None,
) -> Mandate:
    """The family asks to pay the régie's invoices by direct debit (staff validate)."""
    now = now or timezone.now()
    if PaymentMeans.DIRECT_DEBIT not in regie.payment_means:
        raise InvoicingError(
            _("Régie %(regie)s does not offer direct debit.") % {"regie": regie.name}
        )
    account_holder = (account_holder or "").strip()
    if not account_holder:
        raise InvoicingError(_("Give the name of the account holder."))
    try:
        iban = clean_iban(iban)
        bic = clean_bic(bic) if (bic or "").strip() else ""
    except PaymentRequestInvalid as error:
        raise InvoicingError(error.message) from error
    with transaction.atomic():
        if Mandate.objects.filter(
            regie=regie, family=family, status__in=[MandateStatus.REQUESTED, MandateStatus.ACTIVE]
        ).exists():
            raise InvoicingError(
                _("You already have a direct debit mandate (or a request) for this régie.")
            )
        year = local_today(now).year
        rum, _sequence = next_number("mandate", RUM_FORMAT, regie=regie, year=year)
        return Mandate.objects.create(
            regie=regie,
            family=family,
            rum=rum,
            account_holder=account_holder[:70],
            iban=iban,
            bic=bic,
            signed_on=signed_on or local_today(now),
            requested_at=now,
        )


def mandate_validate(*, mandate: Mandate, actor, now=None) -> Mandate:
    return _decide(mandate=mandate, to_status=MandateStatus.ACTIVE, actor=actor, now=now)


def mandate_refuse(*, mandate: Mandate, reason: str, actor, now=None) -> Mandate:
    reason = (reason or "").strip()
    if not reason:
        raise InvoicingError(_("Say why the mandate is refused: the family reads it."))
    return _decide(
        mandate=mandate, to_status=MandateStatus.REFUSED, actor=actor, now=now, reason=reason
    )


def _decide(*, mandate, to_status, actor, now=None, reason=""):
    now = now or timezone.now()
    with transaction.atomic():
        mandate = Mandate.objects.select_for_update().get(pk=mandate.pk)
        before = mandate.status
        _move(mandate, to_status)
        mandate.decided_at = now
        mandate.decided_by = user_or_none(actor)
        mandate.refusal_reason = reason
        mandate.save(update_fields=["status", "decided_at", "decided_by", "refusal_reason"])
        money_event_record(
            action=MoneyAction.MANDATE_VALIDATED
            if to_status == MandateStatus.ACTIVE
            else MoneyAction.MANDATE_REFUSED,
            actor=actor,
            at=now,
            regie_id=mandate.regie_id,
            family_id=mandate.family_id,
            before={"mandate": mandate.rum, "status": before},
            after={"status": to_status},
            note=reason,
        )
        tell_mandate_decided(
            mandate=mandate, accepted=to_status == MandateStatus.ACTIVE, reason=reason, now=now
        )
    return mandate


def mandates_lapse(*, now=None) -> int:
    """Active mandates unused for 36 months lapse (cron, daily). Returns how many."""
    today = local_today(now or timezone.now())
    lapsed = 0
    for mandate in Mandate.objects.filter(status=MandateStatus.ACTIVE):
        lapses_on = mandate_lapses_on(
            signed_on=mandate.signed_on, last_debit_on=mandate.last_debit_on
        )
        if lapses_on <= today:
            lapsed += Mandate.objects.filter(pk=mandate.pk, status=MandateStatus.ACTIVE).update(
                status=MandateStatus.LAPSED, lapsed_on=lapses_on
            )
    return lapsed


def debit_dates_assign(*, regie: Regie, invoices=None) -> int:
    """Give a debit date to the régie's issued invoices of families with an active mandate
    that have none yet (call it in the finalising transaction, before the PDFs are made)."""
    families = Mandate.objects.filter(regie=regie, status=MandateStatus.ACTIVE).values("family_id")
    chosen = Invoice.objects.collected_by(regie).filter(
        debit_on__isnull=True,
        total__gt=0,
        family_id__in=families,
    )
    if invoices is not None:
        chosen = chosen.filter(pk__in=[getattr(i, "pk", i) for i in invoices])
    count = 0
    chosen = chosen.annotate(paid_amount=_sum_of({"invoice": OuterRef("pk")}, "invoice"))
    for invoice in chosen.only("pk", "issued_on", "total"):
        if invoice.total <= invoice.paid_amount:
            continue  # paid already (a credit note used at issue): nothing to debit
        count += Invoice.objects.filter(pk=invoice.pk, debit_on__isnull=True).update(
            debit_on=invoice.issued_on + datetime.timedelta(days=regie.debit_days)
        )
    return count


def _creditor(regie: Regie) -> CreditorData:
    if not (regie.sepa_iban and regie.sepa_ics):
        raise InvoicingError(
            _("Fill in the régie's IBAN, BIC and creditor identifier (ICS) first.")
        )
    return CreditorData(
        name=regie.name, iban=regie.sepa_iban, bic=regie.sepa_bic, ics=regie.sepa_ics
    )


def debit_batch_create(
    *, regie: Regie, collection_date: datetime.date, actor, now=None
) -> DebitBatch:
    """Debit, on `collection_date`, the régie's invoices that print that date and still owe,
    under their family's active mandate. Refused when there is nothing to debit."""
    now = now or timezone.now()
    creditor = _creditor(regie)
    with transaction.atomic():
        candidates = (
            Invoice.objects.collected_by(regie)
            .filter(
                debit_on=collection_date,
            )
            .exclude(
                pk__in=DebitBatchLine.objects.filter(rejected_at__isnull=True).values("invoice_id")
            )
            .exclude(pk__in=PaymentRequestInvoice.objects.filter(active=True).values("invoice_id"))
        )
        ids = list(candidates.select_for_update().order_by("pk").values_list("pk", flat=True))
        rows = list(
            Invoice.objects.filter(pk__in=ids)
            .annotate(paid_amount=_sum_of({"invoice": OuterRef("pk")}, "invoice"))
            .select_related("family")
            .order_by("pk")
        )
        mandates = {
            m.family_id: m
            for m in Mandate.objects.select_for_update().filter(
                regie=regie,
                status=MandateStatus.ACTIVE,
                family_id__in={row.family_id for row in rows},
            )
        }
        for family_id, mandate in list(mandates.items()):
            lapses_on = mandate_lapses_on(
                signed_on=mandate.signed_on, last_debit_on=mandate.last_debit_on
            )
            if lapses_on <= collection_date:
                Mandate.objects.filter(pk=mandate.pk).update(
                    status=MandateStatus.LAPSED, lapsed_on=lapses_on
                )
                del mandates[family_id]
        todo = [
            (invoice, mandates[invoice.family_id], invoice.total - invoice.paid_amount)
            for invoice in rows
            if invoice.family_id in mandates and invoice.total > invoice.paid_amount
        ]
        if not todo:
            raise InvoicingError(
                _("No invoice to debit on %(date)s.")
                % {"date": collection_date.strftime("%d/%m/%Y")}
            )
        batch = DebitBatch.objects.create(
            **regie_numbered("debit_batch", BATCH_NUMBER_FORMAT, regie=regie, now=now, actor=actor),
            collection_date=collection_date,
            total=sum((amount for _i, _m, amount in todo), ZERO),
            xml=b"",
        )
        lines, debits = [], []
        for invoice, mandate, amount in todo:
            payment = payment_record(
                regie=regie,
                family=invoice.family,
                mode=PaymentMode.DIRECT_DEBIT,
                amount=amount,
                actor=actor,
                received_on=collection_date,
                invoices=[invoice],
                reference=batch.number,
                now=now,
            )
            lines.append(
                DebitBatchLine(
                    batch=batch,
                    invoice=invoice,
                    mandate=mandate,
                    payment=payment,
                    amount=amount,
                    sequence=mandate.sequence,
                )
            )
            debits.append(
                DebitData(
                    end_to_end_id=invoice.number,
                    amount=amount,
                    debtor_name=mandate.account_holder,
                    iban=mandate.iban,
                    bic=mandate.bic,
                    mandate_id=mandate.rum,
                    mandate_signed_on=mandate.signed_on,
                    sequence=SequenceType(mandate.sequence),
                    collection_date=collection_date,
                    pre_notified_on=invoice.issued_on,
                    description=f"Facture {invoice.number}",
                )
            )
        DebitBatchLine.objects.bulk_create(lines)
        try:
            batch.xml = build_pain008(
                DebitBatchData(
                    message_id=batch.number, creditor=creditor, debits=tuple(debits), created_at=now
                )
            )
        except ExportError as error:
            raise InvoicingError(error.message) from error
        batch.save(update_fields=["xml"])
        Mandate.objects.filter(pk__in={m.pk for _i, m, _a in todo}).update(
            sequence=MandateSequence.RECURRENT, last_debit_on=collection_date
        )
        money_event_record(
            action=MoneyAction.DEBIT_BATCH_CREATED,
            actor=actor,
            at=now,
            regie=regie,
            after={
                "batch": batch.number,
                "collection_date": collection_date.isoformat(),
                "total": str(batch.total),
                "invoices": {i.number: str(a) for i, _m, a in todo},
            },
        )
    return batch


def debit_reject_record(*, line: DebitBatchLine, reason: str, actor, now=None) -> DebitBatchLine:
    """The bank rejected this debit: its payment is cancelled with the reason (the invoice
    owes again) and the family is told."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise InvoicingError(
            _("Give the bank's reason for the reject (e.g. AM04, insufficient funds).")
        )
    with transaction.atomic():
        line = (
            DebitBatchLine.objects.select_for_update()
            .select_related("invoice__family", "mandate", "payment")
            .get(pk=line.pk)
        )
        if line.rejected_at is not None:
            raise InvoicingError(_("This debit is already recorded as rejected."))
        payment_cancel(
            payment=line.payment,
            reason=_("Direct debit rejected by the bank: %(reason)s") % {"reason": reason},
            actor=actor,
            now=now,
        )
        line.rejected_at = now
        line.reject_reason = reason[:255]
        line.save(update_fields=["rejected_at", "reject_reason"])
        if line.sequence == MandateSequence.FIRST:
            Mandate.objects.filter(pk=line.mandate_id).update(sequence=MandateSequence.FIRST)
        money_event_record(
            action=MoneyAction.DEBIT_REJECTED,
            actor=actor,
            at=now,
            regie_id=line.invoice.regie_id,
            family_id=line.invoice.family_id,
            invoice_id=line.invoice_id,
            before={"payment": line.payment.number, "amount": str(line.amount)},
            after={"rejected": True},
            note=reason,
        )
        tell_debit_rejected(invoice=line.invoice, amount=line.amount, reason=reason, now=now)
    return line
