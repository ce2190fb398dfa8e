"""A queue: what families (or roll call) sent that awaits a staff decision, declared as
data. An app subclasses `Queue` and declares:

- `model`, and what the queue holds: `pending_status` (or `pending()` / `decided()` /
  `is_pending()` for another rule), `with_related()` for the list's joins;
- its columns (`list_display`), its `filters` (applied to the list and the bulk screen),
  `by_state` to list what awaits a decision by default with "Already decided" a click away;
- its `decisions` (see decisions.Decision: label, service, needs_reason, messages);
- `private_files` (a certificate, a document) served to staff only;
- how an item reads: `label()` (bulk screen, messages), `subtitle()`, `rows()` or
  `item_context()` with `item_template`, `history()`.

It gets one list (with the bulk link and buttons per decision), one item screen, one screen
per decision, one bulk screen, and the private-file screens, all guarded by the list's
permission; deciding needs the model's change permission.
"""

from django.urls import re_path
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail_modeladmin.helpers import ButtonHelper

from core.errors import DomainError

from . import base, filters
from .actions import ReadOnlyPermissionHelper
from .decisions import Decision
from .queue_views import BULK, BulkView, DecisionView, QueueIndexView, QueueInspectView


class QueuePermissionHelper(ReadOnlyPermissionHelper):
    """Staff decide (the model's change permission) an item still pending; they never
    create, edit or delete one here."""

    queue = None  # set by the queue

    def user_can_review(self, user):
        return self.user_has_specific_permission(user, self.get_perm_codename("change"))

    def user_can_review_obj(self, user, obj):
        return self.queue.is_pending(obj) and self.user_can_review(user)


class QueueButtonHelper(ButtonHelper):
    """A button per decision on each item staff may decide."""

    def get_buttons_for_obj(self, obj, exclude=None, classnames_add=None, classnames_exclude=None):
        buttons = super().get_buttons_for_obj(obj, exclude, classnames_add, classnames_exclude)
        if self.permission_helper.user_can_review_obj(self.request.user, obj):
            buttons += [
                {
                    "url": self.url_helper.get_action_url(decision.code, obj.pk),
                    "label": decision.label,
                    "classname": self.finalise_classname(list(decision.button_classnames)),
                    "title": decision.label,
                }
                for decision in self.view.model_admin.decisions
            ]
        return buttons


class Queue(base.StaffModelAdmin):
    decisions: tuple[Decision, ...] = ()
    pending_status: str = "pending"
    filters: tuple = ()
    by_state: bool = False
    # The refusal of a decision on an item no longer pending, or None when the services
    # check it themselves.
    already_decided = None
    index_empty_message = None
    item_template = "core/staff/rows.html"
    history_template = "core/staff/history.html"
    bulk_label = _("Decide several requests")
    bulk_empty_message = _("Nothing awaits a decision here.")
    bulk_items_field = "requests"
    bulk_ordering: tuple = ("pk",)
    # The bulk screen takes an item decided meanwhile (its service reports it) rather than
    # refusing the whole form.
    bulk_accepts_decided = True
    reason_required_message = _("Give the reason for the refusal: the family will read it.")

    index_view_class = QueueIndexView
    index_template_name = "core/staff/queue_index.html"
    inspect_view_enabled = True
    inspect_view_class = QueueInspectView
    inspect_template_name = "core/staff/inspect.html"
    # The item screen shows `rows` (or its own template): the default field list is unused.
    inspect_view_fields = ("pk",)
    history_view_enabled = False
    permission_helper_class = QueuePermissionHelper
    button_helper_class = QueueButtonHelper
    list_per_page = 50

    def __init__(self, parent=None):
        super().__init__(parent)
        self.permission_helper.queue = self
        self.list_filter = ((filters.StateFilter,) if self.by_state else ()) + tuple(self.filters)

    # What the queue holds.
    def with_related(self, queryset):
        return queryset

    def get_queryset(self, request):
        return self.with_related(super().get_queryset(request))

    def pending(self, queryset):
        return queryset.filter(status=self.pending_status)

    def decided(self, queryset):
        return queryset.exclude(status=self.pending_status)

    def is_pending(self, item) -> bool:
        return item.status == self.pending_status

    def filtered_pending(self, request):
        """The pending items within the filters and the search of the query string."""
        queryset = self.pending(self.get_queryset(request))
        params = dict(request.GET.lists())
        for filter_class in self.filters:
            if not callable(filter_class):
                continue  # a field's own filter ("status"): the list's only
            spec = filter_class(request, params, self.model, self)
            if base.offered(spec):
                queryset = spec.queryset(request, queryset)
        term = base.without_nul(request.GET.get("q", ""))
        queryset = self.get_search_handler(request, self.search_fields).search_queryset(
            queryset, term
        )
        return queryset.order_by(*self.bulk_ordering)

    def index_notice(self) -> tuple[str, str] | None:
        """(text, address) of something related awaiting staff, shown above the list."""
        return None

    # How an item reads.
    def label(self, item) -> str:
        return str(item)

    def subtitle(self, item) -> str:
        return str(item.family)

    def rows(self, item) -> list[tuple[str, object]]:
        return []

    def item_context(self, item, request) -> dict:
        """What the item's screens (inspect, decisions) show of it, for `item_template`."""
        return {"rows": self.rows(item)}

    def history(self, item) -> list | None:
        return None

    def bulk_items_label(self):
        return capfirst(self.model._meta.verbose_name_plural)

    def bulk_initial(self) -> dict:
        return {"decision": self.decisions[0].code}

    # Deciding.
    def decide(self, item, decision: Decision, *, actor, data: dict):
        """Call the decision's service on `item`; a DomainError is the refusal shown."""
        if self.already_decided is not None and not self.is_pending(item):
            raise DomainError(str(self.already_decided))
        return decision.service(item, actor=actor, **data)

    # Addresses.
    def decision_view(self, decision: Decision):
        view_class = type(
            f"{decision.code.title()}View",
            (DecisionView,),
            {"decision": decision},
        )

        def view(request, instance_pk):
            return view_class.as_view(model_admin=self, instance_pk=instance_pk)(request)

        return view

    def bulk_view(self, request):
        return BulkView.as_view(model_admin=self)(request)

    def extra_admin_urls(self):
        return (
            *super().extra_admin_urls(),
            *(self.action_pattern(d.code, self.decision_view(d)) for d in self.decisions),
            re_path(
                rf"^{self.url_helper.base_url_path}/{BULK}/$",
                self.bulk_view,
                name=self.url_helper.get_action_url_name(BULK),
            ),
        )
