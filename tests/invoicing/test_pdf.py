"""Invoice PDFs: rendered once after the finalisation committed, stored with their SHA-256,
served identical afterwards to the payer family (or staff), never to another family."""

import datetime
import hashlib
import io
from decimal import Decimal

import pytest
from django.http import Http404
from pypdf import PdfReader

from invoicing.attestations import attendance_attestation_pdf
from invoicing.models import Invoice
from invoicing.pdf import invoice_pdf_for_family, invoice_pdf_for_staff, invoice_pdf_render
from invoicing.services import invoice_cancel, run_corrective, run_draft, run_finalize
from tests import factories

from .conftest import IN_DECEMBER, NOV_WEDNESDAYS, NOVEMBER

pytestmark = pytest.mark.django_db


def text_of(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    # Thousands and the euro sign are set apart by (narrow) no-break spaces; table cells
    # wrap their text over lines.
    return " ".join(text.replace("\u202f", " ").replace("\xa0", " ").split())


def stored_bytes(invoice) -> bytes:
    with invoice.pdf.open("rb") as handle:
        return handle.read()


@pytest.fixture
def issued(billing, django_capture_on_commit_callbacks):
    family, (child,) = billing.add_family(name="DUPONT")
    billing.provider.unit_prices[billing.unit.pk] = Decimal("308.63")
    billing.book_days(family, child, NOV_WEDNESDAYS)
    run = run_draft(
        regie=billing.regie,
        month=NOVEMBER,
        actor=billing.staff,
        now=IN_DECEMBER,
        sources=billing.provider,
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        run_finalize(run=run, actor=billing.staff, now=IN_DECEMBER)
    # The PDFs, then the families' alerts, are queued once the finalisation committed (the
    # alert's own e-mail copy follows).
    assert [c.__qualname__.split(".")[0] for c in callbacks[:2]] == ["run_finalize"] * 2
    return Invoice.objects.get(run=run)


def test_the_pdf_is_rendered_after_finalisation_and_stored_with_its_checksum(issued):
    content = stored_bytes(issued)

    assert content.startswith(b"%PDF")
    assert hashlib.sha256(content).hexdigest() == issued.pdf_sha256
    text = text_of(content)
    assert "FALSH-26-000001" in text
    assert "1 234,52 €" in text  # 4 × 308,63 €
    assert "308,63 €" in text
    assert "21440109300015" in text
    assert "Tribunal administratif d'Orléans" in text
    assert "deux mois" in text
    assert "Trésor public" in text
    assert "QF 850 – tranche 3" in text
    assert "02/01/2027" in text  # due date
    assert "Paul Lenoir, Régisseur titulaire" in text


def test_the_pdf_is_tagged_and_in_french(issued):
    reader = PdfReader(io.BytesIO(stored_bytes(issued)))
    catalog = reader.trailer["/Root"]
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert str(catalog["/Lang"]) == "fr"
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=0.5)  # A4


def test_rendering_again_keeps_the_first_file(issued):
    name, digest = issued.pdf.name, issued.pdf_sha256
    again = invoice_pdf_render(invoice_id=issued.pk)
    assert (again.pdf.name, again.pdf_sha256) == (name, digest)


def test_the_served_pdf_is_the_stored_one_byte_for_byte(issued):
    response = invoice_pdf_for_family(family=issued.family, invoice_id=issued.pk)

    served = b"".join(response.streaming_content)
    assert served == stored_bytes(issued)
    assert hashlib.sha256(served).hexdigest() == issued.pdf_sha256
    assert response["Content-Type"] == "application/pdf"
    assert "FALSH-26-000001.pdf" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"


def test_another_family_or_staff_without_the_permission_get_404(issued):
    other = factories.FamilyFactory()
    with pytest.raises(Http404):
        invoice_pdf_for_family(family=other, invoice_id=issued.pk)
    with pytest.raises(Http404):
        invoice_pdf_for_staff(user=factories.UserFactory(is_staff=True), invoice_id=issued.pk)
    admin = factories.UserFactory(is_staff=True, is_superuser=True)
    response = invoice_pdf_for_staff(user=admin, invoice_id=issued.pk)
    assert b"".join(response.streaming_content) == stored_bytes(issued)


def test_a_tampered_file_is_not_served(issued):
    with open(issued.pdf.path, "ab") as handle:
        handle.write(b"%% changed")
    with pytest.raises(Http404):
        invoice_pdf_for_family(family=issued.family, invoice_id=issued.pk)


def test_a_lost_file_is_a_404_not_an_error(issued):
    issued.pdf.storage.delete(issued.pdf.name)
    with pytest.raises(Http404):
        invoice_pdf_for_family(family=issued.family, invoice_id=issued.pk)


def test_a_draft_has_no_pdf(billing):
    family, (child,) = billing.add_family()
    billing.book_days(family, child, NOV_WEDNESDAYS)
    run = run_draft(regie=billing.regie, month=NOVEMBER, actor=None, sources=billing.provider)
    with pytest.raises(Http404):
        invoice_pdf_for_family(family=family, invoice_id=Invoice.objects.get(run=run).pk)


def test_the_credit_note_and_the_replacement_say_what_they_correct(billing, issued):
    credit_note = invoice_cancel(
        invoice=issued, reason="Erreur de payeur", actor=billing.staff, now=IN_DECEMBER
    )
    run = run_corrective(
        regie=billing.regie,
        month=NOVEMBER,
        actor=billing.staff,
        now=IN_DECEMBER,
        sources=billing.provider,
    )
    run_finalize(run=run, actor=billing.staff, now=IN_DECEMBER)
    replacement = Invoice.objects.get(run=run)

    credit_text = text_of(stored_bytes(invoice_pdf_render(invoice_id=credit_note.pk)))
    assert "Avoir AALSH-26-000001" in credit_text
    assert "Annule la facture n° FALSH-26-000001" in credit_text
    assert "Erreur de payeur" in credit_text
    assert "Déduit de la facture n° FALSH-26-000001" in credit_text
    replacement_text = text_of(stored_bytes(invoice_pdf_render(invoice_id=replacement.pk)))
    assert "Remplace la facture n° FALSH-26-000001" in replacement_text


def test_the_attendance_attestation_lists_days_and_amounts(billing, issued):
    child = issued.lines.first().child
    content = attendance_attestation_pdf(
        family=issued.family,
        child_id=child.pk,
        start=datetime.date(2026, 9, 1),
        end=datetime.date(2027, 8, 31),
        now=IN_DECEMBER,
    )

    assert content.startswith(b"%PDF")
    text = text_of(content)
    assert "Attestation de présence" in text
    assert f"{child.first_name} {child.last_name}" in text
    assert billing.activity.name in text
    assert "1 234,52 €" in text
    with pytest.raises(Http404):
        attendance_attestation_pdf(
            family=factories.FamilyFactory(),
            child_id=child.pk,
            start=datetime.date(2026, 9, 1),
            end=datetime.date(2027, 8, 31),
        )


def test_finalisation_queues_one_task_per_document_once_committed(
    billing, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import default_task_backend

    for _ in range(3):
        family, (child,) = billing.add_family()
        billing.book_days(family, child, NOV_WEDNESDAYS)
    run = run_draft(regie=billing.regie, month=NOVEMBER, actor=None, sources=billing.provider)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        run_finalize(run=run, actor=None, now=IN_DECEMBER)
        assert default_task_backend.results == []  # nothing queued inside the transaction

    for callback in callbacks:
        callback()
    queued = sorted(
        result.kwargs["invoice_id"]
        for result in default_task_backend.results
        if "invoice_id" in result.kwargs
    )
    assert queued == sorted(Invoice.objects.filter(run=run).values_list("pk", flat=True))
    assert not Invoice.objects.exclude(pdf="").exists()
