"""A collection docket as a PES v2 « PES_Aller » recette file: an ORMC bordereau for the Trésor.

One `Piece` per invoice (one debtor), one `LigneDePiece` per line, each with its debtor
(`Tiers`) and, when the invoice is paid by direct debit through the Trésor, its
`InfoPrelevementSEPA` and the debtor's account. The field list and lengths are those of the
DGFiP's PES v2 annex as restated in our research notes (research/invoicing.md §4): the
official XSDs are not published in any package index, so the file is checked against a
minimal schema of ours written from that list (`xsd/pes_aller_ormc_minimal.xsd`), and should
be checked once against the DGFiP's own validator (Xemelios) before the first real export.

Rules of the format:
- ISO-8859-1; every value in a `V="…"` attribute;
- text in upper case without accents (« Léa » → « LEA »), cut to the field's length;
- amounts with two decimals and a dot (`12.50`), above zero; the docket's total is the sum of
  its lines;
- dates `AAAA-MM-JJ`; the docket's number (`IdBord`) comes from the gapless counter, the
  piece numbers (`IdPce`) and the docket's period (`Per`) from the caller;
- `Cle1` (mod 11) and `Cle2` (mod 23 letter) protect the reference the Trésor prints on the
  debtor's notice, both computed from CodCol, IdBord, the year, Per and the debt number.
"""

import datetime
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.utils.translation import gettext as _
from lxml import etree

from core.money import CENT

from ..payments.errors import PaymentRequestInvalid
from ..payments.sepa_fields import SequenceType, clean_bic, clean_iban, clean_rum
from .errors import ExportError

NAMESPACE = "http://www.minefi.gouv.fr/cp/helios/pes_v2/Rev0/aller"
XSD_PATH = Path(__file__).parent / "xsd" / "pes_aller_ormc_minimal.xsd"
ENCODING = "ISO-8859-1"
SEQUENCE_CODES = {
    SequenceType.ONE_OFF: "01",
    SequenceType.FIRST: "02",
    SequenceType.RECURRENT: "03",
    SequenceType.FINAL: "04",
}
CLE2_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXY"  # 23 letters: no I, O or Z


@dataclass(frozen=True)
class CollectivityData:
    """Who issues: the Trésor's post, the commune and its budget."""

    id_post: str  # IdPost: the accounting post's code, 6 or 7 digits
    siret: str  # IdColl: 14 digits
    cod_col: str  # CodCol: 3 characters
    cod_bud: str  # CodBud: 2 characters
    budget_label: str = ""  # LibelleColBud, 38 characters


@dataclass(frozen=True)
class DebtorData:
    last_name: str
    first_name: str
    civility: str  # "M", "MME" or ""
    address: str  # Adr2: street, 38 characters
    postcode: str  # 5 digits; 99999 abroad
    city: str


@dataclass(frozen=True)
class PesDirectDebitData:
    """The debit the Trésor makes (NatPrel 01) under the family's mandate."""

    debit_on: datetime.date
    sequence: SequenceType
    mandate_signed_on: datetime.date
    rum: str
    label: str  # LibPrel, 140 characters
    iban: str
    bic: str
    account_holder: str  # TitCpte, 32 characters


@dataclass(frozen=True)
class PieceLineData:
    label: str  # ObjLignePce, 160 characters
    product_code: str  # CodProdLoc: the commune's product code, 4 characters
    amount: Decimal


@dataclass(frozen=True)
class PieceData:
    """One invoice handed over to the Trésor."""

    number: int  # IdPce: its article number in the docket, 1 to 99999999
    debt_number: str  # NumDette: the invoice's number as digits (13 at most, for the keys)
    subject: str  # ObjPce, 160 characters
    debtor: DebtorData
    lines: tuple[PieceLineData, ...]
    direct_debit: PesDirectDebitData | None = None
    edition: str = ""  # Edition: 01 printed by the DGFiP's centre, 04 no processing


