"""Staff queues « Demandes (réservations) »: administrative files, registrations, booking
and cancellation requests, and declared absences to excuse or bill.

Each queue lists what awaits a decision (or, on request, what was decided), filters it by
activity, day and family, and decides one item or several ticked ones. Every button calls
the item's service, which checks the state, records who decided and tells the family; no
decision logic lives here.
"""

import dataclasses
import datetime

from django import forms
from django.contrib.admin import SimpleListFilter
from django.contrib.admin.filters import ListFilter
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import re_path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from wagtail_modeladmin.options import ModelAdminGroup, modeladmin_register
from wagtail_modeladmin.views import InspectView

from core.bounds import IdMultipleChoiceField, parse_id
from core.choices import RequestStatus
from core.storage import private_file_response
from portal_features import admin_base, admin_bulk
from portal_features.admin_review import (
    DecisionAdminMixin,
    DecisionView,
    ReviewButtonHelper,
    ReviewPermissionHelper,
)

from ..choices import AbsenceStatus, Attendance, ReservationStatus
from ..errors import ReservationError
from ..models import (
    Absence,
    Activity,
    Enrolment,
    Registration,
    Reservation,
    ReservationEvent,
    SchoolYear,
)
from ..selectors.billing import (
    BOOKED_STATUSES,
    is_undecided_absent_mark,
    undecided_absent_marks,
)
from ..services import absences, booking, requests

TEMPLATES = "reservations/admin"
BULK = admin_bulk.BULK
DECIDED = "decided"


# --- Decisions -----------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Decision:
    """One button of a queue: its action name (in the URL), label and what staff write.

    `text_label` asks for a text the family reads (a refusal's reason, a billing note);
    `text_required` refuses the decision without it.
    """

    action: str
    label: Promise
    done: Promise  # the success message of one decision
    done_many: Promise  # the summary of a bulk decision, with %(count)d
    text_label: Promise | None = None
    text_help: Promise | None = None
    text_required: bool = False
    classnames: tuple = ()


REFUSAL_HELP = _("The family reads it in its alerts.")


def accept_decision(done, done_many) -> Decision:
    return Decision("accept", _("Accept"), done, done_many)


def refuse_decision(done, done_many) -> Decision:
    return Decision(
        "refuse",
        _("Refuse"),
        done,
        done_many,
        text_label=_("Reason for refusal"),
        text_help=REFUSAL_HELP,
        text_required=True,
        classnames=("button-secondary", "no"),
    )


def decision_form(decision: Decision) -> type[forms.Form]:
    """The form of one decision's screen: a confirmation, or the text the family reads."""
    fields = {}
    if decision.text_label is not None:
        fields["reason"] = forms.CharField(
            label=decision.text_label,
            help_text=decision.text_help,
            required=decision.text_required,
            widget=forms.Textarea({"rows": 5}),
        )
    return type("DecisionForm", (forms.Form,), fields)


