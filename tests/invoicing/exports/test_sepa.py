"""pain.008.001.02 from plain data: valid against the schema, grouped, totalled, and the
14-day notice enforced."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
import sepaxml
from lxml import etree

from core.time import PARIS
from invoicing.exports.errors import ExportError
from invoicing.exports.sepa import CreditorData, DebitBatchData, DebitData, build_pain008
from invoicing.payments.sepa_fields import SequenceType

NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.008.001.02"}
XSD = Path(sepaxml.__file__).parent / "schemas" / "pain.008.001.02.xsd"
CREATED = datetime.datetime(2026, 10, 1, 9, 30, tzinfo=PARIS)
INVOICE_DAY = datetime.date(2026, 10, 1)
DEBIT_DAY = datetime.date(2026, 10, 15)

CREDITOR = CreditorData(
    name="Régie périscolaire de Saint-Exemple",
    iban="FR76 3000 6000 0112 3456 7890 189",
    bic="AGRIFRPP",
    ics="FR72ZZZ123456",
)


def debit(number, amount, sequence=SequenceType.RECURRENT, **changes):
    values = {
        "end_to_end_id": number,
        "amount": Decimal(amount),
        "debtor_name": "Claire Dupont",
        "iban": "FR1420041010050500013M02606",
        "bic": "PSSTFRPPPAR",
        "mandate_id": f"RUM-{number}",
        "mandate_signed_on": datetime.date(2025, 9, 1),
        "sequence": sequence,
        "collection_date": DEBIT_DAY,
        "pre_notified_on": INVOICE_DAY,
        "description": f"Facture {number} périscolaire septembre",
    }
    return DebitData(**{**values, **changes})


def batch(*debits, **changes):
    values = {
        "message_id": "PRL-R01-2026-000007",
        "creditor": CREDITOR,
        "debits": debits,
        "created_at": CREATED,
    }
    return DebitBatchData(**{**values, **changes})


@pytest.fixture
def document():
    xml = build_pain008(
        batch(
            debit("F01-26-000101", "42.50", SequenceType.FIRST),
            debit("F01-26-000102", "17.25", SequenceType.FIRST, bic=""),
            debit("F01-26-000103", "100.00"),
        )
    )
    return etree.fromstring(xml)


def test_the_file_validates_against_the_pain008_schema_sepaxml_ships(document):
    schema = etree.XMLSchema(etree.parse(str(XSD)))
    assert schema.validate(document), schema.error_log


def test_header_carries_the_batch_number_totals_and_creditor(document):
    header = document.find("p:CstmrDrctDbtInitn/p:GrpHdr", NS)
    assert header.findtext("p:MsgId", namespaces=NS) == "PRL-R01-2026-000007"
    assert header.findtext("p:CreDtTm", namespaces=NS) == "2026-10-01T09:30:00"
    assert header.findtext("p:NbOfTxs", namespaces=NS) == "3"
    assert header.findtext("p:CtrlSum", namespaces=NS) == "159.75"


def test_one_block_per_sequence_with_its_own_control_sum(document):
    blocks = {
        block.findtext("p:PmtTpInf/p:SeqTp", namespaces=NS): block
        for block in document.iterfind("p:CstmrDrctDbtInitn/p:PmtInf", NS)
    }
    assert set(blocks) == {"FRST", "RCUR"}
    first = blocks["FRST"]
    assert first.findtext("p:NbOfTxs", namespaces=NS) == "2"
    assert first.findtext("p:CtrlSum", namespaces=NS) == "59.75"
    assert blocks["RCUR"].findtext("p:CtrlSum", namespaces=NS) == "100.00"
    for block in blocks.values():
        assert block.findtext("p:ReqdColltnDt", namespaces=NS) == "2026-10-15"
        assert block.findtext("p:PmtTpInf/p:LclInstrm/p:Cd", namespaces=NS) == "CORE"
        assert (
            block.findtext("p:CdtrSchmeId/p:Id/p:PrvtId/p:Othr/p:Id", namespaces=NS)
            == "FR72ZZZ123456"
        )
        assert block.findtext("p:CdtrAcct/p:Id/p:IBAN", namespaces=NS) == (
            "FR7630006000011234567890189"
        )


def test_each_debit_quotes_invoice_mandate_and_amount(document):
    transactions = {
        tx.findtext("p:PmtId/p:EndToEndId", namespaces=NS): tx
        for tx in document.iterfind(".//p:DrctDbtTxInf", NS)
    }
    tx = transactions["F01-26-000101"]
    assert tx.findtext("p:InstdAmt", namespaces=NS) == "42.50"
    assert tx.find("p:InstdAmt", NS).get("Ccy") == "EUR"
    mandate = tx.find("p:DrctDbtTx/p:MndtRltdInf", NS)
    assert mandate.findtext("p:MndtId", namespaces=NS) == "RUM-F01-26-000101"
    assert mandate.findtext("p:DtOfSgntr", namespaces=NS) == "2025-09-01"
    assert tx.findtext("p:DbtrAgt/p:FinInstnId/p:BIC", namespaces=NS) == "PSSTFRPPPAR"
    assert tx.findtext("p:RmtInf/p:Ustrd", namespaces=NS) == (
        "Facture F01-26-000101 periscolaire septembre"
    )
    no_bic = transactions["F01-26-000102"]
    assert no_bic.findtext("p:DbtrAgt/p:FinInstnId/p:Othr/p:Id", namespaces=NS) == ("NOTPROVIDED")


def test_a_debit_less_than_14_days_after_the_invoice_is_refused():
    late_notice = debit("F01-26-000104", "10.00", pre_notified_on=datetime.date(2026, 10, 2))
    with pytest.raises(ExportError) as error:
        build_pain008(batch(late_notice))
    assert "F01-26-000104" in error.value.message
    assert "14" in error.value.message


def test_a_debit_dated_the_day_the_file_is_made_is_refused():
    same_day = debit(
        "F01-26-000105",
        "10.00",
        collection_date=datetime.date(2026, 10, 1),
        pre_notified_on=datetime.date(2026, 9, 1),
    )
    with pytest.raises(ExportError):
        build_pain008(batch(same_day))


@pytest.mark.parametrize(
    "changes",
    [
        {"iban": "FR7630006000011234567890188"},
        {"bic": "BNPAFRP"},
        {"mandate_id": "RUM Été"},
        {"amount": "0"},
        {"amount": "1.005"},
    ],
)
def test_a_bad_field_is_refused_naming_the_debit(changes):
    with pytest.raises(ExportError) as error:
        build_pain008(batch(debit("F01-26-000106", **{"amount": "10.00", **changes})))
    assert "F01-26-000106" in error.value.message


def test_a_bad_creditor_identifier_is_refused():
    with pytest.raises(ExportError):
        build_pain008(
            batch(
                debit("F01-26-000107", "10.00"),
                creditor=CreditorData(
                    name="Régie", iban=CREDITOR.iban, bic="AGRIFRPP", ics="FR73ZZZ123456"
                ),
            )
        )


def test_an_empty_batch_is_refused():
    with pytest.raises(ExportError):
        build_pain008(batch())
