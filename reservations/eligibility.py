"""What blocks a registration or a booking ("What is missing?").

Each function returns the list of French sentences that explain why the family cannot go
on (empty: it can). Services call them again inside their transaction, so whatever the
browser sends, the rules are the server's.
"""

import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.choices import RequestStatus
from core.time import PARIS, local_today, paris_datetime
from portal_features.documents.selectors import missing_required_documents

from .models import Activity, Enrolment, Group, Registration


def local_datetime(value: datetime.datetime) -> str:
    return date_format(timezone.localtime(value, PARIS), "DATETIME_FORMAT")


def child_age_on(child, day: datetime.date) -> int:
    born = child.birth_date
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def group_for_child(child, groups) -> Group | None:
    """The first group whose class and age criteria the child meets (age on the first day)."""
    for group in groups:
        if group.school_levels and child.school_level not in group.school_levels:
            continue
        age = child_age_on(child, group.activity.start_date)
        if group.min_age is not None and age < group.min_age:
            continue
        if group.max_age is not None and age > group.max_age:
            continue
        return group
    return None


def enrolment_blockers(
    *, family, child, school_year, today: datetime.date, pending_ok: bool = False
) -> list[str]:
    """Why the administrative file cannot be sent (`pending_ok`: documents awaiting
    validation do not block sending it) or validated (every document must be valid)."""
    return missing_required_documents(
        family, on=max(today, school_year.start_date), child=child, pending_ok=pending_ok
    )


def registration_blockers(
    *,
    family,
    child,
    activity: Activity,
    now: datetime.datetime,
    groups=None,
    validated_school_year_ids: set[int] | None = None,
    missing_documents: list[str] | None = None,
    registered_activity_ids: set[int] | None = None,
) -> list[str]:
    """Why `child` cannot be registered to `activity` now (empty: it can). A page listing
    many activities passes what it read once: the school years whose enrolment is validated,
    the missing documents and the activities the child is already registered to."""
    reasons = []
    today = local_today(now)
    if not activity.is_published:
        reasons.append(_("This activity is not open to families."))
    if activity.registration_opens_at and now < activity.registration_opens_at:
        reasons.append(
            _("Registration opens on %(date)s.")
            % {"date": local_datetime(activity.registration_opens_at)}
        )
    if activity.registration_closes_at and now > activity.registration_closes_at:
        reasons.append(
            _("Registration closed on %(date)s.")
            % {"date": local_datetime(activity.registration_closes_at)}
        )
    if activity.end_date < today:
        reasons.append(_("This activity is over."))
    if activity.residents_only and not family.is_resident:
        reasons.append(_("This activity is reserved for residents of the commune."))
    if validated_school_year_ids is None:
        validated_school_year_ids = set(
            Enrolment.objects.filter(child=child, status=RequestStatus.ACCEPTED).values_list(
                "school_year_id", flat=True
            )
        )
    if activity.school_year_id not in validated_school_year_ids:
        reasons.append(
            _("The administrative file %(year)s of %(child)s is not validated yet.")
            % {"year": activity.school_year, "child": child.first_name}
        )
    if missing_documents is None:
        missing_documents = missing_required_documents(
            family, on=max(today, activity.start_date), child=child
        )
    reasons.extend(missing_documents)
    if groups is None:
        groups = list(activity.groups.select_related("activity"))
    if group_for_child(child, groups) is None:
        reasons.append(
            _("No group of this activity takes a child of %(child)s's age and class.")
            % {"child": child.first_name}
        )
    if registered_activity_ids is None:
        registered_activity_ids = set(
            Registration.objects.filter(
                child=child,
                family=family,
                status__in=[RequestStatus.PENDING, RequestStatus.ACCEPTED],
            ).values_list("activity_id", flat=True)
        )
    if activity.pk in registered_activity_ids:
        reasons.append(
            _("%(child)s is already registered to this activity.") % {"child": child.first_name}
        )
    return reasons


def _deadline(rule, day: datetime.date, is_holiday) -> datetime.datetime:
    """The last instant a request for `day` is accepted (without a rule: until the day)."""
    if rule is None:
        return paris_datetime(day) - datetime.timedelta(microseconds=1)
    return rule.deadline_for(day, is_holiday=is_holiday)


def cancellation_deadline(activity: Activity, day: datetime.date, is_holiday) -> datetime.datetime:
    rule = activity.rule.cancellation_rule() if activity.rule_id else None
    return _deadline(rule, day, is_holiday)


class BookingWindow:
    """When an activity's days can be booked, seen at one instant: the rule is read once for
    a whole month of days (the calendar asks for hundreds of cells)."""

    def __init__(self, activity: Activity, now: datetime.datetime, is_holiday):
        self.activity = activity
        self.now = now
        self.today = local_today(now)
        self.rule = activity.rule.booking_rule() if activity.rule_id else None
        self.is_holiday = is_holiday

    def deadline(self, day: datetime.date) -> datetime.datetime:
        return _deadline(self.rule, day, self.is_holiday)

    def reason(self, day: datetime.date) -> str | None:
        """Why a booking for `day` is not possible now ("hors délai"), or None."""
        activity, now = self.activity, self.now
        if day <= self.today:
            return _("This day is past.")
        if activity.booking_opens_at and now < activity.booking_opens_at:
            return _("Booking opens on %(date)s.") % {
                "date": local_datetime(activity.booking_opens_at)
            }
        if activity.booking_closes_at and now > activity.booking_closes_at:
            return _("Booking closed on %(date)s.") % {
                "date": local_datetime(activity.booking_closes_at)
            }
        deadline = self.deadline(day)
        if now > deadline:
            return _("The booking deadline was %(date)s.") % {"date": local_datetime(deadline)}
        return None


def booking_window_reason(
    activity: Activity, day: datetime.date, now: datetime.datetime, is_holiday
) -> str | None:
    """Why a booking for `day` is not possible now ("hors délai"), or None."""
    return BookingWindow(activity, now, is_holiday).reason(day)
