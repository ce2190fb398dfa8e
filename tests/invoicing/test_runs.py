"""A month billed from draft to finalisation, then corrected: the run, its documents, their
numbers and the credits, as real rows."""

import datetime
from decimal import Decimal

import pytest

from core.models import Counter
from invoicing.choices import InvoiceKind, InvoiceStatus, MoneyAction, RunKind, RunStatus
from invoicing.errors import InvoicingError
from invoicing.models import Allocation, Invoice, InvoiceLine, InvoicingRun, MoneyEvent
from invoicing.services import (
    invoice_cancel,
    run_corrective,
    run_draft,
    run_finalize,
)
from invoicing.services import runs as run_services

from .conftest import (
    DEC_WEDNESDAYS,
    DECEMBER,
    IN_DECEMBER,
    IN_JANUARY,
    NOV_WEDNESDAYS,
    NOVEMBER,
)
from .provider import BillingAlert

pytestmark = pytest.mark.django_db


def draft(billing, month=NOVEMBER, now=IN_DECEMBER):
    return run_draft(
        regie=billing.regie, month=month, actor=billing.staff, now=now, sources=billing.provider
    )


def corrective(billing, month=NOVEMBER, now=IN_DECEMBER):
    return run_corrective(
        regie=billing.regie, month=month, actor=billing.staff, now=now, sources=billing.provider
    )


def finalize(billing, run, now=IN_DECEMBER):
    return run_finalize(run=run, actor=billing.staff, now=now)


def two_families(billing):
    dupont, (lea,) = billing.add_family(name="DUPONT")
    martin, (nathan,) = billing.add_family(name="MARTIN")
    billing.book_days(dupont, lea, NOV_WEDNESDAYS)
    billing.book_days(martin, nathan, NOV_WEDNESDAYS[:2])
    return dupont, lea, martin, nathan


def test_the_draft_lists_every_line_per_family_without_numbers(billing):
    dupont, lea, martin, _ = two_families(billing)

    run = draft(billing)

    assert run.status == RunStatus.DRAFT and run.kind == RunKind.REGULAR
    invoices = {i.family_id: i for i in Invoice.objects.filter(run=run)}
    assert set(invoices) == {dupont.pk, martin.pk}
    assert invoices[dupont.pk].total == Decimal("48.80")
    assert invoices[martin.pk].total == Decimal("24.40")
    assert all(i.number is None and i.status == InvoiceStatus.DRAFT for i in invoices.values())
    lines = list(invoices[dupont.pk].lines.order_by("day"))
    assert [line.day for line in lines] == NOV_WEDNESDAYS
    line = lines[0]
    assert (line.child_id, line.unit_id, line.quantity, line.unit_price, line.amount) == (
        lea.pk,
        billing.unit.pk,
        1,
        Decimal("12.20"),
        Decimal("12.20"),
    )
    assert line.explanation == "QF 850 – tranche 3 : 700 ≤ QF < 1 000"
    assert line.pricing["qf"] == "850"
    assert line.source_key == f"{line.reservation_id}:childcare"
    assert run.summary["lines"] == 6 and run.summary["total_invoiced"] == "73.20"
    assert billing.provider.calls.count("pricing_context") == 1


def test_running_the_draft_again_replaces_it(billing):
    dupont, lea, _martin, _ = two_families(billing)
    first = draft(billing)
    billing.book(dupont, lea, datetime.date(2026, 11, 28))

    second = draft(billing)

    assert not InvoicingRun.objects.filter(pk=first.pk).exists()
    assert InvoicingRun.objects.filter(status=RunStatus.DRAFT).count() == 1
    assert Invoice.objects.filter(run=second, family=dupont).get().total == Decimal("61.00")
    assert InvoiceLine.objects.count() == 7
    event = MoneyEvent.objects.filter(run=second).get()
    assert event.action == MoneyAction.RUN_DRAFTED and event.actor == billing.staff
    assert event.before["replaced_run"] == first.pk and event.before["total_invoiced"] == "73.20"
    assert event.after["total_invoiced"] == "85.40"