@dataclass(frozen=True)
class DocketData:
    file_name: str  # NomFic, ending in .xml
    collectivity: CollectivityData
    year: int  # Exer
    number: int  # IdBord: from the gapless counter, 1 to 9999999
    period: int  # Per: 1 digit
    issued_on: datetime.date  # DteBordEm (and DteStr)
    sent_on: datetime.date  # DteAsp, on or after DteBordEm
    subject: str  # Objet, 160 characters
    pieces: tuple[PieceData, ...]
    sender: str = "PORTAIL FAMILLE"  # Sigle, 32 characters
    software: str = "PORTAIL FAMILLE"  # Adresse: the application and its version, 38


def fold_text(value: str, length: int) -> str:
    """Upper case without accents, on one line, cut to `length` (« Léa » → « LEA »)."""
    value = (value or "").replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae")
    value = value.replace("Æ", "AE").replace("ß", "ss")
    value = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    value = re.sub(r"\s+", " ", value).strip().upper()
    return value[:length].rstrip()


def pes_amount(amount: Decimal) -> str:
    if not isinstance(amount, Decimal) or amount.quantize(CENT) != amount or amount <= 0:
        raise ExportError(_("An amount sent to the Trésor must be above zero, to the cent."))
    text = f"{amount:.2f}"
    if not re.fullmatch(r"\d{1,12}\.\d{2}", text):
        raise ExportError(_("An amount sent to the Trésor has at most 12 digits in euros."))
    return text


def cle1(*, cod_col: str, id_bord: str, year: int, period: int, debt_number: str) -> str:
    """Mod 11 over the reversed CodCol + IdBord + yy + Per + NumDette (13 digits), weights
    2 to 7 repeating; 11 minus the remainder, and 1 when that leaves 10 or 11. A character
    that is not a digit counts as 0."""
    digits = f"{cod_col}{id_bord}{year % 100:02d}{period}{debt_number:0>13}"
    weights = (2, 3, 4, 5, 6, 7)
    total = sum(
        (int(char) if char.isdigit() else 0) * weights[index % 6]
        for index, char in enumerate(reversed(digits))
    )
    key = 11 - total % 11
    return str(1 if key > 9 else key)


def cle2(*, year: int, period: int, debt_number: str) -> str:
    """The letter of yy + Per + 00 + NumDette (13 digits), mod 23."""
    return CLE2_LETTERS[int(f"{year % 100:02d}{period}00{debt_number:0>13}") % 23]


def build_pes_docket(docket: DocketData, *, validate: bool = True) -> bytes:
    """The docket as PES_Aller XML in ISO-8859-1; checked against our schema when `validate`."""
    _check(docket)
    root = etree.Element(f"{{{NAMESPACE}}}PES_Aller", nsmap={"n": NAMESPACE})
    envelope = _sub(root, "Enveloppe")
    parameters = _sub(envelope, "Parametres")
    _value(parameters, "Version", "2")
    _value(parameters, "TypFic", "PESORMC")
    _value(parameters, "NomFic", docket.file_name[:100])
    sender = _sub(envelope, "Emetteur")
    _value(sender, "Sigle", fold_text(docket.sender, 32))
    _value(sender, "Adresse", fold_text(docket.software, 38))

    collectivity = docket.collectivity
    header = _sub(root, "EnTetePES")
    _value(header, "DteStr", docket.issued_on.isoformat())
    _value(header, "IdPost", collectivity.id_post)
    _value(header, "IdColl", collectivity.siret)
    _value(header, "CodCol", collectivity.cod_col)
    _value(header, "CodBud", collectivity.cod_bud)
    if collectivity.budget_label:
        _value(header, "LibelleColBud", fold_text(collectivity.budget_label, 38))

    receipts = _sub(root, "PES_RecetteAller")
    receipts_header = _sub(receipts, "EnTeteRecette")
    _value(receipts_header, "IdVer", "2")
    _value(receipts_header, "InfoDematerialisee", "0")  # 1 only with an XAdES signature
    bordereau = _sub(receipts, "Bordereau")
    block = _sub(bordereau, "BlocBordereau")
    id_bord = str(docket.number)
    _value(block, "Exer", str(docket.year))
    _value(block, "IdBord", id_bord)
    _value(block, "DteBordEm", docket.issued_on.isoformat())
    _value(block, "TypBord", "06")  # ORMC
    _value(block, "NbrPce", str(len(docket.pieces)))
    total = sum((line.amount for piece in docket.pieces for line in piece.lines), Decimal(0))
    _value(block, "MtBordHt", pes_amount(total))
    _value(block, "DteAsp", docket.sent_on.isoformat())
    _value(block, "Objet", fold_text(docket.subject, 160))

    for piece in docket.pieces:
        _piece(bordereau, piece, docket=docket, id_bord=id_bord)

    xml = etree.tostring(root, xml_declaration=True, encoding=ENCODING, pretty_print=True)
    if validate:
        validate_pes(xml)
    return xml


