"""The base of every staff screen (wagtail-modeladmin) of our apps.

wagtail-modeladmin trusts its address more than we do: its list applies any query parameter
as an ORM lookup (?decided_by__password__startswith=… answers one row or none, enough to read
a password hash a character at a time; an unknown field or an ill-typed value ends in a 500),
and its history screen checks no permission at all. Every ModelAdmin of ours derives from
StaffModelAdmin, which closes both.
"""

import dataclasses
from decimal import Decimal

from django.contrib import messages
from django.contrib.admin import FieldListFilter, SimpleListFilter
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import (
    get_fields_from_path,
    lookup_field,
    lookup_spawns_duplicates,
)
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.shortcuts import get_object_or_404, redirect
from django.urls import re_path, reverse
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from wagtail.utils.urlpatterns import decorate_urlpatterns
from wagtail_modeladmin.options import ModelAdmin
from wagtail_modeladmin.views import HistoryView, IndexView

from core.storage import private_file_response

COLUMN_ATTRIBUTES = ("short_description", "admin_order_field", "boolean", "empty_value_display")
# PostgreSQL refuses NUL in any text: a lookup holding one fails when the list is read.
NUL = "\x00"


def offered(spec) -> bool:
    """A SimpleListFilter applies only a value it offers (one of its lookups), never an id
    or a date it would have to parse itself; other filters check their values."""
    if not isinstance(spec, SimpleListFilter) or spec.value() is None:
        return True
    return spec.value() in {str(value) for value, _label in spec.lookup_choices}


def without_nul(term: str) -> str:
    return term.replace(NUL, "")


class RejectedParameters(Exception):
    """Query parameters the list does not apply (not declared, or a value it cannot use)."""

    def __init__(self, names):
        super().__init__(names)
        self.names = list(names)


class StrictIndexView(IndexView):
    """A list that applies only what its screen declares: its list filters (with a value they
    can use), the search (q), the ordering (o, ot) and the page (p). Any other parameter is
    never a lookup, never a 500: staff are sent to the list without it, and told."""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.rejected = []

    def reject(self, names) -> bool:
        """Drop `names` from the list's parameters; False when none was there."""
        names = [name for name in names if name in self.params]
        for name in names:
            del self.params[name]
        if self.SEARCH_VAR in names:
            self.query = ""
        self.rejected += names
        return bool(names)

    def filter_spec(self, request, list_filter, params):
        """The filter of one `list_filter` entry, as wagtail-modeladmin builds it; it takes
        its own parameters out of `params`."""
        if callable(list_filter):
            return list_filter(request, params, self.model, self.model_admin), False
        if isinstance(list_filter, tuple | list):
            field, filter_class = list_filter
        else:
            field, filter_class = list_filter, FieldListFilter.create
        field_path = None
        if not isinstance(field, models.Field):
            field_path = field
            field = get_fields_from_path(self.model, field_path)[-1]
        spec = filter_class(
            field, request, params, self.model, self.model_admin, field_path=field_path
        )
        return spec, lookup_spawns_duplicates(self.opts, field_path)

    def get_filters(self, request):
        params = self.get_filters_params()
        specs, use_distinct = [], False
        for list_filter in self.list_filter or ():
            spec, distinct = self.filter_spec(request, list_filter, params)
            use_distinct = use_distinct or distinct
            if spec and spec.has_output():
                specs.append(spec)
        if params:
            # What no declared filter took: never applied as a lookup.
            raise RejectedParameters(params)
        return specs, bool(specs), {}, use_distinct

    def declared_queryset(self, request):
        self.filter_specs, self.has_filters, _remaining, use_distinct = self.get_filters(request)
        queryset = self.get_base_queryset(request)
        for spec in self.filter_specs:
            if not offered(spec):
                raise RejectedParameters(spec.expected_parameters())
            try:
                filtered = spec.queryset(request, queryset)
            except (IncorrectLookupParameters, ValidationError, ValueError, TypeError) as error:
                raise RejectedParameters(spec.expected_parameters()) from error
            if filtered is not None:
                queryset = filtered
        if not queryset.query.select_related:
            queryset = self.apply_select_related(queryset)
        queryset = queryset.order_by(*self.get_ordering(request, queryset))
        if use_distinct:
            queryset = queryset.distinct()
        return self.get_search_results(request, queryset, self.query)

    def get_queryset(self, request=None):
        request = request or self.request
        self.reject(
            name
            for name, values in self.params.lists()
            if NUL in name or any(NUL in value for value in values)
        )
        while True:
            try:
                return self.declared_queryset(request)
            except RejectedParameters as error:
                # Each round drops at least one parameter, so this ends.
                if not self.reject(error.names):
                    raise

    def header_buttons(self) -> list[tuple[str, str]]:
        """The screen's own buttons next to its title (core/staff/index.html shows them)."""
        return self.model_admin.header_buttons(self.request)

    def get_heading(self, queryset, field):
        """An exported column's heading: the screen's `export_headings` (in French), else
        the column's label."""
        heading = getattr(self.model_admin, "export_headings", {}).get(field)
        return force_str(heading) if heading else super().get_heading(queryset, field)

    def to_row_dict(self, item):
        """An exported row (?export=csv or xlsx, columns from `list_export`): numbers stay
        numbers, zero included (wagtail-modeladmin writes an empty value for any falsy one)."""
        row = super().to_row_dict(item)
        for name in self.list_export:
            _field, _attr, value = lookup_field(name, item, self.model_admin)
            if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
                row[name] = value
        return row

    def get(self, request, *args, **kwargs):
        if not self.rejected:
            return super().get(request, *args, **kwargs)
        # The same list at an address without them, so no link of the page carries them.
        names = ", ".join(sorted({name.replace(NUL, "") for name in self.rejected}))
        messages.warning(
            request,
            _("Ignored: %(names)s (not a filter of this list, or a value it cannot use).")
            % {"names": names},
        )
        query = self.params.urlencode()
        return redirect(f"{request.path}?{query}" if query else request.path)


