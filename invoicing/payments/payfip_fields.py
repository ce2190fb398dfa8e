"""PayFiP's field rules, checked before anything is sent to the DGFiP.

PayFiP answers a bad field with a SOAP fault whose code (T1, M3, A1, R3…) a family cannot
read, after a network round trip. We check each field here first and say what is wrong in
French. The rules are those of the PayFiP web service (and of eopayment's `payfip_ws`):

- `numcli`: the régie's client number, 6 digits;
- `refdet`: the debt reference, `[A-Za-z0-9]{1,30}`; ours is the payment request's number
  without its separators (« DP-2026-000123 » → « DP2026000123 »);
- `objet`: folded to ASCII letters, digits and spaces, at most 100 characters;
- `montant`: integer cents, from 1 € to 100,000 €;
- `mel`: required, 6 to 80 characters with an « @ »;
- `saisie`: T (test), X (activation) or W (production), from the PAYFIP_MODE setting.
"""

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from core.money import exact_cents

from .errors import PaymentRequestInvalid

NUMCLI_RE = re.compile(r"^[0-9]{6}$")
REFDET_RE = re.compile(r"^[A-Za-z0-9]{1,30}$")
# What a payment request's number may use to separate its parts.
REFERENCE_SEPARATORS_RE = re.compile(r"[\s\-_/.:]")
OBJET_MAX_LENGTH = 100
MIN_AMOUNT = Decimal("1.00")
MAX_AMOUNT = Decimal("100000.00")
EMAIL_MIN_LENGTH, EMAIL_MAX_LENGTH = 6, 80
SAISIE_BY_MODE = {"test": "T", "activation": "X", "production": "W"}


def clean_numcli(value: str) -> str:
    value = (value or "").strip()
    if not NUMCLI_RE.match(value):
        raise PaymentRequestInvalid(
            _("The PayFiP client number of the régie must have exactly 6 digits."),
            field="numcli",
        )
    return value


def refdet_from_reference(reference: str) -> str:
    """The payment request's number as PayFiP's debt reference: separators removed."""
    refdet = REFERENCE_SEPARATORS_RE.sub("", reference or "")
    if not REFDET_RE.match(refdet):
        raise PaymentRequestInvalid(
            _(
                "The payment reference « %(reference)s » cannot be sent to PayFiP: once its "
                "separators are removed it must have 1 to 30 letters (without accents) or "
                "digits."
            )
            % {"reference": reference},
            field="refdet",
        )
    return refdet


def clean_objet(text: str) -> str:
    """The subject as PayFiP takes it: accents dropped (é → e), apostrophes, hyphens and other
    white space turned into spaces, anything but letters, digits and spaces removed, 100
    characters at most."""
    folded = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    folded = re.sub(r"['\-\s]", " ", folded)
    folded = re.sub(r"[^A-Za-z0-9 ]", "", folded)
    folded = re.sub(r" +", " ", folded).strip()
    return folded[:OBJET_MAX_LENGTH].rstrip()


def amount_in_cents(amount: Decimal) -> int:
    """The amount in integer cents, between 1 € and 100,000 €."""
    cents = exact_cents(amount)
    if cents is None:
        raise PaymentRequestInvalid(
            _("The amount to pay must be in euros and cents."), field="montant"
        )
    if not MIN_AMOUNT <= amount <= MAX_AMOUNT:
        raise PaymentRequestInvalid(
            _("PayFiP takes amounts from 1 € to 100,000 € only."), field="montant"
        )
    return cents


def clean_email(value: str) -> str:
    value = (value or "").strip()
    if "@" not in value or not EMAIL_MIN_LENGTH <= len(value) <= EMAIL_MAX_LENGTH:
        raise PaymentRequestInvalid(
            _(
                "PayFiP needs the payer's e-mail address (6 to 80 characters, with an @) to "
                "send the receipt."
            ),
            field="mel",
        )
    return value


def saisie_for_mode(mode: str) -> str:
    """PAYFIP_MODE (test, activation, production) as PayFiP's `saisie` (T, X, W)."""
    try:
        return SAISIE_BY_MODE[mode]
    except KeyError:
        raise PaymentRequestInvalid(
            _("PAYFIP_MODE must be test, activation or production."), field="saisie"
        ) from None


@dataclass(frozen=True)
class PayFiPRequest:
    """The fields of `creerPaiementSecurise`, each already checked."""

    numcli: str
    exer: str
    refdet: str
    montant: int  # cents
    mel: str
    objet: str
    saisie: str
    urlnotif: str
    urlredirect: str

    @property
    def amount(self) -> Decimal:
        return Decimal(self.montant) / 100

    def as_fields(self) -> dict[str, str]:
        return {
            "numcli": self.numcli,
            "exer": self.exer,
            "refdet": self.refdet,
            "montant": str(self.montant),
            "mel": self.mel,
            "objet": self.objet,
            "saisie": self.saisie,
            "urlnotif": self.urlnotif,
            "urlredirect": self.urlredirect,
        }


def build_payfip_request(
    *,
    reference: str,
    amount: Decimal,
    email: str,
    subject: str,
    return_url: str,
    notify_url: str,
    year: int,
    numcli: str,
    mode: str,
) -> PayFiPRequest:
    """Every field checked, in the order a reader fixes them; raises PaymentRequestInvalid."""
    if not return_url or not notify_url:
        raise PaymentRequestInvalid(
            _("PayFiP needs both a return address and a notification address."),
            field="urlnotif",
        )
    return PayFiPRequest(
        numcli=clean_numcli(numcli),
        exer=f"{year:04d}",
        refdet=refdet_from_reference(reference),
        montant=amount_in_cents(amount),
        mel=clean_email(email),
        objet=clean_objet(subject),
        saisie=saisie_for_mode(mode),
        urlnotif=notify_url,
        urlredirect=return_url,
    )