def validate_pes(xml: bytes) -> None:
    """Check `xml` against our minimal schema; raises ExportError with the first problems."""
    schema = etree.XMLSchema(etree.parse(str(XSD_PATH)))
    document = etree.fromstring(xml)
    if not schema.validate(document):
        problems = "; ".join(
            f"line {error.line}: {error.message}" for error in list(schema.error_log)[:5]
        )
        raise ExportError(
            _("The PES file does not follow its schema: %(problems)s") % {"problems": problems}
        )


def _piece(bordereau, piece: PieceData, *, docket: DocketData, id_bord: str):
    element = _sub(bordereau, "Piece")
    block = _sub(element, "BlocPiece")
    _value(block, "IdPce", str(piece.number))
    _value(block, "TypPce", "15")  # titre ORMC
    _value(block, "NatPce", "01")  # fonctionnement
    if piece.edition:
        _value(block, "Edition", piece.edition)
    _value(block, "ObjPce", fold_text(piece.subject, 160))
    _value(block, "NumDette", piece.debt_number)
    _value(block, "Per", str(docket.period))
    keys = {"year": docket.year, "period": docket.period, "debt_number": piece.debt_number}
    _value(block, "Cle1", cle1(cod_col=docket.collectivity.cod_col, id_bord=id_bord, **keys))
    _value(block, "Cle2", cle2(**keys))
    for index, line in enumerate(piece.lines, start=1):
        _line(element, line, index=index, piece=piece)


def _line(piece_element, line: PieceLineData, *, index: int, piece: PieceData):
    element = _sub(piece_element, "LigneDePiece")
    block = _sub(element, "BlocLignePiece")
    info = _sub(block, "InfoLignePiece")
    _value(info, "IdLigne", str(index))
    _value(info, "ObjLignePce", fold_text(line.label, 160))
    _value(info, "CodProdLoc", fold_text(line.product_code, 4))
    _value(info, "Nature", "588")
    _value(info, "Majo", "0")
    _value(info, "TvaIntraCom", "0")
    _value(info, "MtHT", pes_amount(line.amount))
    debit = piece.direct_debit
    if debit:
        sepa = _sub(block, "InfoPrelevementSEPA")
        _value(sepa, "NatPrel", "01")  # the Trésor sends the debit file
        _value(sepa, "PerPrel", "07")  # once
        _value(sepa, "DtePrel", debit.debit_on.isoformat())
        _value(sepa, "MtPrel", pes_amount(line.amount))
        _value(sepa, "SequencePres", SEQUENCE_CODES[SequenceType(debit.sequence)])
        _value(sepa, "DateSignMandat", debit.mandate_signed_on.isoformat())
        _value(sepa, "RefUniMdt", clean_rum(debit.rum))
        _value(sepa, "LibPrel", fold_text(debit.label, 140))

    debtor = piece.debtor
    tiers = _sub(element, "Tiers")
    info = _sub(tiers, "InfoTiers")
    _value(info, "CatTiers", "01")  # a person
    _value(info, "NatJur", "01")  # a private individual
    _value(info, "TypTiers", "01")  # the main debtor
    if debtor.civility:
        _value(info, "Civilite", debtor.civility)
    _value(info, "Nom", fold_text(debtor.last_name, 38))
    if debtor.first_name:
        _value(info, "Prenom", fold_text(debtor.first_name, 38))
    address = _sub(tiers, "Adresse")
    _value(address, "TypAdr", "1")
    _value(address, "Adr2", fold_text(debtor.address, 38))
    _value(address, "CP", debtor.postcode)
    _value(address, "Ville", fold_text(debtor.city, 38))
    _value(address, "CodRes", "0")
    if debit:
        account = _sub(tiers, "CpteBancaire")
        _value(account, "BIC", clean_bic(debit.bic))
        _value(account, "IBAN", clean_iban(debit.iban))
        _value(account, "TitCpte", fold_text(debit.account_holder, 32))


