"""Rows valid over a period of days: `valid_from`, and `valid_until` (included; empty: until
further notice). Tariffs, aids and quotient records read their period the same way."""

from django.db.models import Q


def overlapping(queryset, start, end):
    """Rows of `queryset` valid on at least one day of [start, end] (`end` None: open-ended)."""
    queryset = queryset.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=start))
    if end is not None:
        queryset = queryset.filter(valid_from__lte=end)
    return queryset