def test_finalisation_numbers_the_invoices_in_order_and_dates_them(billing):
    dupont, _, martin, _ = two_families(billing)

    run = finalize(billing, draft(billing))

    assert run.status == RunStatus.FINALIZED and run.finalized_by == billing.staff
    by_family = {i.family_id: i for i in Invoice.objects.filter(run=run)}
    assert by_family[dupont.pk].number == "FALSH-26-000001"
    assert by_family[martin.pk].number == "FALSH-26-000002"
    invoice = by_family[dupont.pk]
    assert invoice.status == InvoiceStatus.ISSUED
    assert invoice.issued_on == datetime.date(2026, 12, 3)
    assert invoice.due_on == datetime.date(2027, 1, 2)
    assert invoice.payer["name"] == "DUPONT"
    assert invoice.regie_snapshot["siret"] == billing.regie.siret
    assert Counter.objects.get(scope="invoice:ALSH", year=2026).last_value == 2
    assert run.summary["numbers"] == {"invoice": ["FALSH-26-000001", "FALSH-26-000002"]}
    assert MoneyEvent.objects.filter(run=run, action=MoneyAction.RUN_FINALIZED).exists()


def test_a_finalised_run_is_not_finalised_again_nor_drafted_again(billing):
    two_families(billing)
    run = finalize(billing, draft(billing))

    with pytest.raises(InvoicingError, match="déjà finalisée"):
        finalize(billing, run)
    with pytest.raises(InvoicingError, match="facturation corrective"):
        draft(billing)
    assert Counter.objects.get(scope="invoice:ALSH", year=2026).last_value == 2


def test_a_corrective_run_needs_a_finalised_month(billing):
    two_families(billing)
    with pytest.raises(InvoicingError, match="facturation mensuelle"):
        corrective(billing)


def test_a_late_excused_absence_gives_a_credit_note_that_pays_the_invoice(billing):
    dupont, lea, _martin, _ = two_families(billing)
    finalize(billing, draft(billing))
    invoice = Invoice.objects.get(family=dupont)
    excused = invoice.lines.order_by("day").last().reservation
    billing.provider.free(excused)  # the medical certificate arrived late: excused

    run = finalize(billing, corrective(billing), now=IN_DECEMBER + datetime.timedelta(days=2))

    credit_note = Invoice.objects.get(run=run)
    assert credit_note.kind == InvoiceKind.CREDIT_NOTE
    assert credit_note.number == "AALSH-26-000001"
    assert credit_note.total == Decimal("-12.20")
    (line,) = credit_note.lines.all()
    assert (line.reservation_id, line.quantity, line.unit_price, line.amount) == (
        excused.pk,
        -1,
        Decimal("12.20"),
        Decimal("-12.20"),
    )
    (allocation,) = Allocation.objects.all()
    assert (allocation.invoice, allocation.credit_note, allocation.amount) == (
        invoice,
        credit_note,
        Decimal("12.20"),
    )
    invoice = Invoice.objects.get(pk=invoice.pk)
    assert invoice.remaining == Decimal("36.60")
    assert invoice.total == Decimal("48.80")  # never edited


def test_a_walk_in_added_later_gives_an_additional_invoice_and_nothing_twice(billing):
    dupont, lea, martin, nathan = two_families(billing)
    finalize(billing, draft(billing))
    billing.provider.situation_prices["walk_in"] = Decimal("15.00")
    walk_in = billing.book(martin, nathan, NOV_WEDNESDAYS[3], situation="walk_in", walk_in=True)

    run = finalize(billing, corrective(billing))

    (extra,) = Invoice.objects.filter(run=run)
    assert extra.kind == InvoiceKind.INVOICE and extra.family == martin
    assert extra.number == "FALSH-26-000003"
    assert [(line.reservation_id, line.amount) for line in extra.lines.all()] == [
        (walk_in.pk, Decimal("15.00"))
    ]

    again = finalize(billing, corrective(billing))

    assert not Invoice.objects.filter(run=again).exists()
    assert again.summary["families"] == 0
    assert Counter.objects.get(scope="invoice:ALSH", year=2026).last_value == 3


