"""A régie's SEPA direct debit batch as a pain.008.001.02 file, through sepaxml.

sepaxml writes the file (one payment information block per sequence type and collection date,
with its control sum) and validates it against the pain.008 schema it ships
(`export(validate=True)`); we check every field first, so a bad IBAN or a debit date too close
to the invoice is refused with a French message naming the debit, before anything is built.

The collection date asked of the bank (`ReqdColltnDt`) is the debit date printed on the
invoice, never the day the file is made (banks reject those), and it falls at least 14 days
after the invoice that told the family (the pre-notification).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from sepaxml import SepaDD
from sepaxml.validation import ValidationError as SepaValidationError

from core.money import CENT
from core.time import local_now

from ..payments.errors import PaymentRequestInvalid
from ..payments.sepa_fields import (
    SequenceType,
    check_debit_date,
    clean_bic,
    clean_iban,
    clean_ics,
    clean_rum,
)
from .errors import ExportError

SCHEMA = "pain.008.001.02"


@dataclass(frozen=True)
class CreditorData:
    """The régie collecting: its account and its SEPA creditor identifier (ICS)."""

    name: str
    iban: str
    bic: str
    ics: str


@dataclass(frozen=True)
class DebitData:
    """One invoice to debit under one mandate."""

    end_to_end_id: str  # the invoice's number, quoted back by the bank on a reject
    amount: Decimal
    debtor_name: str
    iban: str
    bic: str  # may be empty: « NOTPROVIDED » (IBAN-only, allowed in SEPA since 2016)
    mandate_id: str  # the RUM
    mandate_signed_on: datetime.date
    sequence: SequenceType
    collection_date: datetime.date  # the debit date printed on the invoice
    pre_notified_on: datetime.date  # the invoice's date, which told the family
    description: str  # what the family reads on its statement, 140 characters at most


@dataclass(frozen=True)
class DebitBatchData:
    message_id: str  # the batch's number, from the gapless counter (35 characters at most)
    creditor: CreditorData
    debits: tuple[DebitData, ...]
    created_at: datetime.datetime


class _NumberedSepaDD(SepaDD):
    """sepaxml's debit file with our batch number and creation time instead of random ones."""

    def __init__(self, config, *, message_id: str, created_at: datetime.datetime):
        self._message_id = message_id
        self._created_at = created_at
        super().__init__(config, schema=SCHEMA, clean=True)

    def _create_header(self):
        self.msg_id = self._message_id
        super()._create_header()
        header = self._xml.find("CstmrDrctDbtInitn/GrpHdr")
        header.find("CreDtTm").text = local_now(self._created_at).strftime("%Y-%m-%dT%H:%M:%S")


def build_pain008(batch: DebitBatchData) -> bytes:
    """The batch as pain.008.001.02 XML (UTF-8), validated against the schema."""
    if not batch.debits:
        raise ExportError(_("A direct debit batch needs at least one debit."))
    if not 1 <= len(batch.message_id) <= 35:
        raise ExportError(_("The batch number must have 1 to 35 characters."))
    try:
        config = {
            "name": batch.creditor.name,
            "IBAN": clean_iban(batch.creditor.iban),
            "BIC": clean_bic(batch.creditor.bic),
            "creditor_id": clean_ics(batch.creditor.ics),
            "batch": True,
            "currency": "EUR",
        }
    except PaymentRequestInvalid as error:
        raise ExportError(
            _("The régie's bank details: %(error)s") % {"error": error.message}
        ) from error
    sepa = _NumberedSepaDD(config, message_id=batch.message_id, created_at=batch.created_at)
    made_on = local_now(batch.created_at).date()
    for debit in batch.debits:
        sepa.add_payment(_payment(debit, made_on=made_on))
    try:
        return sepa.export(validate=True)
    except SepaValidationError as error:
        raise ExportError(
            _("The direct debit file does not follow the pain.008 schema: %(error)s")
            % {"error": error.__cause__ or error}
        ) from error


def _payment(debit: DebitData, *, made_on: datetime.date) -> dict:
    try:
        if debit.collection_date <= made_on:
            raise PaymentRequestInvalid(
                _("The debit date must come after the day the file is made."),
                field="collection_date",
            )
        check_debit_date(pre_notified_on=debit.pre_notified_on, debit_on=debit.collection_date)
        payment = {
            "name": debit.debtor_name,
            "IBAN": clean_iban(debit.iban),
            "amount": _cents(debit.amount),
            "type": SequenceType(debit.sequence).value,
            "collection_date": debit.collection_date,
            "mandate_id": clean_rum(debit.mandate_id),
            "mandate_date": debit.mandate_signed_on,
            "description": debit.description[:140],
            "endtoend_id": debit.end_to_end_id,
        }
        if debit.bic:
            payment["BIC"] = clean_bic(debit.bic)
    except PaymentRequestInvalid as error:
        raise ExportError(
            _("Debit %(reference)s: %(error)s")
            % {"reference": debit.end_to_end_id, "error": error.message}
        ) from error
    return payment


def _cents(amount: Decimal) -> int:
    if not isinstance(amount, Decimal) or amount.quantize(CENT) != amount or amount <= 0:
        raise PaymentRequestInvalid(
            _("The amount to debit must be in euros and cents, above zero."), field="amount"
        )
    return int(amount * 100)
