"""Validators of phone numbers, postal codes and IBANs: each gives a French message next to
the field."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

# French and international numbers: digits, spaces, dots, dashes, an optional leading +.
phone_validator = RegexValidator(
    regex=r"^\+?[0-9][0-9 .\-]{7,19}$",
    message=_("Enter a valid phone number, e.g. 06 12 34 56 78."),
)

postal_code_validator = RegexValidator(
    regex=r"^[0-9]{5}$", message=_("Enter a postal code of 5 digits.")
)


def normalize_iban(value: str) -> str:
    return re.sub(r"\s+", "", value or "").upper()


def validate_iban(value: str) -> None:
    """ISO 13616 check: country code, check digits, then the mod-97 test."""
    iban = normalize_iban(value)
    if not re.fullmatch(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}", iban):
        raise ValidationError(_("This IBAN is not valid."), code="invalid_iban")
    rearranged = iban[4:] + iban[:4]
    digits = "".join(str(int(char, 36)) for char in rearranged)
    if int(digits) % 97 != 1:
        raise ValidationError(_("This IBAN is not valid."), code="invalid_iban")
