"""How a document number is written from its series: `F{regie}-{yy}-{seq:06}` → F-ALSH-26-000042.

The number itself comes from the kernel's gapless counter (`core.counters`), one series per
régie, civil year and kind of document, taken only when a run is finalised.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

PLACEHOLDERS = "{regie}, {yy}, {yyyy}, {seq}"


def document_number(number_format: str, *, regie_code: str, year: int, sequence: int) -> str:
    return number_format.format(
        regie=regie_code, yy=f"{year % 100:02d}", yyyy=f"{year:04d}", seq=sequence
    )


def counter_scope(kind: str, regie_code: str) -> str:
    """The kernel counter's series: `invoice:<code>` or `credit_note:<code>`."""
    return f"{kind}:{regie_code}"


def validate_number_format(value: str) -> None:
    """The format must write the sequence and nothing our placeholders do not fill."""
    try:
        sample = document_number(value, regie_code="R", year=2026, sequence=1)
    except (KeyError, IndexError, ValueError) as error:
        raise ValidationError(
            _("This number format is not valid; use only %(placeholders)s."),
            params={"placeholders": PLACEHOLDERS},
        ) from error
    if "{seq" not in value or len(sample) > 40:
        raise ValidationError(
            _("The number format must contain {seq} and give at most 40 characters.")
        )
