"""`{% load french %}`: « d'Emma », « 1er janvier », « 8 h 30 », « 1,5 Mo » (core/french.py).

{{ child.first_name|of }}                   de Léa / d'Emma
{{ sentence|elide:child.first_name }}       « Fiche de Emma » → « Fiche d'Emma »
{{ day|long_date }} {{ day|long_date:"weekday" }}   1er janvier 2027 / vendredi 1er…
{{ unit.start_time|hour }}                  8 h 30
{{ size|file_size }}                        1,5 Mo
"""

from django import template

from .. import french

register = template.Library()


@register.filter(name="of")
def of_filter(name) -> str:
    return french.of(name)


@register.filter(name="elide")
def elide_filter(text, name) -> str:
    return french.elide(text, name)


@register.filter(name="long_date")
def long_date_filter(day, arg="") -> str:
    if not day:
        return ""
    return french.long_date(day, weekday=arg == "weekday")


@register.filter(name="hour")
def hour_filter(value) -> str:
    return french.hour(value)


@register.filter(name="file_size")
def file_size_filter(size) -> str:
    return french.file_size(size)
