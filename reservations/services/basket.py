"""The basket ("panier"): bookings and cancellations a family assembles, then submits at
once. Submitting checks every line again on the server and returns a numbered order."""

import datetime
import logging
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.choices import RequestStatus
from core.counters import counter_next
from core.time import local_today
from portal_features.alerts.tell import family_tell
from portal_features.models import Child, Link

from ..choices import ACTIVE, AlertKind, BasketAction, ReservationStatus
from ..eligibility import booking_window_reason
from ..errors import ReservationError
from ..models import (
    Absence,
    BasketItem,
    Order,
    OrderLine,
    Registration,
    Reservation,
    Slot,
    Unit,
)
from ..opening import commune_holiday_check
from ..pricing import booking_prices, total
from .booking import check_not_started, reservation_book, reservation_cancel

logger = logging.getLogger(__name__)
S = ReservationStatus
ORDER_SCOPE = "order"


def _label(child, unit, day) -> str:
    return f"{child.first_name} – {unit.name} – {day:%d/%m/%Y}"


def booking_blockers(*, family, child, unit: Unit, days, now, is_holiday=None) -> dict:
    """{day: reason} for each day the child cannot be booked on this unit (server rules:
    the child is the family's, registered and validated to the activity, the day is open,
    within the booking window and deadline, not already booked, no excluded unit booked)."""
    return _booking_check(
        family=family, child=child, unit=unit, days=days, now=now, is_holiday=is_holiday
    )[0]


def _booking_check(*, family, child, unit: Unit, days, now, is_holiday=None):
    """(blockers by day, the child's slot by day): one read of each table for all days."""
    is_holiday = is_holiday or commune_holiday_check()
    activity = unit.activity
    registration = (
        Registration.objects.filter(
            family=family, child=child, activity=activity, status=RequestStatus.ACCEPTED
        )
        .only("group_id")
        .first()
    )
    if registration is None:
        reason = _("%(child)s is not registered to %(activity)s.") % {
            "child": child.first_name,
            "activity": activity,
        }
        return dict.fromkeys(days, reason), {}
    slots = {
        slot.day: slot
        for slot in Slot.objects.filter(unit=unit, group_id=registration.group_id, day__in=days)
    }
    excluded_ids = set(unit.excludes.values_list("pk", flat=True))
    taken = set(
        Reservation.objects.filter(child=child, day__in=days, status__in=ACTIVE)
        .filter(unit_id__in=excluded_ids | {unit.pk})
        .values_list("day", "unit_id")
    )
    in_basket = set(
        BasketItem.objects.filter(
            family=family,
            child=child,
            day__in=days,
            unit_id__in=excluded_ids,
            action=BasketAction.BOOK,
        ).values_list("day", flat=True)
    )
    blockers = {}
    for day in days:
        slot = slots.get(day)
        if slot is None or slot.is_closed:
            blockers[day] = _("Closed on %(day)s.") % {"day": f"{day:%d/%m/%Y}"}
        elif (day, unit.pk) in taken:
            blockers[day] = _("Already booked on %(day)s.") % {"day": f"{day:%d/%m/%Y}"}
        elif any((day, other) in taken for other in excluded_ids) or day in in_basket:
            blockers[day] = _("Another unit booked that day excludes %(unit)s.") % {
                "unit": unit.name
            }
        else:
            reason = booking_window_reason(activity, day, now, is_holiday)
            if reason:
                blockers[day] = reason
    return blockers, slots


def basket_add_bookings(*, family, child_id: int, unit_id: int, days, user, now=None):
    """Put the bookable days in the basket; returns (added days, {day: why not})."""
    now = now or timezone.now()
    child = Child.objects.for_family(family).get(pk=child_id)
    unit = Unit.objects.select_related("activity__rule").get(pk=unit_id)
    days = sorted(set(days))
    blockers = booking_blockers(family=family, child=child, unit=unit, days=days, now=now)
    added = [day for day in days if day not in blockers]
    BasketItem.objects.bulk_create(
        [
            BasketItem(
                family=family,
                child=child,
                unit=unit,
                day=day,
                action=BasketAction.BOOK,
                added_at=now,
            )
            for day in added
        ],
        update_conflicts=True,
        unique_fields=["family", "child", "unit", "day"],
        update_fields=["action", "added_at"],
    )
    return added, blockers


