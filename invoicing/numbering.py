"""How a document number is written from its series: `F{regie}-{yy}-{seq:06}` → F-ALSH-26-000042.

The number itself comes from the kernel's gapless counter (`core.counters`), one series per
régie, civil year and kind of document, taken only when a run is finalised.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.actors import user_or_none
from core.counters import counter_next
from core.time import local_today

PLACEHOLDERS = "{regie}, {yy}, {yyyy}, {seq}"


def document_number(number_format: str, *, regie_code: str, year: int, sequence: int) -> str:
    return number_format.format(
        regie=regie_code, yy=f"{year % 100:02d}", yyyy=f"{year:04d}", seq=sequence
    )


def counter_scope(kind: str, regie_code: str) -> str:
    """The kernel counter's series: `invoice:<code>`, `credit_note:<code>`, `receipt:<code>`…"""
    return f"{kind}:{regie_code}"


def next_number(kind: str, number_format: str, *, regie, year: int) -> tuple[str, int]:
    """The next number of the régie's series `kind` in `year`, written with `number_format`,
    and its sequence. Taken from the gapless counter: call it inside the transaction that
    creates the document (a rollback gives the number back)."""
    sequence = counter_next(scope=counter_scope(kind, regie.code), year=year)
    number = document_number(number_format, regie_code=regie.code, year=year, sequence=sequence)
    return number, sequence


def regie_numbered(kind: str, number_format: str, *, regie, now, actor) -> dict:
    """What a document numbered in the régie's yearly series holds (`RegieNumbered`): the
    régie, its next number in the civil year of `now` (Paris) and its sequence, when and by
    whom it was made; to give to the document's `create()`."""
    year = local_today(now).year
    number, sequence = next_number(kind, number_format, regie=regie, year=year)
    return {
        "regie": regie,
        "number": number,
        "year": year,
        "sequence": sequence,
        "created_at": now,
        "created_by": user_or_none(actor),
    }


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
