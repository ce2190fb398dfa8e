"""What an address or a form may carry: ids the database can hold, days and months near today.

Every URL, query string and form of the portal and of the staff screens reads its ids, days
and months through here, so that a forged value is a 404 or a French message, never a 500:

- an id beyond 2**63 − 1 fits neither SQLite's INTEGER nor PostgreSQL's bigint, and the
  database refuses the query (OverflowError, DataError) instead of finding nothing;
- a day such as 9999-12-31 or 0001-01-01 is a valid Python date, but the month after it or
  the week before it is not, and every screen showing a period computes one.

Days and months are accepted within YEARS_AROUND years of today: wide enough for any birth
date, any validity of a document and any school year, far from the ends of the calendar.
"""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext

# The largest value of a signed 64-bit integer: SQLite's INTEGER, PostgreSQL's bigint.
MAX_ID = 2**63 - 1
YEARS_AROUND = 100

MONTH_RE = re.compile(r"(\d{4})-(\d{1,2})")


def parse_id(value) -> int | None:
    """A positive id the database can hold, from a string of digits; None otherwise."""
    value = str(value if value is not None else "").strip()
    if not value.isascii() or not value.isdigit():
        return None
    number = int(value)
    return number if 1 <= number <= MAX_ID else None


class IdConverter:
    """`<id:name>` in a URL: digits that make an id. A longer number matches no URL (404)
    rather than reaching the database."""

    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise ValueError("id out of range")
        return number

    def to_url(self, value) -> str:
        return str(value)


def date_window(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """The first and last days a form or an address may give."""
    year = (today or timezone.localdate()).year
    return datetime.date(year - YEARS_AROUND, 1, 1), datetime.date(year + YEARS_AROUND, 12, 31)


def in_date_window(day: datetime.date, today: datetime.date | None = None) -> bool:
    first, last = date_window(today)
    if isinstance(day, datetime.datetime):
        day = day.date()
    return first <= day <= last


def out_of_window_message(today: datetime.date | None = None) -> str:
    first, last = date_window(today)
    return gettext("Give a date between %(first)s and %(last)s.") % {
        "first": f"{first:%d/%m/%Y}",
        "last": f"{last:%d/%m/%Y}",
    }


def validate_date_in_window(value) -> None:
    """A form field's validator (dates and date-times): the message goes next to the field."""
    if value is not None and not in_date_window(value):
        raise ValidationError(out_of_window_message(), code="date_out_of_window")


def parse_day(value, *, today: datetime.date | None = None) -> datetime.date | None:
    """An ISO day ("2026-11-25") within the window; None when absent, malformed or too far."""
    try:
        day = datetime.date.fromisoformat(str(value or "").strip())
    except ValueError:
        return None
    return day if in_date_window(day, today) else None


def parse_month(value, *, today: datetime.date | None = None) -> datetime.date | None:
    """The first day of the month given as "YYYY-MM", within the window; None otherwise."""
    match = MONTH_RE.fullmatch(str(value or "").strip())
    if match is None:
        return None
    year, month = (int(part) for part in match.groups())
    try:
        first = datetime.date(year, month, 1)
    except ValueError:  # month 13, year 0
        return None
    return first if in_date_window(first, today) else None


def bound_date_fields(form) -> None:
    """Give every date and date-time field of `form` the window's validator (for model
    forms, whose fields come from the model)."""
    for field in form.fields.values():
        if isinstance(field, forms.DateField | forms.DateTimeField):
            field.validators.append(validate_date_in_window)


def period_check(
    form,
    *,
    start: str = "start",
    end: str = "end",
    backwards,
    shortest=0,
    too_short=None,
    longest=None,
    too_long=None,
) -> None:
    """Once `form`'s two date fields `start` and `end` are clean, the period they make must
    run forwards (else `backwards`), last at least `shortest` days after its first
    (else `too_short`) and at most `longest` (else `too_long`): the message goes next to
    `end`."""
    first, last = form.cleaned_data.get(start), form.cleaned_data.get(end)
    if not (first and last):
        return
    days = (last - first).days
    if days < 0:
        form.add_error(end, backwards)
    elif days < shortest:
        form.add_error(end, too_short)
    elif longest is not None and days > longest:
        form.add_error(end, too_long)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Several objects chosen by id (ticked lines of a bulk screen): an id the database
    cannot hold is an invalid choice, where Django's field would send it in a `pk__in`."""

    def _check_values(self, value):
        for pk in value:
            if parse_id(pk) is None:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)