class StaffHistoryView(HistoryView):
    """An item's history, for whoever may list its model (wagtail-modeladmin checks nothing)."""

    def check_action_permitted(self, user):
        return self.permission_helper.user_can_list(user)


@dataclasses.dataclass(frozen=True)
class PrivateFile:
    """A private file a screen serves at <model>/<action>/<pk>/: the `file` (with its
    `original_name` and `content_type`) of an item of the screen's own model, or of `model`
    (an attachment of a conversation…). Staff who may list the screen's model download it;
    it never has a public address; an item without a file answers 404."""

    action: str = "file"
    model: type | None = None


class StaffModelAdmin(ModelAdmin):
    """Base of every ModelAdmin of our apps: strict lists, a checked history, and every
    screen of the model (its own and those added in `extra_admin_urls`) refused to whoever
    may not list the model, whatever the screen checks besides."""

    index_view_class = StrictIndexView
    history_view_class = StaffHistoryView
    private_files: tuple[PrivateFile, ...] = ()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # A column written as a @staticmethod keeps its label (short_description…) on the
        # staticmethod, which Django never sees: the list would show "Children count".
        for value in vars(cls).values():
            if isinstance(value, staticmethod):
                for name in COLUMN_ATTRIBUTES:
                    if name in vars(value):
                        setattr(value.__func__, name, vars(value)[name])
        # An override (in the class or a mixin) would register screens past the guard.
        if (
            cls.get_admin_urls_for_registration
            is not StaffModelAdmin.get_admin_urls_for_registration
        ):
            raise TypeError(
                f"{cls.__name__}: add screens in extra_admin_urls(), where they are guarded."
            )

    def header_buttons(self, request) -> list[tuple[str, str]]:
        """(url, label) pairs shown next to the list's title (with index_template_name
        "core/staff/index.html"): « Préparer la facturation »…"""
        return []

    def extra_admin_urls(self) -> tuple:
        """The screens a subclass adds (decisions, files…), as URL patterns."""
        return tuple(
            self.action_pattern(private.action, self.file_view(private))
            for private in self.private_files
        )

    def action_pattern(self, action: str, view):
        """The pattern of `view(request, instance_pk)` at <model>/<action>/<pk>/."""
        return re_path(
            self.url_helper.get_action_url_pattern(action),
            view,
            name=self.url_helper.get_action_url_name(action),
        )

    def screen_pattern(self, action: str, view):
        """The pattern of a screen on no item, `view(request)`, at <model>/<action>/ (a form
        that prepares something, a report…)."""
        return re_path(
            rf"^{self.url_helper.base_url_path}/{action}/$",
            view,
            name=self.url_helper.get_action_url_name(action),
        )

    def screen_url(self, action: str) -> str:
        return reverse(self.url_helper.get_action_url_name(action))

    def file_view(self, private: PrivateFile):
        def view(request, instance_pk):
            if not self.permission_helper.user_has_any_permissions(request.user):
                raise PermissionDenied
            return private_file_response(
                get_object_or_404(private.model or self.model, pk=instance_pk)
            )

        return view

    def file_url(self, obj, action: str = "file") -> str | None:
        """The address of the private file of `obj`, or None when it has none."""
        if not obj.file:
            return None
        return self.url_helper.get_action_url(action, obj.pk)

    def guard(self, view):
        def guarded(request, *args, **kwargs):
            if not self.permission_helper.user_can_list(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return guarded

    def get_admin_urls_for_registration(self):
        urls = [*super().get_admin_urls_for_registration(), *self.extra_admin_urls()]
        return tuple(decorate_urlpatterns(urls, self.guard))
