"""Drafting a run: what a régie's month should bill, as draft invoices and credit notes.

A run bills the difference between what its days should cost and what was already billed
for them (`lines.lines_to_bill`). Set-based: the billable days, their prices (through one
preloaded pricing context), the families, children and units, what was billed and the drafts
are each read or written in a constant number of queries, whatever the number of families.
Regular runs bill again the days of families carried from earlier months; corrective runs
leave alone the families whose month is still carried.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import Min, Q
from django.utils.translation import gettext as _
from wagtail.models import Site

from cms.models import CommuneSettings
from core.french import address_lines
from core.money import money
from core.time import month_start, next_month_start
from portal_features.models import Child, Family, Guardian
from reservations.models import Unit

from ..choices import (
    NUMBERED,
    InvoiceKind,
    InvoiceStatus,
    LineKind,
    MoneyAction,
    RunKind,
    RunStatus,
)
from ..lines import DraftLine, by_family, lines_to_bill, total_of
from ..models import Invoice, InvoiceLine, InvoicingRun, RegieActivity
from ..sources import alert_as_dict
from .events import money_event_record, user_or_none
from .issuing import lines_insert, months_basis
from .transitions import transition

ZERO = Decimal("0.00")
LINE_KINDS = frozenset(LineKind.values)


def draft_build(*, regie, month, kind, corrects, actor, now, sources) -> InvoicingRun:
    """The draft run of `kind` for the régie's month (the régie locked by the caller),
    replacing the previous draft of the same kind, with its documents, lines and summary."""
    start, end = month, next_month_start(month)
    replaced = _drop_draft(regie=regie, month=month, kind=kind)
    activity_ids = list(
        RegieActivity.objects.filter(regie=regie).values_list("activity_id", flat=True)
    )
    # Regular runs bill again the days of families carried from earlier months.
    carried_in, carried_from = [], {}
    if kind == RunKind.REGULAR:
        pending = Invoice.objects.filter(
            regie=regie,
            status=InvoiceStatus.CARRIED,
            carried_over_at__isnull=True,
            month__lt=month,
        )
        carried_in = list(pending.values_list("pk", flat=True))
        for family_id, first_day in (
            InvoiceLine.objects.filter(invoice__in=carried_in)
            .values_list("invoice__family_id")
            .annotate(first=Min("day"))
        ):
            carried_from[family_id] = month_start(first_day)
    # Corrective runs leave alone the families whose month is still carried.
    skipped = set()
    if kind == RunKind.CORRECTIVE:
        skipped = set(
            InvoiceLine.objects.filter(
                invoice__regie=regie,
                invoice__status=InvoiceStatus.CARRIED,
                invoice__carried_over_at__isnull=True,
                day__gte=start,
                day__lt=end,
            ).values_list("invoice__family_id", flat=True)
        )
    range_start = min([start, *carried_from.values()])

    def covered(family_id, day) -> bool:
        if family_id in skipped:
            return False
        return start <= day < end or carried_from.get(family_id, end) <= day < start

    days = [
        d
        for d in sources.billable_days(activity_ids=activity_ids, start=range_start, end=end)
        if covered(d.family_id, d.day)
    ]
    # A correction prices with the quotients known when the month was billed: a QF
    # recorded since never re-prices a finalised month.
    known_at = corrects.finalized_at if corrects is not None else None
    target, qf_missing = _priced_lines(
        days=days, sources=sources, start=range_start, end=end, known_at=known_at
    )
    billed = _billed_lines(
        regie=regie, start=start, end=end, carried_from=carried_from, skipped=skipped
    )
    to_bill = by_family(lines_to_bill(target=target, billed=billed))
    months = {start}
    for first in carried_from.values():
        months.update(_months_between(first, start))
    run = InvoicingRun(
        regie=regie,
        month=month,
        kind=kind,
        corrects=corrects,
        created_at=now,
        created_by=user_or_none(actor),
        basis=months_basis(regie=regie, months=months),
        carried_in=carried_in,
    )
    transition(instance=run, to_status=RunStatus.DRAFT)
    run.save()
    documents = _documents(
        run=run, regie=regie, month=month, lines_by_family=to_bill, kind=kind, now=now
    )
    alerts = _alerts(
        regie=regie,
        kind=kind,
        documents=documents,
        qf_missing=qf_missing,
        reservation_alerts=[
            alert
            for alert in sources.billing_alerts(activity_ids=activity_ids, start=start, end=end)
            if getattr(alert, "day", None) is None or start <= alert.day < end
        ],
    )
    run.summary = _summary(documents=documents, lines=to_bill, alerts=alerts)
    run.save(update_fields=["summary"])
    money_event_record(
        action=MoneyAction.RUN_DRAFTED,
        actor=actor,
        at=now,
        regie=regie,
        run=run,
        before=replaced,
        after=totals_of(run.summary),
    )
    return run


def _drop_draft(*, regie, month, kind) -> dict:
    """Delete the draft this one replaces (its documents were never issued); its totals go
    to the log as the "before"."""
    old = (
        InvoicingRun.objects.select_for_update()
        .filter(regie=regie, month=month, kind=kind, status=RunStatus.DRAFT)
        .first()
    )
    if old is None:
        return {}
    before = {"replaced_run": old.pk, **totals_of(old.summary)}
    InvoiceLine.objects.filter(invoice__run=old).delete()
    Invoice.objects.filter(run=old).delete()
    old.delete()
    return before


def _months_between(first: datetime.date, end: datetime.date):
    day = first
    while day < end:
        yield day
        day = next_month_start(day)


def _priced_lines(*, days, sources, start, end, known_at=None):
    families = Family.objects.in_bulk({d.family_id for d in days})
    children = Child.objects.in_bulk({d.child_id for d in days})
    units = Unit.objects.in_bulk({d.unit_id for d in days})
    context = sources.pricing_context(
        unit_ids=sorted(units),
        family_ids=sorted(families),
        start=start,
        end=end,
        known_at=known_at,
    )
    lines, qf_missing = [], defaultdict(list)
    for d in days:
        for price in sources.prices_for(
            family=families[d.family_id],
            child=children[d.child_id],
            unit=units[d.unit_id],
            day=d.day,
            situation=d.situation,
            context=context,
        ):
            kind = price.kind if price.kind in LINE_KINDS else LineKind.OTHER
            lines.append(
                DraftLine(
                    family_id=d.family_id,
                    child_id=d.child_id,
                    activity_id=d.activity_id,
                    unit_id=d.unit_id,
                    reservation_id=d.reservation_id,
                    day=d.day,
                    kind=kind,
                    situation=str(d.situation),
                    quantity=1,
                    unit_price=money(price.amount),
                    source_key=f"{d.reservation_id}:{price.kind}",
                    pricing=price.as_json(),
                    explanation=str(price.explanation())[:255],
                )
            )
            if price.qf_missing:
                qf_missing[d.family_id].append(d.day)
    return lines, qf_missing


def _billed_lines(*, regie, start, end, carried_from, skipped) -> list[DraftLine]:
    """What issued documents already billed for the days this run covers."""
    covered = Q(day__gte=start, day__lt=end)
    for family_id, first in carried_from.items():
        covered |= Q(invoice__family_id=family_id, day__gte=first, day__lt=start)
    rows = (
        InvoiceLine.objects.filter(covered, invoice__regie=regie, invoice__status__in=NUMBERED)
        .exclude(invoice__family_id__in=skipped)
        .values_list(
            "invoice__family_id",
            "child_id",
            "activity_id",
            "unit_id",
            "reservation_id",
            "day",
            "kind",
            "situation",
            "quantity",
            "unit_price",
            "source_key",
            "pricing",
            "explanation",
        )
    )
    return [DraftLine(*row) for row in rows]


def _documents(*, run, regie, month, lines_by_family, kind, now) -> list[Invoice]:
    """One draft document per payer family, with its lines (two bulk inserts)."""
    family_ids = sorted(lines_by_family)
    payers = _payers(family_ids)
    replaced = {}
    if kind == RunKind.CORRECTIVE:
        for pk, family_id in (
            Invoice.objects.filter(
                regie=regie,
                family_id__in=family_ids,
                kind=InvoiceKind.INVOICE,
                status=InvoiceStatus.CANCELLED,
                replaced_by__isnull=True,
                month=month,
            )
            .order_by("-issued_at", "-pk")
            .values_list("pk", "family_id")
        ):
            replaced[family_id] = pk
    snapshot = regie.snapshot(commune=_commune())
    documents = []
    for family_id in family_ids:
        total = total_of(lines_by_family[family_id])
        document_kind = InvoiceKind.INVOICE if total >= 0 else InvoiceKind.CREDIT_NOTE
        document = Invoice(
            run=run,
            regie=regie,
            family_id=family_id,
            kind=document_kind,
            month=month,
            total=total,
            payer=payers[family_id],
            regie_snapshot=snapshot,
            replaces_id=replaced.get(family_id) if document_kind == InvoiceKind.INVOICE else None,
            created_at=now,
        )
        transition(instance=document, to_status=InvoiceStatus.DRAFT)
        documents.append(document)
    Invoice.objects.bulk_create(documents, batch_size=1000)
    lines_insert(
        (document.pk, line)
        for document in documents
        for line in sorted(
            lines_by_family[document.family_id],
            key=lambda line: (line.child_id, line.day, line.source_key, line.quantity),
        )
    )
    return documents


def _payers(family_ids) -> dict[int, dict]:
    """What a document prints of its payer household, frozen at issue."""
    families = Family.objects.in_bulk(family_ids)
    guardians = {
        g.family_id: g for g in Guardian.objects.filter(family_id__in=family_ids, is_primary=True)
    }
    payers = {}
    for family_id, family in families.items():
        guardian = guardians.get(family_id)
        payers[family_id] = {
            "name": family.name,
            "number": family.number,
            "guardian": str(guardian) if guardian else "",
            "address": address_lines(family),
        }
    return payers


def _commune() -> dict:
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return {"name": "", "address": ""}
    settings = CommuneSettings.for_site(site)
    return {"name": settings.name, "address": settings.address}


def _alerts(*, regie, kind, documents, qf_missing, reservation_alerts) -> list[dict]:
    names = {d.family_id: d.payer.get("name", "") for d in documents}
    alerts = [alert_as_dict(alert) for alert in reservation_alerts]
    for family_id, days in sorted(qf_missing.items()):
        alerts.append(
            {
                "kind": "qf_missing",
                "family_id": family_id,
                "child_id": None,
                "day": min(days).isoformat(),
                "message": _(
                    "%(family)s: no valid quotient familial for %(count)s day(s); "
                    "the tariff without QF was applied."
                )
                % {"family": names.get(family_id, family_id), "count": len(days)},
            }
        )
    if kind == RunKind.REGULAR:
        for document in documents:
            if document.kind == InvoiceKind.INVOICE and document.total < regie.minimum_amount:
                alerts.append(
                    {
                        "kind": "below_minimum",
                        "family_id": document.family_id,
                        "child_id": None,
                        "day": None,
                        "message": _(
                            "%(family)s: %(total)s € is below the minimum of %(minimum)s €; "
                            "the lines carry over to next month."
                        )
                        % {
                            "family": document.payer.get("name", ""),
                            "total": document.total,
                            "minimum": regie.minimum_amount,
                        },
                    }
                )
    return alerts


def _summary(*, documents, lines, alerts) -> dict:
    invoiced = sum((d.total for d in documents if d.kind == InvoiceKind.INVOICE), ZERO)
    credited = sum((d.total for d in documents if d.kind == InvoiceKind.CREDIT_NOTE), ZERO)
    return {
        "families": len(documents),
        "invoices": sum(1 for d in documents if d.kind == InvoiceKind.INVOICE),
        "credit_notes": sum(1 for d in documents if d.kind == InvoiceKind.CREDIT_NOTE),
        "lines": sum(len(family_lines) for family_lines in lines.values()),
        "total_invoiced": str(invoiced),
        "total_credited": str(-credited),
        "alerts": alerts,
    }


def totals_of(summary: dict) -> dict:
    keys = ("families", "invoices", "credit_notes", "lines", "total_invoiced", "total_credited")
    return {key: summary[key] for key in keys if key in summary}
