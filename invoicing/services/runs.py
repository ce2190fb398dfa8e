"""Invoicing runs: prepare a régie's month as a draft, finalise it, correct it later.

A run bills the difference between what its days should cost and what was already billed
for them (`lines.lines_to_bill`). For a month billed the first time that is every line;
for a corrective run, only what changed since: a late excused absence is taken back by a
credit note, a walk-in added later is billed by an additional invoice, and nothing twice.

The entry points and finalising are here; computing a draft is `runs_drafting.draft_build`
(set-based: a constant number of queries, whatever the number of families).

The minimum amount: a family whose monthly invoice would be below the régie's minimum gets
none; its draft is kept as "carried" and the next monthly run bills its days again with the
new month. Corrective runs bill whatever the amount (they correct issued documents) and
leave alone families whose month is still carried.
"""

import datetime
import logging
from collections import defaultdict

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.time import month_start

from ..choices import (
    InvoiceKind,
    InvoiceStatus,
    MoneyAction,
    RunKind,
    RunStatus,
)
from ..errors import InvoicingError
from ..models import Invoice, InvoicingRun, Regie
from ..notify import documents_published
from ..sources import BillingSources, default_sources
from .credits import credits_apply
from .events import money_event_record, user_or_none
from .issuing import documents_issue, months_lock, queue_pdfs
from .runs_drafting import draft_build, totals_of
from .sepa import debit_dates_assign
from .transitions import transition

logger = logging.getLogger(__name__)


def run_draft(
    *, regie: Regie, month: datetime.date, actor, now=None, sources: BillingSources | None = None
) -> InvoicingRun:
    """Prepare (or prepare again) the monthly run of `regie` for `month`."""
    return _prepare(
        regie=regie, month=month, kind=RunKind.REGULAR, actor=actor, now=now, sources=sources
    )


def run_corrective(
    *, regie: Regie, month: datetime.date, actor, now=None, sources: BillingSources | None = None
) -> InvoicingRun:
    """Prepare a corrective run of a finalised month: what changed since it was billed."""
    return _prepare(
        regie=regie, month=month, kind=RunKind.CORRECTIVE, actor=actor, now=now, sources=sources
    )


def _prepare(*, regie, month, kind, actor, now, sources) -> InvoicingRun:
    """A draft of `kind` with the régie locked: a monthly run once the month is not invoiced
    yet, a corrective run once it is (correcting that monthly run)."""
    now = now or timezone.now()
    month = month_start(month)
    with transaction.atomic():
        regie = Regie.objects.select_for_update().get(pk=regie.pk)
        regular = InvoicingRun.objects.filter(
            regie=regie, month=month, kind=RunKind.REGULAR, status=RunStatus.FINALIZED
        ).first()
        if kind == RunKind.REGULAR and regular is not None:
            raise InvoicingError(
                _("%(month)s is already invoiced for this régie: run a corrective run.")
                % {"month": f"{month:%m/%Y}"}
            )
        if kind == RunKind.CORRECTIVE and regular is None:
            raise InvoicingError(
                _("%(month)s has not been invoiced yet for this régie: run the monthly run first.")
                % {"month": f"{month:%m/%Y}"}
            )
        return draft_build(
            regie=regie,
            month=month,
            kind=kind,
            corrects=regular if kind == RunKind.CORRECTIVE else None,
            actor=actor,
            now=now,
            sources=sources or default_sources(),
        )


def run_finalize(*, run: InvoicingRun, actor, now=None) -> InvoicingRun:
    """Issue the draft's documents in one transaction: numbers, dates, carried families,
    credits applied. A second finalisation waits for the first, then is refused. The PDFs
    are rendered by tasks once this has committed, never inside the locks."""
    now = now or timezone.now()
    with transaction.atomic():
        run = (
            InvoicingRun.objects.select_for_update(of=("self",))
            .select_related("regie")
            .get(pk=run.pk)
        )
        if run.status != RunStatus.DRAFT:
            raise InvoicingError(_("This run is already finalized."))
        transition(instance=run, to_status=RunStatus.FINALIZED)
        regie = run.regie
        months_lock(regie=regie, basis=run.basis)
        drafts = list(
            Invoice.objects.filter(run=run, status=InvoiceStatus.DRAFT).order_by(
                "payer__name", "family_id", "pk"
            )
        )
        carried = []
        if run.kind == RunKind.REGULAR:
            carried = [
                d
                for d in drafts
                if d.kind == InvoiceKind.INVOICE and d.total < regie.minimum_amount
            ]
        carried_ids = {d.pk for d in carried}
        issued = [d for d in drafts if d.pk not in carried_ids]
        documents_issue(documents=issued, regie=regie, now=now)
        for document in carried:
            transition(instance=document, to_status=InvoiceStatus.CARRIED)
        Invoice.objects.filter(pk__in=carried_ids, status=InvoiceStatus.DRAFT).update(
            status=InvoiceStatus.CARRIED
        )
        _carry_over(run=run, documents=drafts, now=now)
        credits_apply(regie=regie, family_ids={d.family_id for d in issued}, actor=actor, now=now)
        # Before the PDFs (queued on commit): families paying by direct debit read its date.
        debit_dates_assign(regie=regie, invoices=[d.pk for d in issued])
        before = {"status": RunStatus.DRAFT, **totals_of(run.summary)}
        numbers = sorted((d.kind, d.sequence, d.number) for d in issued)
        run.finalized_at = now
        run.finalized_by = user_or_none(actor)
        run.summary = {
            **run.summary,
            "issued": len(issued),
            "carried_families": len(carried),
            "numbers": _number_ranges(numbers),
        }
        try:
            run.save(update_fields=["status", "finalized_at", "finalized_by", "summary"])
        except IntegrityError as error:
            raise InvoicingError(
                _("%(month)s is already invoiced for this régie.") % {"month": f"{run.month:%m/%Y}"}
            ) from error
        money_event_record(
            action=MoneyAction.RUN_FINALIZED,
            actor=actor,
            at=now,
            regie=regie,
            run=run,
            before=before,
            after={"status": RunStatus.FINALIZED, "numbers": run.summary["numbers"]},
        )
        issued_ids = [d.pk for d in issued]
        transaction.on_commit(lambda: queue_pdfs(issued_ids))
        transaction.on_commit(lambda: documents_published(issued_ids))
    logger.info("Run %s finalized: %s documents issued", run.pk, len(issued))
    return run


def _carry_over(*, run: InvoicingRun, documents: list[Invoice], now) -> None:
    """The carried invoices this run billed again point to where their lines went now."""
    if not run.carried_in:
        return
    new_by_family = {d.family_id: d.pk for d in documents}
    pending = Invoice.objects.filter(
        pk__in=run.carried_in, status=InvoiceStatus.CARRIED, carried_over_at__isnull=True
    )
    by_target = defaultdict(list)
    for pk, family_id in pending.values_list("pk", "family_id"):
        by_target[new_by_family.get(family_id)].append(pk)
    for target, pks in by_target.items():
        Invoice.objects.filter(pk__in=pks).update(carried_into_id=target, carried_over_at=now)


def _number_ranges(numbers) -> dict:
    ranges = {}
    for kind, _sequence, number in numbers:
        first_last = ranges.setdefault(kind, [number, number])
        first_last[1] = number
    return ranges
