"""The PES v2 ORMC docket: byte for byte against a golden file, valid against our schema,
and its rules (text, amounts, keys, refusals) one by one.

When the format changes on purpose, rewrite the golden file with
`UPDATE_GOLDEN=1 .venv/bin/pytest tests/invoicing/exports/test_pes.py` and read its diff.
"""

import datetime
import os
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree

from invoicing.exports.errors import ExportError
from invoicing.exports.pes import (
    CollectivityData,
    DebtorData,
    DocketData,
    PesDirectDebitData,
    PieceData,
    PieceLineData,
    build_pes_docket,
    cle1,
    cle2,
    fold_text,
    validate_pes,
)
from invoicing.payments.sepa_fields import SequenceType

GOLDEN = Path(__file__).parent / "golden" / "pes_ormc_docket.xml"

DUPONT = DebtorData(
    last_name="Dupont",
    first_name="Claire",
    civility="MME",
    address="12 rue de l'Église",
    postcode="69001",
    city="Saint-Étienne-des-Oullières",
)
MARTIN = DebtorData(
    last_name="Martin-Lefèvre",
    first_name="Paul",
    civility="M",
    address="3 chemin des Œillets",
    postcode="69640",
    city="Denicé",
)


def docket(**changes):
    values = {
        "file_name": "PESORMC-R01-2026-0000042.xml",
        "collectivity": CollectivityData(
            id_post="069000",
            siret="21690123400017",
            cod_col="123",
            cod_bud="01",
            budget_label="Budget principal",
        ),
        "year": 2026,
        "number": 42,
        "period": 9,
        "issued_on": datetime.date(2026, 10, 5),
        "sent_on": datetime.date(2026, 10, 6),
        "subject": "Impayés périscolaire – septembre 2026",
        "pieces": (
            PieceData(
                number=1,
                debt_number="126000101",
                subject="Facture F01-26-000101 : accueil périscolaire",
                debtor=DUPONT,
                lines=(
                    PieceLineData(
                        label="Accueil du matin – Léa", product_code="PERI", amount=Decimal("24.50")
                    ),
                    PieceLineData(
                        label="Restauration scolaire – Hugo",
                        product_code="REST",
                        amount=Decimal("18.00"),
                    ),
                ),
            ),
            PieceData(
                number=2,
                debt_number="126000102",
                subject="Facture F01-26-000102 : accueil de loisirs",
                debtor=MARTIN,
                lines=(
                    PieceLineData(
                        label="ALSH mercredi – Nathan", product_code="ALSH", amount=Decimal("35.00")
                    ),
                ),
                direct_debit=PesDirectDebitData(
                    debit_on=datetime.date(2026, 10, 20),
                    sequence=SequenceType.RECURRENT,
                    mandate_signed_on=datetime.date(2025, 9, 1),
                    rum="RUM-R01-000017",
                    label="Facture F01-26-000102 accueil de loisirs",
                    iban="FR76 3000 6000 0112 3456 7890 189",
                    bic="agrifrpp",
                    account_holder="Paul Martin-Lefèvre",
                ),
                edition="01",
            ),
        ),
        "software": "Portail Famille 0.1.0",
    }
    return DocketData(**{**values, **changes})


def test_the_docket_matches_the_golden_file_byte_for_byte():
    xml = build_pes_docket(docket())
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_bytes(xml)
    assert xml == GOLDEN.read_bytes()


def test_the_golden_file_is_valid_against_our_schema():
    validate_pes(GOLDEN.read_bytes())


def test_the_file_is_iso_8859_1_in_the_pes_namespace():
    xml = build_pes_docket(docket())
    assert xml.startswith(b"<?xml version='1.0' encoding='ISO-8859-1'?>")
    root = etree.fromstring(xml)
    assert root.tag == "{http://www.minefi.gouv.fr/cp/helios/pes_v2/Rev0/aller}PES_Aller"
    assert root.find("Enveloppe/Parametres/TypFic").get("V") == "PESORMC"


def values(xml, path):
    return [element.get("V") for element in etree.fromstring(xml).iterfind(path)]


def test_docket_totals_and_counts():
    xml = build_pes_docket(docket())
    block = "PES_RecetteAller/Bordereau/BlocBordereau/"
    assert values(xml, block + "IdBord") == ["42"]
    assert values(xml, block + "TypBord") == ["06"]
    assert values(xml, block + "NbrPce") == ["2"]
    assert values(xml, block + "MtBordHt") == ["77.50"]
    assert values(xml, ".//InfoLignePiece/MtHT") == ["24.50", "18.00", "35.00"]
    assert values(xml, ".//InfoLignePiece/IdLigne") == ["1", "2", "1"]


