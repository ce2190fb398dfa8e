"""What the queues of « Demandes (réservations) » share: how an item reads, the base of
the two queues of reservations."""

import functools

from django.db.models import Exists, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core.columns import related_column
from core.staff import Decision, Queue, accept_decision, date_range_filter, refuse_decision

from ...choices import ReservationStatus
from ...models import Reservation, ReservationEvent
from ..filters import activity_filter

REFUSAL_HELP = _("The family reads it in its alerts.")


def family_name(family) -> str:
    return f"{family.name} ({family.number})"


def day_text(value) -> str:
    return date_format(value, "SHORT_DATE_FORMAT") if value else "—"


def moment(value) -> str:
    return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT") if value else "—"


def user_name(user) -> str:
    if user is None:
        return "—"
    return user.get_full_name() or user.email


def field_label(model, field: str) -> str:
    return capfirst(model._meta.get_field(field).verbose_name)


accept = accept_decision
refuse = functools.partial(refuse_decision, reason_help=REFUSAL_HELP)


def absence_decisions(excuse, bill) -> tuple[Decision, Decision]:
    """Excuse (a note, optional) or bill (a note the family reads, required)."""
    return (
        Decision(
            code="excuse",
            label=_("Excuse"),
            service=excuse,
            reason_label=_("Note for the family"),
            reason_help=_("Optional."),
            done=_("Absence excused: the day is not billed; the family is told."),
            done_many=_("%(count)d absence(s) excused; the families are told."),
        ),
        Decision(
            code="bill",
            label=_("Bill"),
            service=bill,
            needs_reason=True,
            reason_label=_("Note for the family"),
            reason_help=_("Why the day is billed: the family reads it in its alerts."),
            done=_("Absence billed; the family reads why."),
            done_many=_("%(count)d absence(s) billed; the families read why."),
        ),
    )


class RequestsQueue(Queue):
    """A queue of « Demandes (réservations) »: what awaits a decision by default, the
    decided a click away; a decision on a decided item is refused here."""

    by_state = True
    already_decided = _("This request has already been processed.")
    index_empty_message = _("Nothing awaits a decision here.")
    search_fields = (
        "family__number",
        "family__name",
        "child__first_name",
        "child__last_name",
    )
    bulk_ordering = ("created_at", "pk")

    def subtitle(self, item):
        return family_name(item.family)

    def decision_rows(self, item) -> list[tuple[str, object]]:
        """Who decided, when and why, once decided."""
        if self.is_pending(item):
            return []
        return [
            (field_label(self.model, "decided_at"), moment(item.decided_at)),
            (field_label(self.model, "decided_by"), user_name(item.decided_by)),
            (field_label(self.model, "refusal_reason"), item.refusal_reason or "—"),
        ]

    def family_column(self, item):
        return family_name(item.family)

    family_column.short_description = _("Family")


# What a queue of reserved days shows of each day, before its own columns.
RESERVATION_COLUMNS = (
    "day",
    "family_column",
    "child",
    "activity_column",
    "unit_column",
    "group_column",
)


class ReservationQueue(RequestsQueue):
    """Base of the queues of reservations: booking requests, cancellation requests."""

    model = Reservation
    list_display = (*RESERVATION_COLUMNS, "asked_column", "status")
    filters = (activity_filter("unit__activity_id"), date_range_filter("day", _("day")))
    bulk_ordering = ("day", "requested_at", "pk")
    # What « asked at » means in this queue: when the item entered its pending status (the
    # cancellation asked, not the day booked, in the queue of cancellations).
    asked_label = _("Asked at")

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
            .annotate(asked_at=Subquery(self._asked_events(OuterRef("pk")).values("at")[:1]))
        )

    def _asked_events(self, reservation):
        return ReservationEvent.objects.filter(
            reservation=reservation, to_status=self.pending_status
        ).order_by("-at", "-pk")

    def asked_at(self, item):
        """When the item last entered the queue's pending status (annotated on the list;
        one query on an item's screen)."""
        if hasattr(item, "asked_at"):
            return item.asked_at
        event = self._asked_events(item.pk).first()
        return event.at if event else None

    def asked_rows(self, item) -> list[tuple[str, object]]:
        return [(capfirst(self.asked_label), moment(self.asked_at(item)))]

    def asked_column(self, item):
        return moment(self.asked_at(item))

    asked_column.short_description = _("Asked at")
    asked_column.admin_order_field = "asked_at"

    def decided(self, queryset):
        return queryset.filter(self.was_pending()).exclude(status=self.pending_status)

    def label(self, item):
        return (
            f"{family_name(item.family)} – {item.child.first_name} – {item.unit.activity} – "
            f"{item.unit.name} – {day_text(item.day)}"
        )

    def rows(self, item):
        return [
            (field_label(Reservation, "family"), family_name(item.family)),
            (field_label(Reservation, "child"), item.child),
            (_("Activity"), item.unit.activity),
            (field_label(Reservation, "unit"), item.unit.name),
            (_("Group"), item.slot.group.name),
            (field_label(Reservation, "day"), day_text(item.day)),
            (field_label(Reservation, "status"), item.get_status_display()),
            *self.asked_rows(item),
            # Who decided, when and why: only once this queue's request is decided (a
            # cancellation asked keeps the booking's decision until then).
            *self.decision_rows(item),
        ]

    def history(self, item):
        """Every change of the reservation: when, who, from → to, note."""
        labels = dict(ReservationStatus.choices)
        return [
            {
                "at": moment(event.at),
                "who": user_name(event.actor),
                "side": _("Staff") if event.by_staff else _("Family"),
                "from": labels.get(event.from_status, "—"),
                "to": labels.get(event.to_status, event.to_status),
                "note": event.note,
            }
            for event in item.events.select_related("actor").order_by("at", "pk")
        ]

    activity_column = related_column("unit.activity", _("Activity"))
    unit_column = related_column("unit.name", _("Unit"))
    group_column = related_column("slot.group.name", _("Group"))


def queue_url(queue: type[Queue], action: str = "index", *args) -> str:
    """The address of a queue's screen, for links from other screens and tests."""
    name = "{}_modeladmin_{}".format(queue.base_url_path.replace("/", "_"), action)
    return reverse(name, args=args)
