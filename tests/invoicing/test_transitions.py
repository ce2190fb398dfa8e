"""The runs' and documents' state machines hold: each allowed move is made by the service
that performs it, every forbidden move is refused by the one transition function. The
forbidden pairs are computed from the tables in `invoicing.choices`."""

import pytest

from core.states import allowed_pairs
from invoicing.choices import (
    CREDIT_NOTE_TRANSITIONS,
    INVOICE_TRANSITIONS,
    RUN_TRANSITIONS,
    InvoiceKind,
    InvoiceStatus,
    RunStatus,
)
from invoicing.errors import InvoicingError
from invoicing.models import Invoice, InvoicingRun
from invoicing.services import invoice_cancel, run_corrective, run_draft, run_finalize
from invoicing.services.transitions import transition
from tests.transitions import Coverage, assert_covered, forbidden

from .conftest import IN_DECEMBER, NOV_WEDNESDAYS, NOVEMBER

pytestmark = pytest.mark.django_db


EVERY_MOVE = "test_every_allowed_move_is_made_by_a_service"
TRANSITION_COVERAGE = {
    "invoicing.run": Coverage(dict.fromkeys(allowed_pairs(RUN_TRANSITIONS), EVERY_MOVE)),
    "invoicing.invoice": Coverage(dict.fromkeys(allowed_pairs(INVOICE_TRANSITIONS), EVERY_MOVE)),
    "invoicing.credit_note": Coverage(
        dict.fromkeys(allowed_pairs(CREDIT_NOTE_TRANSITIONS), EVERY_MOVE)
    ),
}


def test_every_allowed_move_is_declared():
    assert_covered(globals())


@pytest.mark.parametrize(("origin", "target"), forbidden("invoicing.run"))
def test_forbidden_run_moves_are_refused(origin, target):
    run = InvoicingRun(pk=1, status=origin)
    with pytest.raises(InvoicingError):
        transition(instance=run, to_status=target)
    assert run.status == origin


@pytest.mark.parametrize(
    ("kind", "origin", "target"),
    [(InvoiceKind.INVOICE, origin, target) for origin, target in forbidden("invoicing.invoice")]
    + [
        (InvoiceKind.CREDIT_NOTE, origin, target)
        for origin, target in forbidden("invoicing.credit_note")
    ],
)
def test_forbidden_document_moves_are_refused(kind, origin, target):
    document = Invoice(pk=1, kind=kind, status=origin)
    with pytest.raises(InvoicingError):
        transition(instance=document, to_status=target)
    assert document.status == origin


def test_every_allowed_move_is_made_by_a_service(billing):
    """draft → finalized (run); draft → issued, draft → carried, issued → cancelled
    (invoice); draft → issued (credit note)."""
    family, (child,) = billing.add_family()
    small, (tom,) = billing.add_family()
    billing.book_days(family, child, NOV_WEDNESDAYS)
    reservation = billing.book(small, tom, NOV_WEDNESDAYS[0])
    billing.provider.unit_prices[billing.unit.pk] = 2
    run = run_draft(regie=billing.regie, month=NOVEMBER, actor=None, sources=billing.provider)
    assert run.status == RunStatus.DRAFT
    assert set(Invoice.objects.values_list("status", flat=True)) == {InvoiceStatus.DRAFT}

    run = run_finalize(run=run, actor=None, now=IN_DECEMBER)

    assert run.status == RunStatus.FINALIZED
    assert Invoice.objects.get(family=family).status == InvoiceStatus.ISSUED  # 8,00 €
    assert Invoice.objects.get(family=small).status == InvoiceStatus.CARRIED  # 2,00 €
    credit_note = invoice_cancel(
        invoice=Invoice.objects.get(family=family), reason="Erreur", actor=None, now=IN_DECEMBER
    )
    assert Invoice.objects.get(family=family, kind="invoice").status == InvoiceStatus.CANCELLED
    assert credit_note.status == InvoiceStatus.ISSUED
    billing.provider.free(reservation)
    corrective = run_corrective(
        regie=billing.regie, month=NOVEMBER, actor=None, sources=billing.provider
    )
    assert corrective.status == RunStatus.DRAFT


def test_the_transition_tables_cover_every_status():
    assert set(RUN_TRANSITIONS) - {None} == set(RunStatus.values)
    assert set(INVOICE_TRANSITIONS) - {None} == set(InvoiceStatus.values)
    assert set(CREDIT_NOTE_TRANSITIONS) - {None} == set(InvoiceStatus.values) - {
        "carried",
        "cancelled",
    }