def _check(docket: DocketData) -> None:
    """What the schema cannot say in French: which piece is wrong and why."""
    collectivity = docket.collectivity
    if not re.fullmatch(r"\d{6,7}", collectivity.id_post):
        raise ExportError(_("The Trésor's post code (IdPost) must have 6 or 7 digits."))
    if not re.fullmatch(r"\d{14}", collectivity.siret):
        raise ExportError(_("The commune's SIRET must have 14 digits."))
    if not docket.file_name.endswith(".xml") or len(docket.file_name) > 100:
        raise ExportError(_("The PES file's name must end in .xml, 100 characters at most."))
    if not 1 <= docket.number <= 9_999_999:
        raise ExportError(_("The docket number must have 1 to 7 digits."))
    if not 0 <= docket.period <= 9:
        raise ExportError(_("The docket's period (Per) is one digit."))
    if docket.sent_on < docket.issued_on:
        raise ExportError(_("The docket cannot be sent before it is issued."))
    if not docket.pieces:
        raise ExportError(_("A docket needs at least one invoice."))
    for piece in docket.pieces:
        _check_piece(piece)


def _check_piece(piece: PieceData) -> None:
    def refuse(message):
        raise ExportError(
            _("Invoice %(number)s: %(error)s") % {"number": piece.debt_number, "error": message}
        )

    if not re.fullmatch(r"\d{1,13}", piece.debt_number):
        refuse(_("its number for the Trésor must have 1 to 13 digits."))
    if not 1 <= piece.number <= 99_999_999:
        refuse(_("its article number must have 1 to 8 digits."))
    if not piece.lines:
        refuse(_("it has no line."))
    if not fold_text(piece.debtor.last_name, 38):
        refuse(_("the debtor's name is missing."))
    if piece.debtor.civility not in ("", "M", "MME"):
        refuse(_("the debtor's civility must be M or MME."))
    if not re.fullmatch(r"\d{5}", piece.debtor.postcode):
        refuse(_("the postcode must have 5 digits (99999 abroad)."))
    for line in piece.lines:
        try:
            pes_amount(line.amount)
        except ExportError as error:
            refuse(error.message)
    if piece.edition not in ("", "01", "02", "03", "04"):
        refuse(_("its edition code must be 01, 02, 03 or 04."))
    debit = piece.direct_debit
    if debit:
        try:
            clean_rum(debit.rum)
            clean_iban(debit.iban)
            clean_bic(debit.bic)
        except PaymentRequestInvalid as error:
            refuse(error.message)


def _sub(parent, tag):
    return etree.SubElement(parent, tag)


def _value(parent, tag, value: str):
    etree.SubElement(parent, tag, V=value)