def basket_add_cancellation(*, family, reservation_id: int, user, now=None) -> BasketItem:
    now = now or timezone.now()
    reservation = Reservation.objects.for_family(family).active().get(pk=reservation_id)
    check_not_started(reservation, now=now)
    if Absence.objects.filter(reservation=reservation).exists():
        # The absence decides the day (excused or billed): cancelling it would undo that.
        raise ReservationError(_("An absence is declared on this day: it cannot be cancelled."))
    item, _created = BasketItem.objects.update_or_create(
        family=family,
        child_id=reservation.child_id,
        unit_id=reservation.unit_id,
        day=reservation.day,
        defaults={"action": BasketAction.CANCEL, "added_at": now},
    )
    return item


def basket_remove(*, family, item_id: int) -> None:
    BasketItem.objects.for_family(family).get(pk=item_id).delete()


def basket_clear(*, family) -> int:
    return BasketItem.objects.for_family(family).delete()[0]


def basket_submit(*, family, user, now=None, submission_key=None) -> Order:
    """Turn the basket into one numbered order. Every line is checked again here; if one
    can no longer be asked (deadline passed, day closed…) nothing is saved and the reasons
    are listed. Places are then taken in the database: each booking is validated, awaits
    staff, or joins the waiting list; the order says which.

    With a `submission_key` (one per rendering of the basket's form), submitting the same
    form again returns the order it made, marked `already_submitted`: the second request
    waits on the basket's lock, then finds the order instead of an empty basket."""
    now = now or timezone.now()
    is_holiday = commune_holiday_check()
    with transaction.atomic():
        items = list(
            BasketItem.objects.select_for_update(of=("self",))
            .filter(family=family)
            .select_related("child", "unit__activity__rule")
            .order_by("pk")
        )
        if submission_key is not None:
            done = Order.objects.for_family(family).filter(submission_key=submission_key).first()
            if done is not None:
                done.already_submitted = True
                return done
        if not items:
            raise ReservationError(_("Your basket is empty."))
        bookings = [item for item in items if item.action == BasketAction.BOOK]
        cancellations = [item for item in items if item.action == BasketAction.CANCEL]
        problems = []
        slots = {}
        # One check per child and unit, for all its days.
        by_child_and_unit = defaultdict(list)
        for item in bookings:
            by_child_and_unit[(item.child_id, item.unit_id)].append(item)
        for same in by_child_and_unit.values():
            child, unit = same[0].child, same[0].unit
            blockers, slots_by_day = _booking_check(
                family=family,
                child=child,
                unit=unit,
                days=[item.day for item in same],
                now=now,
                is_holiday=is_holiday,
            )
            for item in same:
                if item.day in blockers:
                    problems.append(f"{_label(child, unit, item.day)} : {blockers[item.day]}")
                else:
                    slots[item.pk] = slots_by_day[item.day]
                    slots[item.pk].unit = unit
        to_cancel = {}
        for item in cancellations:
            reservation = (
                Reservation.objects.for_family(family)
                .active()
                .filter(child=item.child, unit=item.unit, day=item.day)
                .first()
            )
            if reservation is None:
                problems.append(
                    f"{_label(item.child, item.unit, item.day)} : "
                    + _("there is no reservation to cancel.")
                )
            else:
                to_cancel[item.pk] = reservation
        if problems:
            raise ReservationError(
                _("Some lines of your basket can no longer be submitted."), reasons=problems
            )

        lines = []
        # What the basket showed: the tariffs of the day, siblings of the order counted.
        prices = dict(
            zip(
                (item.pk for item in bookings),
                booking_prices(
                    family=family,
                    lines=[(item.child_id, item.unit, item.day) for item in bookings],
                ),
                strict=True,
            )
        )
        # Ascending slot ids: concurrent orders lock shared slots in the same order.
        for item in sorted(bookings, key=lambda item: slots[item.pk].pk):
            price = total(prices[item.pk])
            reservation = reservation_book(
                family=family,
                child=item.child,
                slot=slots[item.pk],
                unit_price=price,
                user=user,
                now=now,
            )
            lines.append(
                OrderLine(
                    reservation=reservation,
                    action=BasketAction.BOOK,
                    unit_price=price,
                    outcome=reservation.status,
                )
            )
        for item in sorted(cancellations, key=lambda item: to_cancel[item.pk].slot_id):
            reservation = reservation_cancel(
                family=family, reservation_id=to_cancel[item.pk].pk, user=user, now=now
            )
            lines.append(
                OrderLine(
                    reservation=reservation,
                    action=BasketAction.CANCEL,
                    unit_price=reservation.unit_price,
                    outcome=reservation.status,
                )
            )
        order_total = sum(
            (
                line.unit_price
                for line in lines
                if line.action == BasketAction.BOOK and line.outcome in (S.ACCEPTED, S.REQUESTED)
            ),
            start=Decimal("0.00"),
        )
        # Numbered last, once the places are taken: the series' row stays locked until
        # commit, so concurrent orders queue on it only for the few writes left.
        order = Order.objects.create(
            number=order_number_next(now=now),
            family=family,
            submitted_at=now,
            submitted_by=user,
            total=order_total,
            submission_key=submission_key,
        )
        for line in lines:
            line.order = order
        OrderLine.objects.bulk_create(lines)
        BasketItem.objects.filter(pk__in=[item.pk for item in items]).delete()
        family_tell(
            family,
            kind=AlertKind.ORDER_RECEIVED,
            title=_("Order no. %(number)s received") % {"number": order.number},
            body=order_summary_text(lines),
            link=Link("reservations:order_detail", order_id=order.pk),
            # The view e-mails the receipt itself.
            email=False,
            now=now,
        )
    logger.info("Order %s submitted by family %s (%s lines)", order.pk, family.pk, len(lines))
    return order


