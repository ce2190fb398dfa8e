"""Template filters of the reservation screens and e-mails (amounts: `{% load money %}`)."""

from django import template
from django.utils.formats import date_format

from core.french import hours

register = template.Library()


@register.filter
def unit_period(unit, day) -> str:
    """When a unit takes place on a day, as in the summary: « 25/11/26 : 8 h 30 – 17 h 30 »."""
    return f"{date_format(day, 'd/m/y')} : {hours(unit.start_time, unit.end_time)}"
