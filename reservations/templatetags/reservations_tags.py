"""Template filters of the reservation screens and e-mails (amounts: `{% load money %}`)."""

from django import template
from django.utils.formats import date_format, time_format

register = template.Library()


@register.filter
def unit_period(unit, day) -> str:
    """When a unit takes place on a day, as in the summary: « 25/11/26 : 08:30 - 17:30 »."""
    return (
        f"{date_format(day, 'd/m/y')} : "
        f"{time_format(unit.start_time, 'H:i')} - {time_format(unit.end_time, 'H:i')}"
    )