class BulkQueueForm(admin_bulk.BulkDecisionForm):
    """Tick items, choose one of the queue's decisions; a text is required where the single
    decision requires one."""

    items_field = "requests"

    requests = IdMultipleChoiceField(
        label=_("Requests"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    decision = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect)
    field_order = ("requests", "decision", "reason")

    def __init__(self, *args, decisions, items_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.decisions = {decision.action: decision for decision in decisions}
        self.fields["decision"].choices = [(d.action, d.label) for d in decisions]
        if items_label is not None:
            self.fields["requests"].label = items_label
        labels = {d.text_label for d in decisions if d.text_label is not None}
        if len(labels) == 1:
            self.fields["reason"].label = labels.pop()
        else:
            self.fields["reason"].label = _("Reason or note for the family")

    def clean(self):
        cleaned = forms.Form.clean(self)
        decision = self.decisions.get(cleaned.get("decision"))
        if (
            decision is not None
            and decision.text_required
            and not (cleaned.get("reason") or "").strip()
        ):
            self.add_error("reason", self.reason_required_message)
        return cleaned


# --- Permissions and buttons ---------------------------------------------------------


class QueuePermissionHelper(ReviewPermissionHelper):
    """Deciding needs the model's change permission; only an item still awaiting a decision
    (the queue's own pending status) is decided."""

    pending_status = RequestStatus.PENDING

    def user_can_review_obj(self, user, obj):
        return obj.status == self.pending_status and self.user_can_review(user)

    def user_can_see_files(self, user):
        return self.user_has_any_permissions(user)


class QueueButtonHelper(ReviewButtonHelper):
    """One button per decision of the queue."""

    @property
    def decisions(self):
        return [(d.action, d.label, list(d.classnames)) for d in self.view.model_admin.decisions]


# --- Filters -------------------------------------------------------------------------


class StateFilter(SimpleListFilter):
    """What awaits a decision (the default) or what was already decided."""

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


def activity_filter(path: str) -> type[SimpleListFilter]:
    """By activity, `path` leading from the queue's model to the activity's id."""

    class ActivityFilter(SimpleListFilter):
        title = _("activity")
        parameter_name = "activity"

        def lookups(self, request, model_admin):
            activities = Activity.objects.select_related("school_year").order_by(
                "-school_year__start_date", "sort_order", "name"
            )
            return [(activity.pk, activity.name) for activity in activities]

        def queryset(self, request, queryset):
            value = parse_id(self.value())
            if value is not None:
                return queryset.filter(**{path: value})
            return queryset

    return ActivityFilter


class SchoolYearFilter(SimpleListFilter):
    title = _("school year")
    parameter_name = "school_year"

    def lookups(self, request, model_admin):
        return [(year.pk, year.name) for year in SchoolYear.objects.all()]

    def queryset(self, request, queryset):
        value = parse_id(self.value())
        if value is not None:
            return queryset.filter(school_year_id=value)
        return queryset


def date_range_filter(path: str, title) -> type[ListFilter]:
    """From one date to another (both optional), on the date at `path`."""

    class DateRangeFilter(ListFilter):
        template = f"{TEMPLATES}/queues_date_filter.html"
        parameters = ("day_from", "day_to")

        def __init__(self, request, params, model, model_admin):
            self.title = title
            super().__init__(request, params, model, model_admin)
            self.dates = {}
            for name in self.parameters:
                if name in params:
                    raw = params.pop(name)[-1]
                    self.used_parameters[name] = raw
                    self.dates[name] = _parse_date(raw)

        def has_output(self):
            return True

        def expected_parameters(self):
            return list(self.parameters)

        def queryset(self, request, queryset):
            if self.dates.get("day_from"):
                queryset = queryset.filter(**{f"{path}__gte": self.dates["day_from"]})
            if self.dates.get("day_to"):
                queryset = queryset.filter(**{f"{path}__lte": self.dates["day_to"]})
            return queryset

        def choices(self, changelist):
            # One form rather than links: the other filters ride along as hidden fields.
            yield {
                "action": changelist.index_url,
                "from": self.dates.get("day_from"),
                "to": self.dates.get("day_to"),
                "hidden": [
                    (name, value)
                    for name, values in changelist.params.lists()
                    if name not in self.parameters and name != changelist.PAGE_VAR
                    for value in values
                ],
            }

    return DateRangeFilter


def _parse_date(raw: str) -> datetime.date | None:
    try:
        return parse_date(raw or "")
    except ValueError:
        return None


# --- Views ---------------------------------------------------------------------------


class QueueIndexView(admin_bulk.BulkIndexView):
    """The queue's list; the bulk screen's link keeps the filters chosen here."""

    def get_page_title(self):
        return self.model_admin.menu_label

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if "bulk_url" in context:
            params = self.params.copy()
            for name in (self.PAGE_VAR, self.ORDER_VAR, self.ORDER_TYPE_VAR, "state"):
                params.pop(name, None)
            if params:
                context["bulk_url"] += "?" + params.urlencode()
            context["bulk_label"] = self.model_admin.bulk_label
        context["notice"] = self.model_admin.index_notice()
        return context


class QueueInspectView(InspectView):
    def get_page_title(self):
        return capfirst(self.verbose_name)

    def get_page_subtitle(self):
        return self.model_admin.subtitle(self.instance)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            rows=self.model_admin.rows(self.instance, self.request),
            history=self.model_admin.history(self.instance),
            **kwargs,
        )


class QueueDecisionView(DecisionView):
    """One decision on one item; the queue's ModelAdmin calls the service."""

    decision: Decision = None
    template_name = f"{TEMPLATES}/queues_decision.html"

    def get_page_title(self):
        return self.decision.label

    def get_page_subtitle(self):
        return self.model_admin.subtitle(self.instance)

    def decision_context(self):
        return {
            "rows": self.model_admin.rows(self.instance, self.request),
            "decision": self.decision,
        }

    def decide(self, data):
        self.model_admin.decide(
            self.instance, self.decision.action, user=self.request.user, text=data.get("reason", "")
        )
        return self.decision.done


class QueueBulkView(admin_bulk.BulkDecisionView):
    """Decide several items of the queue at once, each through its service; the items
    offered are those awaiting a decision within the filters chosen on the list."""

    template_name = f"{TEMPLATES}/queues_bulk.html"
    form_class = BulkQueueForm

    def get_page_title(self):
        return self.model_admin.bulk_label

    @property
    def empty_message(self):
        return gettext("Nothing awaits a decision here.")

    def pending(self):
        return self.model_admin.filtered_pending(self.request)

    def choosable(self):
        return self.model_admin.with_related(self.model_admin.model.objects.all())

    def label(self, item):
        return self.model_admin.label(item)

    def form(self, data=None, **kwargs):
        return super().form(
            data,
            decisions=self.model_admin.decisions,
            items_label=capfirst(self.model_admin.model._meta.verbose_name_plural),
            **kwargs,
        )

    def initial(self):
        return {"decision": self.model_admin.decisions[0].action}

    def decide(self, item, data):
        self.model_admin.decide(item, data["decision"], user=self.request.user, text=data["reason"])

    def summary(self, data, count):
        decision = self.form_decision(data["decision"])
        return decision.done_many % {"count": count}

    def form_decision(self, action) -> Decision:
        return next(d for d in self.model_admin.decisions if d.action == action)


# --- The queues ----------------------------------------------------------------------


def _family(family) -> str:
    return f"{family.name} ({family.number})"


def _day(value) -> str:
    return date_format(value, "SHORT_DATE_FORMAT") if value else "—"


def _moment(value) -> str:
    return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT") if value else "—"


def _user(user) -> str:
    if user is None:
        return "—"
    return user.get_full_name() or user.email


def _label(model, field: str) -> str:
    return capfirst(model._meta.get_field(field).verbose_name)


class QueueAdmin(DecisionAdminMixin, admin_base.StaffModelAdmin):
    """A queue: its pending status, what "decided" means, its decisions and their services."""

    pending_status: str = RequestStatus.PENDING
    decisions: tuple[Decision, ...] = ()
    bulk_label = _("Decide several requests")
    # The ModelAdmins of one model live side by side: each has its own address.
    base_url_path: str = None
    index_view_class = QueueIndexView
    index_template_name = f"{TEMPLATES}/queues_index.html"
    inspect_view_enabled = True
    inspect_view_class = QueueInspectView
    inspect_template_name = f"{TEMPLATES}/queues_inspect.html"
    # The inspect template shows `rows`: the default field list is not computed.
    inspect_view_fields = ("status",)
    history_view_enabled = False
    permission_helper_class = QueuePermissionHelper
    button_helper_class = QueueButtonHelper
    list_per_page = 50
    # Applied to the bulk screen too (besides the state, always "pending" there).
    item_filters: tuple = ()
    search_fields = (
        "family__number",
        "family__name",
        "child__first_name",
        "child__last_name",
    )

    def __init__(self, parent=None):
        super().__init__(parent)
        self.permission_helper.pending_status = self.pending_status
        self.decision_views = tuple(
            (
                decision.action,
                type(
                    f"{decision.action.title()}View",
                    (QueueDecisionView,),
                    {"decision": decision, "form_class": decision_form(decision)},
                ),
            )
            for decision in self.decisions
        )
        self.list_filter = (StateFilter, *self.item_filters)

    # What the queue holds.
    def with_related(self, queryset):
        return queryset

    def pending(self, queryset):
        return queryset.filter(status=self.pending_status)

    def decided(self, queryset):
        return queryset.exclude(status=self.pending_status)

    def get_queryset(self, request):
        return self.with_related(super().get_queryset(request))

    def filtered_pending(self, request):
        """The pending items within the filters and search of the list's query string."""
        queryset = self.pending(self.get_queryset(request))
        params = dict(request.GET.lists())
        for filter_class in self.item_filters:
            spec = filter_class(request, params, self.model, self)
            if admin_base.offered(spec):
                queryset = spec.queryset(request, queryset)
        term = admin_base.without_nul(request.GET.get("q", ""))
        queryset = self.get_search_handler(request, self.search_fields).search_queryset(
            queryset, term
        )
        return queryset.order_by(*self.bulk_ordering)

    bulk_ordering = ("created_at", "pk")

    def index_notice(self) -> tuple[str, str] | None:
        """(text, address) of something related awaiting staff, shown above the list."""
        return None

    # How an item reads.
    def label(self, item) -> str:
        return str(item)

    def subtitle(self, item) -> str:
        return _family(item.family)

    def rows(self, item, request) -> list[tuple[str, object]]:
        return []

    def history(self, item) -> list | None:
        return None

    def decision_rows(self, item) -> list[tuple[str, object]]:
        """Who decided, when and why, once decided."""
        if item.status == self.pending_status:
            return []
        return [
            (_label(self.model, "decided_at"), _moment(item.decided_at)),
            (_label(self.model, "decided_by"), _user(item.decided_by)),
            (_label(self.model, "refusal_reason"), item.refusal_reason or "—"),
        ]

    # Deciding.
    def decide(self, item, action: str, *, user, text: str) -> None:
        """Call the service of `action` on `item`: a ReservationError is the refusal shown."""
        if item.status != self.pending_status:
            raise ReservationError(gettext("This request has already been processed."))
        self.apply(item, action, user=user, text=text)

    def apply(self, item, action: str, *, user, text: str) -> None:
        raise NotImplementedError

    # Addresses.
    def extra_admin_urls(self):
        bulk = re_path(
            rf"^{self.url_helper.base_url_path}/{BULK}/$",
            lambda request: QueueBulkView.as_view(model_admin=self)(request),
            name=self.url_helper.get_action_url_name(BULK),
        )
        return (*super().extra_admin_urls(), bulk)

    # Columns.
    def family_column(self, item):
        return _family(item.family)

    family_column.short_description = _("Family")


class EnrolmentQueue(QueueAdmin):
    model = Enrolment
    base_url_path = "reservations/queues/enrolments"
    menu_label = _("Administrative files")
    menu_icon = "folder-open-inverse"
    list_display = ("created_at", "family_column", "child", "school_year", "status")
    item_filters = (SchoolYearFilter, date_range_filter("created_at__date", _("asked on")))
    decisions = (
        accept_decision(
            _("Administrative file validated; the family is told."),
            _("%(count)d administrative file(s) validated; the families are told."),
        ),
        refuse_decision(
            _("Administrative file refused; the family reads the reason."),
            _("%(count)d administrative file(s) refused; the families read the reason."),
        ),
    )

    def with_related(self, queryset):
        return queryset.select_related("family", "child", "school_year", "decided_by")

    def label(self, item):
        return f"{_family(item.family)} – {item.child} – {item.school_year}"

    def rows(self, item, request):
        return [
            (_label(Enrolment, "family"), _family(item.family)),
            (_label(Enrolment, "child"), item.child),
            (_label(Enrolment, "school_year"), item.school_year),
            (_label(Enrolment, "created_at"), _moment(item.created_at)),
            (_label(Enrolment, "comment"), item.comment or "—"),
            (_label(Enrolment, "status"), item.get_status_display()),
            *self.decision_rows(item),
        ]

    def apply(self, item, action, *, user, text):
        if action == "accept":
            requests.enrolment_accept(enrolment_id=item.pk, actor=user)
        else:
            requests.enrolment_refuse(enrolment_id=item.pk, actor=user, reason=text)


class RegistrationQueue(QueueAdmin):
    model = Registration
    base_url_path = "reservations/queues/registrations"
    menu_label = _("Registrations")
    menu_icon = "list-ul"
    list_display = ("created_at", "family_column", "child", "activity", "group", "status")
    item_filters = (
        activity_filter("activity_id"),
        date_range_filter("created_at__date", _("asked on")),
    )
    decisions = (
        accept_decision(
            _("Registration validated; the family is told."),
            _("%(count)d registration(s) validated; the families are told."),
        ),
        refuse_decision(
            _("Registration refused; the family reads the reason."),
            _("%(count)d registration(s) refused; the families read the reason."),
        ),
    )

    def with_related(self, queryset):
        return queryset.select_related("family", "child", "activity", "group", "decided_by")

    def label(self, item):
        return f"{_family(item.family)} – {item.child} – {item.activity} ({item.group.name})"

    def rows(self, item, request):
        return [
            (_label(Registration, "family"), _family(item.family)),
            (_label(Registration, "child"), item.child),
            (_label(Registration, "activity"), item.activity),
            (_label(Registration, "group"), item.group.name),
            (_label(Registration, "created_at"), _moment(item.created_at)),
            (_label(Registration, "status"), item.get_status_display()),
            *self.decision_rows(item),
        ]

    def apply(self, item, action, *, user, text):
        if action == "accept":
            requests.registration_accept(registration_id=item.pk, actor=user)
        else:
            requests.registration_refuse(registration_id=item.pk, actor=user, reason=text)


class ReservationQueue(QueueAdmin):
    """Base of the two queues of reservations: booking requests, cancellation requests."""

    model = Reservation
    list_display = (
        "day",
        "family_column",
        "child",
        "activity_column",
        "unit_column",
        "group_column",
        "requested_at",
        "status",
    )
    item_filters = (
        activity_filter("unit__activity_id"),
        date_range_filter("day", _("day")),
    )
    bulk_ordering = ("day", "requested_at", "pk")

    def with_related(self, queryset):
        return queryset.select_related(
            "family", "child", "unit__activity", "slot__group", "decided_by"
        )

    def was_pending(self):
        """The reservation once had the queue's pending status."""
        return Exists(
            ReservationEvent.objects.filter(
                reservation=OuterRef("pk"), from_status=self.pending_status
            )
        )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(Q(status=self.pending_status) | Q(self.was_pending()))
        )

    def decided(self, queryset):
        return queryset.filter(self.was_pending()).exclude(status=self.pending_status)

    def label(self, item):
        return (
            f"{_family(item.family)} – {item.child.first_name} – {item.unit.activity} – "
            f"{item.unit.name} – {_day(item.day)}"
        )

    def rows(self, item, request):
        return [
            (_label(Reservation, "family"), _family(item.family)),
            (_label(Reservation, "child"), item.child),
            (_("Activity"), item.unit.activity),
            (_label(Reservation, "unit"), item.unit.name),
            (_("Group"), item.slot.group.name),
            (_label(Reservation, "day"), _day(item.day)),
            (_label(Reservation, "status"), item.get_status_display()),
            (_label(Reservation, "requested_at"), _moment(item.requested_at)),
            (_label(Reservation, "decided_at"), _moment(item.decided_at)),
            (_label(Reservation, "refusal_reason"), item.refusal_reason or "—"),
        ]

    def history(self, item):
        """Every change of the reservation: when, who, from → to, note."""
        labels = dict(ReservationStatus.choices)
        return [
            {
                "at": _moment(event.at),
                "who": _user(event.actor),
                "side": _("Staff") if event.by_staff else _("Family"),
                "from": labels.get(event.from_status, "—"),
                "to": labels.get(event.to_status, event.to_status),
                "note": event.note,
            }
            for event in item.events.select_related("actor").order_by("at", "pk")
        ]

    def activity_column(self, item):
        return item.unit.activity

    activity_column.short_description = _("Activity")

    def unit_column(self, item):
        return item.unit.name

    unit_column.short_description = _("Unit")

    def group_column(self, item):
        return item.slot.group.name

    group_column.short_description = _("Group")


