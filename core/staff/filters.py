"""The list filters every staff screen shares: by a related item (a school year, an
activity, a facility…), by a range of dates, and a queue's "awaiting / already decided".

Django's related-field filters need django.contrib.admin, which is not installed: these
offer the items themselves, and the strict list applies only a value they offer.
"""

import datetime

from django.contrib.admin import ListFilter, SimpleListFilter
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _

from core.bounds import parse_id

DECIDED = "decided"
DAY_FROM, DAY_TO = "day_from", "day_to"


def related_filter(title, parameter: str, lookup: str, options) -> type[SimpleListFilter]:
    """A list filter "By <title>" offering the items of `options()` (a callable returning
    a queryset or a list), filtering on `lookup` = the chosen item's id."""

    def lookups(self, request, model_admin):
        return [(obj.pk, str(obj)) for obj in options()]

    def queryset(self, request, queryset):
        value = parse_id(self.value())
        if value is None:
            return queryset
        return queryset.filter(**{lookup: value})

    return type(
        f"{parameter.title().replace('_', '')}Filter",
        (SimpleListFilter,),
        {"title": title, "parameter_name": parameter, "lookups": lookups, "queryset": queryset},
    )


def school_year_filter(options, lookup: str = "school_year_id") -> type[SimpleListFilter]:
    """By school year: the app that owns school years gives them (`options`)."""
    return related_filter(_("school year"), "school_year", lookup, options)


def _parse_date(raw) -> datetime.date | None:
    try:
        return parse_date(raw or "")
    except ValueError:
        return None


def date_range_filter(path: str, title) -> type[ListFilter]:
    """From one date to another (either bound optional, as ?day_from=&day_to=), on the date
    at `path`; a date that cannot be read is left out. Shown as a small form that keeps the
    list's other filters."""

    class DateRangeFilter(ListFilter):
        template = "core/staff/date_range_filter.html"
        parameters = (DAY_FROM, DAY_TO)

        def __init__(self, request, params, model, model_admin):
            self.title = title
            super().__init__(request, params, model, model_admin)
            self.dates = {}
            for name in self.parameters:
                if name in params:
                    value = params.pop(name)
                    raw = value[-1] if isinstance(value, list) else value
                    self.used_parameters[name] = raw
                    self.dates[name] = _parse_date(raw)

        def has_output(self):
            return True

        def expected_parameters(self):
            return list(self.parameters)

        def queryset(self, request, queryset):
            if self.dates.get(DAY_FROM):
                queryset = queryset.filter(**{f"{path}__gte": self.dates[DAY_FROM]})
            if self.dates.get(DAY_TO):
                queryset = queryset.filter(**{f"{path}__lte": self.dates[DAY_TO]})
            return queryset

        def choices(self, changelist):
            # One form rather than links: the other filters ride along as hidden fields.
            yield {
                "action": changelist.index_url,
                "from": self.dates.get(DAY_FROM),
                "to": self.dates.get(DAY_TO),
                "hidden": [
                    (name, value)
                    for name, values in changelist.params.lists()
                    if name not in self.parameters and name != changelist.PAGE_VAR
                    for value in values
                ],
            }

    return DateRangeFilter


class StateFilter(SimpleListFilter):
    """A queue's items awaiting a decision (the default) or already decided."""

    title = _("status")
    parameter_name = "state"

    def __init__(self, request, params, model, model_admin):
        self.model_admin = model_admin
        super().__init__(request, params, model, model_admin)

    def lookups(self, request, model_admin):
        return [(DECIDED, _("Already decided"))]

    def choices(self, changelist):
        yield {
            "selected": self.value() != DECIDED,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": _("Awaiting a decision"),
        }
        yield {
            "selected": self.value() == DECIDED,
            "query_string": changelist.get_query_string({self.parameter_name: DECIDED}),
            "display": _("Already decided"),
        }

    def queryset(self, request, queryset):
        if self.value() == DECIDED:
            return self.model_admin.decided(queryset)
        return self.model_admin.pending(queryset)