def test_a_price_change_takes_back_the_old_line_and_bills_the_new_one(billing):
    dupont, lea, _martin, _ = two_families(billing)
    finalize(billing, draft(billing))
    billing.provider.unit_prices[billing.unit.pk] = Decimal("9.00")  # QF proven afterwards

    run = corrective(billing)

    credit_note = Invoice.objects.get(run=run, family=dupont)
    assert credit_note.kind == InvoiceKind.CREDIT_NOTE
    assert credit_note.total == Decimal("-12.80")  # 4 × (9.00 − 12.20)
    amounts = sorted((line.quantity, line.unit_price) for line in credit_note.lines.all())
    assert amounts == [(-1, Decimal("12.20"))] * 4 + [(1, Decimal("9.00"))] * 4


def test_below_the_minimum_the_lines_carry_over_to_next_month(billing):
    billing.provider.unit_prices[billing.unit.pk] = Decimal("3.50")
    small, (tom,) = billing.add_family(name="PETIT")
    billing.book(small, tom, NOV_WEDNESDAYS[0])

    november = finalize(billing, draft(billing))

    carried = Invoice.objects.get(run=november)
    assert carried.status == InvoiceStatus.CARRIED and carried.number is None
    assert november.summary["alerts"][0]["kind"] == "below_minimum"
    assert not Counter.objects.filter(scope="invoice:ALSH").exists()

    billing.book(small, tom, DEC_WEDNESDAYS[0])
    december = finalize(billing, draft(billing, DECEMBER, IN_JANUARY), IN_JANUARY)

    invoice = Invoice.objects.get(run=december)
    assert invoice.status == InvoiceStatus.ISSUED and invoice.number == "FALSH-27-000001"
    assert invoice.total == Decimal("7.00")
    assert sorted(line.day for line in invoice.lines.all()) == [
        NOV_WEDNESDAYS[0],
        DEC_WEDNESDAYS[0],
    ]
    carried.refresh_from_db()
    assert carried.carried_into == invoice and carried.carried_over_at == IN_JANUARY

    # The carried day is billed once: a corrective run of November finds nothing to do.
    assert not Invoice.objects.filter(run=finalize(billing, corrective(billing))).exists()


def test_a_credit_note_pays_the_oldest_open_invoice_first(billing):
    dupont, lea, _martin, _ = two_families(billing)
    finalize(billing, draft(billing))
    december = billing.book_days(dupont, lea, DEC_WEDNESDAYS)
    finalize(billing, draft(billing, DECEMBER, IN_JANUARY), IN_JANUARY)
    for reservation in december:
        billing.provider.free(reservation)  # the commune cancelled December's Wednesdays

    run = finalize(billing, corrective(billing, DECEMBER, IN_JANUARY), IN_JANUARY)

    credit_note = Invoice.objects.get(run=run)
    assert credit_note.total == Decimal("-36.60")
    (allocation,) = Allocation.objects.all()
    assert allocation.invoice.month == NOVEMBER  # the oldest, not December's own
    assert allocation.amount == Decimal("36.60")
    assert MoneyEvent.objects.filter(action=MoneyAction.CREDIT_APPLIED, family=dupont).exists()


