"""A family's reservations one at a time: the detail screen (history, receipts, what the
family may do now and until when), the certificate of an absence, and the reads the
calendar screens add to the month grid (basket count, iCalendar feed).

Always scoped to the family: another family's id is a 404, never a hint that it exists.
What the family may do is worked out with the rules the services apply again when it acts
(`eligibility.cancellation_deadline`, `absences.justification_deadline`), so the screen
never offers what the service would refuse, and a refused action still says why.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Max
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from core.time import local_today
from portal_features.models import Family

from ..choices import AbsenceStatus, BasketAction
from ..choices import ReservationStatus as S
from ..eligibility import cancellation_deadline, local_datetime
from ..models import Absence, BasketItem, CalendarFeed, OrderLine, Reservation
from ..opening import commune_holiday_check
from ..services.absences import is_declarable, justification_deadline

# The days an absence may be declared on lie around today: past their free cancellation
# (a few days ahead at most) and before their justification deadline (hours after the day).
DECLARABLE_BEFORE = datetime.timedelta(days=31)
DECLARABLE_AFTER = datetime.timedelta(days=62)


class CancelMode:
    """How the "Cancel" button of a reservation acts."""

    NONE = ""
    # A validated day: the cancellation goes to the basket, sent with the next order.
    BASKET = "basket"
    # A request, a waiting entry: withdrawn at once, nothing to validate.
    DIRECT = "direct"


@dataclass(frozen=True)
class HistoryLine:
    at: datetime.datetime
    by: str
    change: str
    note: str = ""


@dataclass
class ReservationDetail:
    reservation: Reservation
    history: list[HistoryLine]
    receipts: list[OrderLine]
    absence: Absence | None
    cancellation_deadline: datetime.datetime | None
    cancel_mode: str = CancelMode.NONE
    cancellation_in_basket: bool = False
    is_late: bool = False
    can_answer_offer: bool = False
    can_declare_absence: bool = False
    justification_deadline: datetime.datetime | None = None
    absence_blocker: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def has_certificate(self) -> bool:
        return self.absence is not None and bool(self.absence.certificate)


def _status_label(value: str) -> str:
    return S(value).label if value else "—"


def _actor_label(event) -> str:
    # Staff are named by their service, never by person.
    if event.by_staff:
        return _("Childhood service")
    if event.actor is not None:
        return event.actor.get_full_name() or _("Your family")
    return _("Automatic")


def _history(reservation, events) -> list[HistoryLine]:
    lines = [
        HistoryLine(
            at=event.at,
            by=_actor_label(event),
            change=f"{_status_label(event.from_status)} → {_status_label(event.to_status)}",
            note=event.note,
        )
        for event in events
    ]
    absence = getattr(reservation, "absence", None)
    if absence is not None:
        declared_by = absence.declared_by
        lines.append(
            HistoryLine(
                at=absence.declared_at,
                by=(declared_by.get_full_name() if declared_by else "") or _("Your family"),
                change=_("Absence declared (%(reason)s)")
                % {"reason": absence.get_reason_display()},
                note=absence.comment[:255],
            )
        )
        if absence.decided_at and absence.status != AbsenceStatus.DECLARED:
            lines.append(
                HistoryLine(
                    at=absence.decided_at,
                    by=_("Childhood service"),
                    change=absence.get_status_display(),
                    note=absence.staff_note[:255],
                )
            )
    return sorted(lines, key=lambda line: line.at)


def reservation_for_family(family, reservation_id) -> Reservation:
    """One of the family's reservations (any status), or 404."""
    return get_object_or_404(
        Reservation.objects.for_family(family).select_related(
            "child", "unit__activity__rule", "unit__activity__facility", "absence__declared_by"
        ),
        pk=reservation_id,
    )