class BookingRequestQueue(ReservationQueue):
    pending_status = ReservationStatus.REQUESTED
    base_url_path = "reservations/queues/bookings"
    menu_label = _("Booking requests")
    menu_icon = "date"
    decisions = (
        accept_decision(
            _("Booking validated."),
            _("%(count)d booking(s) validated."),
        ),
        refuse_decision(
            _("Booking refused; its place goes to the waiting list."),
            _("%(count)d booking(s) refused; their places go to the waiting list."),
        ),
    )

    def apply(self, item, action, *, user, text):
        if action == "accept":
            booking.reservation_accept(reservation_id=item.pk, actor=user)
        else:
            booking.reservation_refuse(reservation_id=item.pk, actor=user, reason=text)


class CancellationRequestQueue(ReservationQueue):
    pending_status = ReservationStatus.CANCELLATION_REQUESTED
    base_url_path = "reservations/queues/cancellations"
    menu_label = _("Cancellation requests")
    menu_icon = "cross"
    decisions = (
        accept_decision(
            _("Cancellation accepted; the day is not billed and its place is free."),
            _("%(count)d cancellation(s) accepted."),
        ),
        refuse_decision(
            _("Cancellation refused; the day stays booked."),
            _("%(count)d cancellation(s) refused; the days stay booked."),
        ),
    )

    def apply(self, item, action, *, user, text):
        if action == "accept":
            booking.cancellation_accept(reservation_id=item.pk, actor=user)
        else:
            booking.cancellation_refuse(reservation_id=item.pk, actor=user, reason=text)