def test_text_is_upper_case_without_accents():
    xml = build_pes_docket(docket())
    assert values(xml, ".//InfoTiers/Nom") == ["DUPONT", "DUPONT", "MARTIN-LEFEVRE"]
    assert values(xml, ".//Adresse/Adr2")[-1] == "3 CHEMIN DES OEILLETS"
    assert values(xml, ".//Adresse/Ville")[0] == "SAINT-ETIENNE-DES-OULLIERES"
    assert fold_text("Léa\n  Ñoël  ", 38) == "LEA NOEL"
    assert fold_text("x" * 50, 38) == "X" * 38


def test_the_direct_debit_block_and_account():
    xml = build_pes_docket(docket())
    assert values(xml, ".//InfoPrelevementSEPA/SequencePres") == ["03"]
    assert values(xml, ".//InfoPrelevementSEPA/MtPrel") == ["35.00"]
    assert values(xml, ".//InfoPrelevementSEPA/DtePrel") == ["2026-10-20"]
    assert values(xml, ".//CpteBancaire/IBAN") == ["FR7630006000011234567890189"]
    assert values(xml, ".//CpteBancaire/BIC") == ["AGRIFRPP"]


def test_keys_follow_the_mod_11_and_mod_23_rules():
    # Cle1: "123" + "42" + "26" + "9" + "0000126000101" read backwards
    # (101000621000096224321), weights 2, 3, 4, 5, 6, 7, 2…: 2 + 4 + 12 + 6 + 4 + 27 + 24
    # + 10 + 12 + 28 + 6 + 6 + 4 = 145; 145 mod 11 = 2; 11 - 2 = 9.
    # Cle2: 269000000126000101 mod 23 = 17, the 18th of ABCDEFGHJKLMNPQRSTUVWXY: T.
    keys = {"year": 2026, "period": 9, "debt_number": "126000101"}
    assert cle1(cod_col="123", id_bord="42", **keys) == "9"
    assert cle2(**keys) == "T"
    xml = build_pes_docket(docket())
    assert values(xml, ".//BlocPiece/Cle1")[0] == "9"
    assert values(xml, ".//BlocPiece/Cle2")[0] == "T"


def test_cle1_of_10_or_11_is_1():
    # Everything zero but the debt number, read backwards with weights 2, 3, 4…
    zeros = {"cod_col": "000", "id_bord": "0", "year": 2000, "period": 0}
    assert cle1(debt_number="1", **zeros) == "9"  # 1 × 2 = 2: 11 - 2
    assert cle1(debt_number="10", **zeros) == "8"  # 1 × 3 = 3: 11 - 3
    assert cle1(debt_number="6", **zeros) == "1"  # 6 × 2 = 12, remainder 1: 10, written 1
    assert cle1(debt_number="31", **zeros) == "1"  # 1 × 2 + 3 × 3 = 11, remainder 0: 11 → 1


def test_the_schema_catches_a_lower_case_value():
    xml = build_pes_docket(docket()).replace(b'V="DUPONT"', b'V="Dupont"', 1)
    with pytest.raises(ExportError, match="PES"):
        validate_pes(xml)


def test_the_schema_catches_a_zero_amount():
    xml = build_pes_docket(docket()).replace(b'MtHT V="18.00"', b'MtHT V="0.00"', 1)
    with pytest.raises(ExportError):
        validate_pes(xml)


def piece(**changes):
    return replace(docket().pieces[0], **changes)


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"debt_number": "F01-26-000101"}, "13"),
        ({"debtor": replace(DUPONT, postcode="6900")}, "5"),
        ({"debtor": replace(DUPONT, civility="Mme")}, "MME"),
        ({"debtor": replace(DUPONT, last_name=" ")}, "nom"),
        ({"lines": ()}, "ligne"),
        ({"lines": (PieceLineData(label="x", product_code="P", amount=Decimal("0")),)}, "zéro"),
    ],
)
def test_a_bad_piece_is_refused_naming_the_invoice(changes, words):
    with pytest.raises(ExportError) as error:
        build_pes_docket(docket(pieces=(piece(**changes),)))
    assert "126000101" in error.value.message or "F01-26-000101" in error.value.message
    assert words in error.value.message


def test_a_bad_mandate_on_a_piece_is_refused():
    bad = replace(docket().pieces[1].direct_debit, rum="RUM//1")
    with pytest.raises(ExportError) as error:
        build_pes_docket(docket(pieces=(replace(docket().pieces[1], direct_debit=bad),)))
    assert "126000102" in error.value.message


@pytest.mark.parametrize(
    "changes",
    [
        {"number": 0},
        {"number": 10_000_000},
        {"period": 10},
        {"sent_on": datetime.date(2026, 10, 4)},
        {"pieces": ()},
        {"file_name": "docket.txt"},
        {"collectivity": CollectivityData("69", "21690123400017", "123", "01")},
        {"collectivity": CollectivityData("069000", "2169012340001", "123", "01")},
    ],
)
def test_a_bad_docket_is_refused(changes):
    with pytest.raises(ExportError):
        build_pes_docket(docket(**changes))