def reservation_detail(*, family, reservation_id, now=None) -> ReservationDetail:
    """Everything the detail screen shows about one reservation; 404 for another family's."""
    now = now or timezone.now()
    reservation = reservation_for_family(family, reservation_id)
    events = list(reservation.events.select_related("actor").order_by("at", "pk"))
    receipts = list(
        reservation.order_lines.select_related("order").order_by("order__submitted_at", "pk")
    )
    absence = getattr(reservation, "absence", None)
    activity = reservation.unit.activity
    status = reservation.status
    today = local_today(now)
    is_future = reservation.day > today

    deadline = None
    if status in (S.REQUESTED, S.ACCEPTED, S.CANCELLATION_REQUESTED, S.WAITING, S.OFFERED):
        deadline = cancellation_deadline(activity, reservation.day, commune_holiday_check())
    detail = ReservationDetail(
        reservation=reservation,
        history=_history(reservation, events),
        receipts=receipts,
        absence=absence,
        cancellation_deadline=deadline,
        is_late=deadline is not None and now > deadline,
    )

    # A day with an absence declared is decided by it: no « Annuler cette journée ».
    if is_future and status == S.ACCEPTED and absence is None:
        detail.cancel_mode = CancelMode.BASKET
        detail.cancellation_in_basket = BasketItem.objects.filter(
            family=family,
            child_id=reservation.child_id,
            unit_id=reservation.unit_id,
            day=reservation.day,
            action=BasketAction.CANCEL,
        ).exists()
    elif is_future and status in (S.REQUESTED, S.WAITING):
        detail.cancel_mode = CancelMode.DIRECT
    if status == S.OFFERED:
        detail.can_answer_offer = now <= reservation.offer_expires_at

    if status == S.ACCEPTED and absence is None:
        detail.justification_deadline = justification_deadline(reservation)
        if not detail.is_late:
            detail.absence_blocker = _(
                "The day can still be cancelled free of charge: cancel it instead."
            )
        elif now > detail.justification_deadline:
            detail.absence_blocker = _("Absences on this day could be declared until %(date)s.") % {
                "date": local_datetime(detail.justification_deadline)
            }
        else:
            detail.can_declare_absence = True
    elif absence is not None:
        detail.absence_blocker = _("An absence is already declared on this day.")
    else:
        detail.absence_blocker = _("An absence can only be declared on a validated day.")

    if reservation.late_cancellation:
        detail.notes.append(
            _("Cancelled late: the day is free, a child on the waiting list took the place.")
            if reservation.replaced_by_id
            else _("Cancelled late: the day is billed unless a child on the waiting list takes it.")
        )
    if reservation.cancelled_by_commune:
        detail.notes.append(_("Cancelled by the commune: the day is not billed."))
    return detail


def absence_for_family(family, absence_id) -> Absence:
    """One of the family's absences that has a certificate, or 404."""
    absence = get_object_or_404(Absence.objects.for_family(family), pk=absence_id)
    if not absence.certificate:
        raise Http404
    return absence


def calendar_feed_for_family(family) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(family=family).first()


# --- The iCalendar feed --------------------------------------------------------------

# The reservations a family's agenda shows: the places held or asked for.
FEED_STATUSES = (S.REQUESTED, S.ACCEPTED, S.CANCELLATION_REQUESTED, S.OFFERED)
FEED_DAYS_BEFORE = 30
FEED_DAYS_AFTER = 366


def calendar_feed_for_token(token: str) -> CalendarFeed | None:
    """The feed of this secret, if it is live and its family active."""
    if not token or len(token) > CalendarFeed._meta.get_field("token").max_length:
        return None
    return (
        CalendarFeed.objects.select_related("family")
        .filter(token=token, family__status=Family.Status.ACTIVE)
        .first()
    )


def feed_reservations(*, family, now=None) -> list[Reservation]:
    """From 30 days ago to a year ahead, with child, unit, activity and facility, and the
    time of each reservation's last change (one query)."""
    today = local_today(now)
    return list(
        Reservation.objects.for_family(family)
        .filter(
            status__in=FEED_STATUSES,
            day__gte=today - datetime.timedelta(days=FEED_DAYS_BEFORE),
            day__lte=today + datetime.timedelta(days=FEED_DAYS_AFTER),
        )
        .select_related("child", "unit__activity__facility")
        .annotate(last_change=Max("events__at"))
        .order_by("day", "unit__start_time", "child__first_name", "pk")
    )


def declarable_reservations(*, family, now=None) -> list[Reservation]:
    """The family's validated days an absence can be declared on now, in the order of the
    days: the checks of `absences_declare`, so the form offers no day it would refuse."""
    now = now or timezone.now()
    today = local_today(now)
    candidates = (
        Reservation.objects.for_family(family)
        .filter(
            status=S.ACCEPTED,
            absence__isnull=True,
            day__range=(today - DECLARABLE_BEFORE, today + DECLARABLE_AFTER),
        )
        .select_related("child", "unit__activity__rule", "absence")
        .order_by("day", "unit__start_time", "child__first_name", "pk")
    )
    is_holiday = commune_holiday_check()
    return [
        reservation for reservation in candidates if is_declarable(reservation, now, is_holiday)
    ]
