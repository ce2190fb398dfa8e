"""Exports of runs, invoices and lines to CSV and XLSX: French column headers, amounts as
numbers (XLSX cells are numeric; CSV cells read as decimals), the list's filters applied."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from invoicing.services import run_draft, run_finalize
from tests.invoicing.conftest import IN_DECEMBER, NOVEMBER

pytestmark = pytest.mark.django_db

RUNS = reverse("invoicing_invoicingrun_modeladmin_index")
INVOICES = reverse("invoicing_invoice_modeladmin_index")
LINES = reverse("invoicing_invoiceline_modeladmin_index")


@pytest.fixture
def run(booked, enfance_user):
    run = run_draft(regie=booked.regie, month=NOVEMBER, actor=enfance_user, now=IN_DECEMBER)
    return run_finalize(run=run, actor=enfance_user, now=IN_DECEMBER)


def xlsx_rows(response):
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def csv_rows(response):
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_runs_export(staff_client, run):
    header, row = xlsx_rows(staff_client.get(RUNS, {"export": "xlsx"}))
    assert header[:10] == [
        "Régie",
        "Mois",
        "Type",
        "Statut",
        "Familles",
        "Factures",
        "Avoirs",
        "Lignes",
        "Total facturé (€)",
        "Total des avoirs (€)",
    ]
    assert row[1:10] == ["11/2026", "Facturation mensuelle", "Finalisée", 2, 2, 0, 10, 122, 0]
    assert isinstance(row[8], int | float)

    header, row = csv_rows(staff_client.get(RUNS, {"export": "csv"}))
    assert header[0] == "Régie" and Decimal(row[8]) == Decimal("122.00")


def test_invoices_export_applies_the_filters(staff_client, run):
    rows = xlsx_rows(staff_client.get(INVOICES, {"q": "Arnaud", "export": "xlsx"}))
    header, row = rows
    assert header == [
        "Numéro",
        "Type",
        "Statut",
        "N° famille",
        "Famille",
        "Régie",
        "Mois",
        "Date",
        "Date limite de paiement",
        "Total (€)",
        "Payé (€)",
        "Reste dû (€)",
    ]
    assert row[0] == "FALSH-26-000001" and row[4] == "Arnaud" and row[5] == "ALSH"
    assert row[9:] == [97.6, 0, 97.6]

    header, *rows = csv_rows(staff_client.get(INVOICES, {"export": "csv"}))
    assert len(rows) == 2
    assert sorted(Decimal(r[9]) for r in rows) == [Decimal("24.40"), Decimal("97.60")]


def test_lines_export_of_a_run(staff_client, run):
    header, *rows = xlsx_rows(staff_client.get(LINES, {"run": run.pk, "export": "xlsx"}))
    assert header[:4] == ["Document", "Type de document", "Statut", "N° famille"]
    assert header[-4:] == ["Quantité", "Prix unitaire (€)", "Montant (€)", "Base du tarif"]
    assert len(rows) == 10
    first = rows[0]
    assert first[-4:-1] == [1, 12.2, 12.2]
    assert first[-1].startswith("QF 850")

    header, *rows = csv_rows(staff_client.get(LINES, {"run": run.pk, "export": "csv"}))
    assert sum(Decimal(r[-2]) for r in rows) == Decimal("122.00")
