"""Template filters of the reservation screens and e-mails."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.utils.formats import date_format, number_format, time_format

register = template.Library()

CENT = Decimal("0.01")


@register.filter
def money(value) -> str:
    """An amount in euros as families read it: 1 234,56 € (no line break inside)."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)
    except (InvalidOperation, TypeError, ValueError):
        return ""
    return f"{number_format(amount, decimal_pos=2, force_grouping=True)}\u00a0€"


@register.filter
def unit_period(unit, day) -> str:
    """When a unit takes place on a day, as in the summary: « 25/11/26 : 08:30 - 17:30 »."""
    return (
        f"{date_format(day, 'd/m/y')} : "
        f"{time_format(unit.start_time, 'H:i')} - {time_format(unit.end_time, 'H:i')}"
    )
