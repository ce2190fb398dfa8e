"""The runs' screens as Enfance staff: prepare November, review the draft (lines, alerts,
totals), prepare it again (it replaces the draft), finalize after a confirmation (numbers
shown), then a corrective run; each step recorded in the money log."""

from decimal import Decimal

import pytest
from django.urls import reverse

from invoicing.choices import InvoiceKind, MoneyAction, RunKind, RunStatus
from invoicing.models import Invoice, InvoicingRun, MoneyEvent
from tests.invoicing.conftest import NOV_WEDNESDAYS
from tests.invoicing.provider import BillingAlert

pytestmark = pytest.mark.django_db

PREPARE = reverse("invoicing_invoicingrun_modeladmin_prepare")


def inspect_url(run):
    return reverse("invoicing_invoicingrun_modeladmin_inspect", args=[run.pk])


def action_url(action, run):
    return reverse(f"invoicing_invoicingrun_modeladmin_{action}", args=[run.pk])


def prepare(client, billing, month="2026-11", kind="regular"):
    return client.post(PREPARE, {"regie": billing.regie.pk, "month": month, "kind": kind})


def test_prepare_then_review_the_draft(staff_client, booked, enfance_user):
    booked.provider.families_without_qf.add(booked.families[1].pk)
    booked.provider.alerts.append(
        BillingAlert(
            kind="absence_undecided",
            family_id=booked.families[0].pk,
            child_id=None,
            day=NOV_WEDNESDAYS[2],
            message="Absence déclarée et pas encore décidée.",
        )
    )
    response = prepare(staff_client, booked)

    run = InvoicingRun.objects.get()
    assert response.status_code == 302 and response.url == inspect_url(run)
    assert run.status == RunStatus.DRAFT and run.created_by == enfance_user
    page = staff_client.get(inspect_url(run)).content.decode()
    # Per family its lines (child, day, unit, quantity, unit price, explanation), the
    # alerts (QF, undecided absence) and the totals.
    assert page.count('data-testid="run-family"') == 2
    assert "Arnaud" in page and "Bernard" in page
    assert "04/11/2026" in page and "12,20\u00a0€" in page and "QF 850" in page
    assert "Sans QF valide" in page
    assert "Quotient familial manquant ou expiré" in page
    assert "Absence non décidée" in page
    assert "Absence déclarée et pas encore décidée." in page
    # 2 × 4 + 2 days at 12.20 €.
    assert "122,00\u00a0€" in page
    assert "Valider définitivement" in page


def test_prepare_refuses_a_bad_month_and_shows_service_errors(staff_client, booked):
    response = prepare(staff_client, booked, month="2026-13")
    assert response.status_code == 200 and not InvoicingRun.objects.exists()

    # A corrective run of a month never invoiced: the service's message, nothing made.
    response = prepare(staff_client, booked, kind="corrective")
    assert response.status_code == 200
    assert "pas encore facturé pour cette régie" in response.content.decode()
    assert not InvoicingRun.objects.exists()


def test_run_again_replaces_the_draft(staff_client, booked):
    prepare(staff_client, booked)
    first = InvoicingRun.objects.get()
    family, (child,) = booked.add_family(name="Chevalier")
    booked.book_days(family, child, NOV_WEDNESDAYS[:1])

    confirm = staff_client.get(action_url("rerun", first))
    assert confirm.status_code == 200 and "remplace" in confirm.content.decode()
    response = staff_client.post(action_url("rerun", first))

    second = InvoicingRun.objects.get()
    assert second.pk != first.pk
    assert response.url == inspect_url(second)
    assert second.summary["families"] == 3
    assert Invoice.objects.filter(run=second).count() == 3
    drafted = MoneyEvent.objects.filter(action=MoneyAction.RUN_DRAFTED).order_by("pk")
    assert [e.before.get("replaced_run") for e in drafted] == [None, first.pk]


def test_finalize_asks_for_confirmation_then_shows_the_numbers(staff_client, booked, enfance_user):
    prepare(staff_client, booked)
    run = InvoicingRun.objects.get()

    confirm = staff_client.get(action_url("finalize", run))
    text = confirm.content.decode()
    assert confirm.status_code == 200
    assert "2 facture(s) pour 122,00 €" in text
    # Nothing happens on GET.
    run.refresh_from_db()
    assert run.status == RunStatus.DRAFT

    response = staff_client.post(action_url("finalize", run), follow=True)

    run.refresh_from_db()
    assert run.status == RunStatus.FINALIZED and run.finalized_by == enfance_user
    page = response.content.decode()
    assert "FALSH-26-000001 → FALSH-26-000002" in page
    numbers = sorted(Invoice.objects.filter(run=run).values_list("number", flat=True))
    assert numbers == ["FALSH-26-000001", "FALSH-26-000002"]
    event = MoneyEvent.objects.get(action=MoneyAction.RUN_FINALIZED)
    assert event.actor == enfance_user
    assert event.before["status"] == "draft" and event.after["status"] == "finalized"
    # Finalized: no more finalize or prepare-again button, a corrective run instead.
    assert "Valider définitivement" not in page
    assert "Préparer une facturation corrective" in page

    # A second finalisation is refused by the service, shown as an error.
    again = staff_client.post(action_url("finalize", run), follow=True)
    assert "déjà" in again.content.decode()


def test_a_corrective_run_of_a_finalized_month(staff_client, booked):
    prepare(staff_client, booked)
    run = InvoicingRun.objects.get()
    staff_client.post(action_url("finalize", run))
    reservation = next(iter(booked.provider.days))
    booked.provider.days.pop(reservation)

    response = staff_client.post(action_url("corrective", run))

    corrective = InvoicingRun.objects.get(kind=RunKind.CORRECTIVE)
    assert response.url == inspect_url(corrective)
    note = Invoice.objects.get(run=corrective)
    assert note.kind == InvoiceKind.CREDIT_NOTE and note.total == Decimal("-12.20")
    staff_client.post(action_url("finalize", corrective))
    note.refresh_from_db()
    assert note.number == "AALSH-26-000001"


def test_the_list_per_regie_and_month(staff_client, booked):
    prepare(staff_client, booked)
    prepare(staff_client, booked, month="2026-12")
    index = reverse("invoicing_invoicingrun_modeladmin_index")

    everything = staff_client.get(index)
    november = staff_client.get(index, {"month": "2026-11-01", "regie": booked.regie.pk})

    assert len(everything.context["object_list"]) == 2
    assert [r.month.month for r in november.context["object_list"]] == [11]
    assert "Préparer la facturation" in everything.content.decode()