CERTIFICATE = "certificate"


class AbsenceQueue(QueueAdmin):
    model = Absence
    pending_status = AbsenceStatus.DECLARED
    base_url_path = "reservations/queues/absences"
    menu_label = _("Absences")
    menu_icon = "warning"
    bulk_label = _("Decide several absences")
    list_display = (
        "day_column",
        "family_column",
        "child_column",
        "unit_column",
        "reason",
        "certificate_column",
        "declared_at",
        "status",
    )
    item_filters = (
        activity_filter("reservation__unit__activity_id"),
        date_range_filter("reservation__day", _("day")),
    )
    search_fields = (
        "reservation__family__number",
        "reservation__family__name",
        "reservation__child__first_name",
        "reservation__child__last_name",
    )
    bulk_ordering = ("reservation__day", "declared_at", "pk")
    decisions = (
        Decision(
            "excuse",
            _("Excuse"),
            _("Absence excused: the day is not billed; the family is told."),
            _("%(count)d absence(s) excused; the families are told."),
            text_label=_("Note for the family"),
            text_help=_("Optional."),
        ),
        Decision(
            "bill",
            _("Bill"),
            _("Absence billed; the family reads why."),
            _("%(count)d absence(s) billed; the families read why."),
            text_label=_("Note for the family"),
            text_help=_("Why the day is billed: the family reads it in its alerts."),
            text_required=True,
            classnames=("button-secondary", "no"),
        ),
    )

    def with_related(self, queryset):
        return queryset.select_related(
            "reservation__family",
            "reservation__child",
            "reservation__unit__activity",
            "decided_by",
        )

    def label(self, item):
        reservation = item.reservation
        return (
            f"{_family(reservation.family)} – {reservation.child.first_name} – "
            f"{reservation.unit.activity} – {reservation.unit.name} – {_day(reservation.day)}"
            f" – {item.get_reason_display()}"
        )

    def subtitle(self, item):
        return _family(item.reservation.family)

    def certificate_url(self, item) -> str | None:
        if not item.certificate:
            return None
        return self.url_helper.get_action_url(CERTIFICATE, item.pk)

    def rows(self, item, request):
        reservation = item.reservation
        return [
            (_label(Reservation, "family"), _family(reservation.family)),
            (_label(Reservation, "child"), reservation.child),
            (_("Activity"), reservation.unit.activity),
            (_label(Reservation, "unit"), reservation.unit.name),
            (_label(Reservation, "day"), _day(reservation.day)),
            (_label(Absence, "reason"), item.get_reason_display()),
            (_label(Absence, "comment"), item.comment or "—"),
            (_label(Absence, "certificate"), self.certificate_link(item)),
            (_label(Absence, "declared_at"), _moment(item.declared_at)),
            (_label(Absence, "status"), item.get_status_display()),
            *(
                [
                    (_label(Absence, "decided_at"), _moment(item.decided_at)),
                    (_label(Absence, "decided_by"), _user(item.decided_by)),
                    (_label(Absence, "staff_note"), item.staff_note or "—"),
                ]
                if item.status != self.pending_status
                else []
            ),
        ]

    def certificate_link(self, item):
        url = self.certificate_url(item)
        if url is None:
            return gettext("None")
        return format_html('<a href="{}">{}</a>', url, item.original_name or gettext("Download"))

    def apply(self, item, action, *, user, text):
        if action == "excuse":
            absences.absence_excuse(absence_id=item.pk, actor=user, note=text)
        else:
            absences.absence_bill(absence_id=item.pk, actor=user, note=text)

    def certificate_view(self, request, instance_pk):
        """The medical certificate, for staff who may see absences; never a public address."""
        if not self.permission_helper.user_can_see_files(request.user):
            raise PermissionDenied
        absence = get_object_or_404(Absence, pk=instance_pk)
        if not absence.certificate:
            raise Http404
        return private_file_response(absence)

    def extra_admin_urls(self):
        return (
            *super().extra_admin_urls(),
            re_path(
                self.url_helper.get_action_url_pattern(CERTIFICATE),
                self.certificate_view,
                name=self.url_helper.get_action_url_name(CERTIFICATE),
            ),
        )

    def day_column(self, item):
        return _day(item.reservation.day)

    day_column.short_description = _("Day")

    def family_column(self, item):
        return _family(item.reservation.family)

    family_column.short_description = _("Family")

    def child_column(self, item):
        return item.reservation.child

    child_column.short_description = _("Child")

    def unit_column(self, item):
        return f"{item.reservation.unit.activity} – {item.reservation.unit.name}"

    unit_column.short_description = _("Unit")

    def certificate_column(self, item):
        return self.certificate_link(item)

    certificate_column.short_description = _("Certificate")

    def index_notice(self):
        count = undecided_absent_marks().count()
        if not count:
            return None
        return (
            ngettext(
                "%(count)d day marked absent with no absence declared awaits a decision.",
                "%(count)d days marked absent with no absence declared await a decision.",
                count,
            )
            % {"count": count},
            queue_url(AbsentMarkQueue),
        )


