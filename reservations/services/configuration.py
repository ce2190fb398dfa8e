"""Staff configuration that builds data: holiday periods and opening days (slots)."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ..choices import ACTIVE, ActivityCalendar
from ..errors import ReservationError
from ..french_calendar import school_holidays
from ..models import Activity, CalendarSettings, Closure, Period, SchoolYear, Slot
from ..opening import commune_holiday_check, opening_days
from .booking import waiting_list_promote


def school_year_holidays_import(*, school_year: SchoolYear, zone: str | None = None) -> int:
    """Create the school year's holiday periods of the commune's zone from the official
    dates shipped in `french_calendar`; returns how many were added (idempotent)."""
    zone = zone or CalendarSettings.load().school_holiday_zone
    added = 0
    for holiday in school_holidays(zone, start=school_year.start_date, end=school_year.end_date):
        _period, created = Period.objects.get_or_create(
            school_year=school_year,
            name=holiday.name,
            defaults={
                "kind": Period.Kind.HOLIDAYS,
                "start_date": holiday.first_day,
                "end_date": holiday.last_day,
            },
        )
        added += created
    return added


def activity_opening_days(activity: Activity):
    start, end = activity.start_date, activity.end_date
    if activity.period_id:
        start = max(start, activity.period.start_date)
        end = min(end, activity.period.end_date)
    holidays = [
        (period.start_date, period.end_date)
        for period in Period.objects.filter(
            school_year_id=activity.school_year_id, kind=Period.Kind.HOLIDAYS
        )
    ]
    closures = [
        (closure.start_date, closure.end_date)
        for closure in Closure.objects.filter(start_date__lte=end, end_date__gte=start).filter(
            _closure_scope(activity)
        )
    ]
    return opening_days(
        start=start,
        end=end,
        weekdays=activity.weekdays,
        calendar=activity.calendar,
        school_holidays=holidays,
        closures=closures,
        is_holiday=commune_holiday_check(),
    )


def _closure_scope(activity):
    return (Q(facility__isnull=True) | Q(facility_id=activity.facility_id)) & (
        Q(activity__isnull=True) | Q(activity_id=activity.pk)
    )


def activity_slots_generate(*, activity_id: int) -> int:
    """Open the activity's days: one slot per unit, group and opening day, with the group's
    capacity. Existing slots (and their bookings) are kept; returns how many were added."""
    activity = Activity.objects.select_related("period").get(pk=activity_id)
    units = list(activity.units.all())
    groups = list(activity.groups.all())
    if not units or not groups:
        raise ReservationError(_("Add at least one unit and one group to the activity first."))
    if (
        activity.calendar == ActivityCalendar.HOLIDAYS
        and not Period.objects.filter(
            school_year_id=activity.school_year_id, kind=Period.Kind.HOLIDAYS
        ).exists()
    ):
        raise ReservationError(_("Import the school holidays of the school year first."))
    days = activity_opening_days(activity)
    new_slots = [
        Slot(unit=unit, group=group, day=day, capacity=group.capacity)
        for day in days
        for unit in units
        for group in groups
    ]
    with transaction.atomic():
        before = Slot.objects.filter(unit__activity=activity).count()
        Slot.objects.bulk_create(new_slots, ignore_conflicts=True, batch_size=500)
        after = Slot.objects.filter(unit__activity=activity).count()
    return after - before


def slot_update(
    *, slot_id: int, capacity: int, is_closed: bool, closed_reason: str = "", now=None
) -> Slot:
    """Staff change one opening day: its places, or close it. A day with live reservations
    is not closed here: the collective cancellation cancels them and tells the families."""
    with transaction.atomic():
        slot = Slot.objects.select_for_update().get(pk=slot_id)
        if is_closed and not slot.is_closed:
            live = slot.reservations.filter(status__in=ACTIVE).count()
            if live:
                raise ReservationError(
                    _(
                        "%(count)s children are booked or waiting on this day: use the "
                        "collective cancellation, which cancels and tells their families."
                    )
                    % {"count": live}
                )
        # Closed first: a closed day offers no freed place to the waiting list.
        slot.is_closed = is_closed
        slot.closed_reason = closed_reason.strip() if is_closed else ""
        slot.save(update_fields=["is_closed", "closed_reason"])
        return slot_capacity_set(slot_id=slot.pk, capacity=capacity, now=now)


def slot_capacity_set(*, slot_id: int, capacity: int, now=None) -> Slot:
    """Change one day's capacity; never below the places already taken."""
    with transaction.atomic():
        slot = Slot.objects.select_for_update().get(pk=slot_id)
        if capacity < slot.booked:
            raise ReservationError(
                _("%(booked)s places are already taken on this day: the capacity cannot be lower.")
                % {"booked": slot.booked}
            )
        slot.capacity = capacity
        slot.save(update_fields=["capacity"])
        if capacity > slot.booked:
            waiting_list_promote(slot_id=slot.pk, now=now or timezone.now())
    return slot
