"""Rows valid over a period of days: `valid_from`, and `valid_until` (included; empty: until
further notice). Tariffs, aids and quotient records read their period the same way."""

from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext


def overlapping(queryset, start, end):
    """Rows of `queryset` valid on at least one day of [start, end] (`end` None: open-ended)."""
    queryset = queryset.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=start))
    if end is not None:
        queryset = queryset.filter(valid_from__lte=end)
    return queryset


def period_text(start, end) -> str:
    """The period as families and staff read it: « du 01/09/2026 au 31/08/2027 », or
    « à partir du 01/09/2026 » when it has no end."""
    if end is None:
        return gettext("from %(start)s") % {"start": date_format(start, "SHORT_DATE_FORMAT")}
    return gettext("from %(start)s to %(end)s") % {
        "start": date_format(start, "SHORT_DATE_FORMAT"),
        "end": date_format(end, "SHORT_DATE_FORMAT"),
    }