class AbsentMarkPermissionHelper(QueuePermissionHelper):
    def user_can_review_obj(self, user, obj):
        return is_undecided_absent_mark(obj) and self.user_can_review(user)


class AbsentMarkQueue(ReservationQueue):
    """Days marked "absent" at roll call with no absence declared: nobody is billed until
    staff record the absence as excused or billed (`absence_record`)."""

    base_url_path = "reservations/queues/absent-marks"
    menu_label = _("Absent, to decide")
    menu_icon = "warning"
    bulk_label = _("Decide several absent days")
    permission_helper_class = AbsentMarkPermissionHelper
    list_display = (
        "day",
        "family_column",
        "child",
        "activity_column",
        "unit_column",
        "group_column",
        "decision_column",
    )
    decisions = (
        Decision(
            "excuse",
            _("Excuse"),
            _("Absence excused: the day is not billed; the family is told."),
            _("%(count)d absence(s) excused; the families are told."),
            text_label=_("Note for the family"),
            text_help=_("Optional."),
        ),
        Decision(
            "bill",
            _("Bill"),
            _("Absence billed; the family reads why."),
            _("%(count)d absence(s) billed; the families read why."),
            text_label=_("Note for the family"),
            text_help=_("Why the day is billed: the family reads it in its alerts."),
            text_required=True,
            classnames=("button-secondary", "no"),
        ),
    )

    def with_related(self, queryset):
        return super().with_related(queryset).select_related("absence")

    def get_queryset(self, request):
        # Every day marked absent: those awaiting a decision and those decided.
        return QueueAdmin.get_queryset(self, request).filter(
            status__in=BOOKED_STATUSES, attendance=Attendance.ABSENT
        )

    def pending(self, queryset):
        return queryset.filter(absence__isnull=True)

    def decided(self, queryset):
        return queryset.filter(absence__isnull=False)

    def decide(self, item, action, *, user, text):
        if not is_undecided_absent_mark(item):
            raise ReservationError(gettext("This day is already decided."))
        self.apply(item, action, user=user, text=text)

    def apply(self, item, action, *, user, text):
        status = AbsenceStatus.EXCUSED if action == "excuse" else AbsenceStatus.BILLED
        absences.absence_record(reservation=item, status=status, actor=user, note=text)

    def rows(self, item, request):
        absence = getattr(item, "absence", None)
        decided = (
            [
                (_label(Absence, "status"), absence.get_status_display()),
                (_label(Absence, "decided_by"), _user(absence.decided_by)),
                (_label(Absence, "staff_note"), absence.staff_note or "—"),
            ]
            if absence is not None
            else [(_("Decision"), _("Awaiting a decision"))]
        )
        return [*super().rows(item, request)[:6], *decided]

    def decision_column(self, item):
        absence = getattr(item, "absence", None)
        return absence.get_status_display() if absence is not None else _("Awaiting a decision")

    decision_column.short_description = _("Decision")


class ReservationRequestsGroup(ModelAdminGroup):
    menu_label = _("Requests (reservations)")
    menu_icon = "tasks"
    menu_order = 215
    items = (
        EnrolmentQueue,
        RegistrationQueue,
        BookingRequestQueue,
        CancellationRequestQueue,
        AbsenceQueue,
        AbsentMarkQueue,
    )


def queue_url(queue: type[QueueAdmin], action: str = "index", *args) -> str:
    """The address of a queue's screen, for links from other screens and tests."""
    name = "{}_modeladmin_{}".format(queue.base_url_path.replace("/", "_"), action)
    return reverse(name, args=args)


modeladmin_register(ReservationRequestsGroup)
