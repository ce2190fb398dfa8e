"""SEPA direct debit's field rules: the debtor's IBAN and BIC, the mandate's reference (RUM),
the creditor's identifier (ICS), the sequence, the pre-notification delay and the lapse of a
mandate left unused.

IBAN and BIC are checked by schwifty (country formats, check digits, the bank registry), the
ICS by python-stdnum's SEPA creditor identifier (ISO 7064 mod 97-10) plus the French shape;
each error says in French what is wrong.
"""

import calendar
import datetime
import enum
import re

from django.utils.translation import gettext as _
from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException
from stdnum.eu import at_02
from stdnum.exceptions import ValidationError as StdnumError

from .errors import PaymentRequestInvalid

# The characters SEPA allows in a mandate reference (EPC's restricted Latin set).
RUM_RE = re.compile(r"^[A-Za-z0-9/\-?:().,'+ ]{1,35}$")
# France: FR, 2 check digits, a 3-character business code (ZZZ by default), 6 characters.
FRENCH_ICS_RE = re.compile(r"^FR[0-9]{2}[A-Z0-9]{3}[A-Z0-9]{6}$")
PRE_NOTIFICATION_DAYS = 14
MANDATE_LAPSE_MONTHS = 36


class SequenceType(enum.StrEnum):
    ONE_OFF = "OOFF"
    FIRST = "FRST"
    RECURRENT = "RCUR"
    FINAL = "FNAL"


def clean_iban(value: str) -> str:
    """The IBAN in its compact form (FR7630006000011234567890189)."""
    try:
        return IBAN(value or "").compact
    except SchwiftyException:
        raise PaymentRequestInvalid(
            _("This IBAN is not valid: check the number on the bank details."), field="iban"
        ) from None


def clean_bic(value: str) -> str:
    """The BIC in upper case, 8 or 11 characters."""
    try:
        return str(BIC((value or "").strip().upper()))
    except SchwiftyException:
        raise PaymentRequestInvalid(
            _("This BIC is not valid: 8 or 11 letters and digits, as on the bank details."),
            field="bic",
        ) from None


def clean_rum(value: str) -> str:
    """The mandate's unique reference: 1 to 35 characters of SEPA's set, without a leading or
    trailing slash or two slashes in a row (EPC's rule for identifiers)."""
    value = (value or "").strip()
    if not RUM_RE.match(value) or value.startswith("/") or value.endswith("/") or "//" in value:
        raise PaymentRequestInvalid(
            _(
                "The mandate reference (RUM) must have 1 to 35 characters: letters without "
                "accents, digits, spaces or / - ? : ( ) . , ' +"
            ),
            field="rum",
        )
    return value


def clean_ics(value: str) -> str:
    """A French SEPA creditor identifier (ICS), e.g. FR72ZZZ123456."""
    try:
        ics = at_02.validate(value or "")
    except StdnumError:
        ics = ""
    if not FRENCH_ICS_RE.match(ics):
        raise PaymentRequestInvalid(
            _(
                "This creditor identifier (ICS) is not valid: FR, 2 check digits, then 9 "
                "letters or digits, as the Banque de France issued it."
            ),
            field="ics",
        )
    return ics


def sequence_for(*, one_off: bool, used_before: bool) -> SequenceType:
    """A recurrent mandate's first debit is FRST, the next ones RCUR; a one-off one OOFF."""
    if one_off:
        return SequenceType.ONE_OFF
    return SequenceType.RECURRENT if used_before else SequenceType.FIRST


def check_debit_date(*, pre_notified_on: datetime.date, debit_on: datetime.date) -> None:
    """The family is told the amount and date at least 14 days before the debit."""
    if (debit_on - pre_notified_on).days < PRE_NOTIFICATION_DAYS:
        raise PaymentRequestInvalid(
            _(
                "The debit date (%(debit)s) must be at least %(days)d days after the invoice "
                "telling the family (%(notice)s)."
            )
            % {
                "debit": debit_on.strftime("%d/%m/%Y"),
                "notice": pre_notified_on.strftime("%d/%m/%Y"),
                "days": PRE_NOTIFICATION_DAYS,
            },
            field="collection_date",
        )


def mandate_lapses_on(
    *, signed_on: datetime.date, last_debit_on: datetime.date | None
) -> datetime.date:
    """A recurrent mandate unused for 36 months lapses: 36 months after its last debit, or
    after its signature if it never served. The day it lapses (no debit from that day)."""
    start = last_debit_on or signed_on
    month = start.month - 1 + MANDATE_LAPSE_MONTHS
    year, month = start.year + month // 12, month % 12 + 1
    # The same day 36 months on, or that month's last day (29 February → 28 February).
    return datetime.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def masked_iban(iban: str) -> str:
    """An IBAN as printed for the family or staff: country and check digits, the last four
    characters, the rest hidden (« FR76 … 0189 »)."""
    compact = "".join(iban.split())
    return f"{compact[:4]} … {compact[-4:]}" if compact else ""