def order_number_next(*, now) -> str:
    """The next order number of the year in Paris, e.g. "2026-00042" (inside the submitting
    transaction: a rolled-back order gives its number back)."""
    year = local_today(now).year
    return f"{year}-{counter_next(scope=ORDER_SCOPE, year=year):05d}"


def order_summary_text(lines) -> str:
    """One line per request with its outcome, for the alert and the e-mail copy."""
    rows = []
    for line in lines:
        reservation = line.reservation
        rows.append(
            f"{_label(reservation.child, reservation.unit, reservation.day)} : "
            f"{line.get_action_display()} – {line.get_outcome_display()}"
        )
    return "\n".join(rows)


def basket_add_periodic(
    *,
    family,
    child_ids,
    unit_ids,
    start: datetime.date,
    end: datetime.date,
    weekdays,
    parity: str,
    user,
    now=None,
):
    """Periodic booking: every chosen weekday between two dates (every, odd or even week),
    for several children and units at once. Days the activity does not open (holidays,
    closures) are skipped silently; other refusals are returned as {label: reason}."""
    from ..periodic import periodic_days

    now = now or timezone.now()
    days = periodic_days(start=start, end=end, weekdays=set(weekdays), parity=parity)
    children = {
        child.pk: child for child in Child.objects.for_family(family).filter(pk__in=child_ids)
    }
    if len(children) != len(set(child_ids)):
        raise Child.DoesNotExist
    added = 0
    refused = {}
    for child_id in child_ids:
        for unit_id in unit_ids:
            open_days = set(
                Slot.objects.filter(
                    unit_id=unit_id,
                    day__in=days,
                    is_closed=False,
                    group__registrations__family=family,
                    group__registrations__child_id=child_id,
                    group__registrations__status=RequestStatus.ACCEPTED,
                ).values_list("day", flat=True)
            )
            done, blockers = basket_add_bookings(
                family=family,
                child_id=child_id,
                unit_id=unit_id,
                days=[day for day in days if day in open_days] or days[:0],
                user=user,
                now=now,
            )
            added += len(done)
            unit = Unit.objects.get(pk=unit_id)
            for day, reason in blockers.items():
                refused[_label(children[child_id], unit, day)] = reason
            if not open_days and days:
                refused[f"{children[child_id].first_name} – {unit.name}"] = _(
                    "No open day in this period (or not registered)."
                )
    return added, refused