def test_a_failure_half_way_leaves_no_final_invoice_and_no_number_used(billing, monkeypatch):
    two_families(billing)
    run = draft(billing)

    def broken(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(run_services, "credits_apply", broken)
    with pytest.raises(RuntimeError):
        finalize(billing, run)

    run.refresh_from_db()
    assert run.status == RunStatus.DRAFT
    assert not Invoice.objects.exclude(status=InvoiceStatus.DRAFT).exists()
    assert not Invoice.objects.filter(number__isnull=False).exists()
    assert not Counter.objects.filter(scope="invoice:ALSH").exists()

    monkeypatch.undo()
    finalize(billing, run)
    assert sorted(Invoice.objects.values_list("sequence", flat=True)) == [1, 2]


def test_cancelling_an_invoice_then_correcting_prints_the_replacement(billing):
    dupont, lea, _martin, _ = two_families(billing)
    finalize(billing, draft(billing))
    invoice = Invoice.objects.get(family=dupont)

    with pytest.raises(InvoicingError, match="pourquoi"):
        invoice_cancel(invoice=invoice, reason=" ", actor=billing.staff, now=IN_DECEMBER)
    credit_note = invoice_cancel(
        invoice=invoice, reason="Mauvais payeur", actor=billing.staff, now=IN_DECEMBER
    )

    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.CANCELLED and invoice.total == Decimal("48.80")
    assert credit_note.corrects == invoice and credit_note.total == Decimal("-48.80")
    assert credit_note.number == "AALSH-26-000001"
    assert credit_note.lines.count() == 4
    assert Allocation.objects.get().invoice == invoice
    assert MoneyEvent.objects.filter(action=MoneyAction.INVOICE_CANCELLED).get().note == (
        "Mauvais payeur"
    )
    with pytest.raises(InvoicingError):
        invoice_cancel(invoice=invoice, reason="encore", actor=billing.staff)
    with pytest.raises(InvoicingError, match="Un avoir"):
        invoice_cancel(invoice=credit_note, reason="non", actor=billing.staff)

    run = finalize(billing, corrective(billing))

    replacement = Invoice.objects.get(run=run)
    assert replacement.replaces == invoice
    assert replacement.total == Decimal("48.80") and replacement.number == "FALSH-26-000003"


def test_a_draft_computed_before_a_cancellation_is_refused(billing):
    dupont, lea, _martin, _ = two_families(billing)
    finalize(billing, draft(billing))
    invoice = Invoice.objects.get(family=dupont)
    billing.provider.free(invoice.lines.first().reservation)
    stale = corrective(billing)
    invoice_cancel(invoice=invoice, reason="Erreur", actor=None)

    with pytest.raises(InvoicingError, match="préparez-le de nouveau"):
        finalize(billing, stale)
    assert not Invoice.objects.filter(run=stale, number__isnull=False).exists()


def test_alerts_are_listed_with_the_draft(billing):
    dupont, lea, _martin, _ = two_families(billing)
    billing.provider.families_without_qf.add(dupont.pk)
    billing.provider.alerts.append(
        BillingAlert(
            kind="absence_undecided",
            family_id=dupont.pk,
            child_id=lea.pk,
            day=NOV_WEDNESDAYS[1],
            message="Absence déclarée non décidée",
        )
    )

    run = draft(billing)

    kinds = {alert["kind"]: alert for alert in run.summary["alerts"]}
    assert kinds["absence_undecided"]["day"] == "2026-11-11"
    assert kinds["qf_missing"]["family_id"] == dupont.pk
    assert "4" in kinds["qf_missing"]["message"]
    line = Invoice.objects.get(run=run, family=dupont).lines.first()
    assert line.explanation == "Sans QF valide – tarif le plus élevé"


def test_two_months_of_one_regie_finalise_independently(billing):
    dupont, lea, _martin, _ = two_families(billing)
    billing.book_days(dupont, lea, DEC_WEDNESDAYS)
    november = draft(billing)
    december = draft(billing, DECEMBER, IN_JANUARY)

    finalize(billing, december, IN_JANUARY)
    finalize(billing, november, IN_JANUARY)

    assert sorted(Invoice.objects.values_list("number", flat=True)) == [
        "FALSH-27-000001",
        "FALSH-27-000002",
        "FALSH-27-000003",
    ]
