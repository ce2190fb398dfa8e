"""`{% load money %}{{ amount|euros }}`: the one filter that prints amounts."""

from django import template

from ..money import format_euros

register = template.Library()


@register.filter
def euros(value) -> str:
    return format_euros(value)
