"""Forms of the configuration screens: deadline rules entered field by field (never as raw
JSON), activities with weekdays as checkboxes, units' exclusions, an opening day's settings,
the occupancy period and the collective cancellation."""

import datetime
import json

from django import forms
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.widgets import AdminDateInput, AdminTimeInput

from core.bounds import (
    IdMultipleChoiceField,
    bound_date_fields,
    period_check,
    validate_date_in_window,
)
from portal_features.models import Child

from .. import deadlines
from ..models import Activity, Facility, Unit

WEEKDAY_CHOICES = [(number, WEEKDAYS[number]) for number in range(7)]
SCHOOL_LEVEL_CHOICES = Child.SchoolLevel.choices


class ListCheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    """Checkboxes for a JSONField holding a list (weekdays, school classes).

    The model's JSONField form field expects JSON text: the ticked values go back as a JSON
    list (converted by `coerce`, e.g. int for weekdays), and the stored list is shown ticked.
    """

    def __init__(self, attrs=None, choices=(), *, coerce=str):
        super().__init__(attrs, choices)
        self.coerce = coerce

    def value_from_datadict(self, data, files, name):
        values = super().value_from_datadict(data, files, name)
        try:
            return json.dumps([self.coerce(value) for value in values])
        except (TypeError, ValueError):
            # Not one of the choices: JSON text the field rejects as invalid.
            return "invalid"

    def format_value(self, value):
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                value = []
        if not isinstance(value, list | tuple):
            value = []
        return [str(item) for item in value]


def outside_choices(values, choices) -> bool:
    """True when a posted list holds something that is not one of the choices."""
    allowed = {str(choice) for choice, _label in choices}
    return any(str(item) not in allowed for item in values)


# --- Deadline rules -------------------------------------------------------------------

W, M, P, H = (
    deadlines.WorkingDaysBefore,
    deadlines.DayOfPreviousMonth,
    deadlines.WeekdayOfPreviousWeek,
    deadlines.HoursBefore,
)
RULE_KIND_CHOICES = [
    (W.kind, gettext_lazy("N working days before the day, at a time")),
    (M.kind, gettext_lazy("Until day D of the previous month, at a time")),
    (P.kind, gettext_lazy("On a weekday of the previous week, at a time")),
    (H.kind, gettext_lazy("N hours before the day starts")),
]
# Which form field gives which parameter of each rule, and what to say when it is missing.
RULE_PARAMETERS = {
    W.kind: (
        ("number", "days", gettext_lazy("Give the number of working days.")),
        ("time", "at", gettext_lazy("Give the time, e.g. 23:59.")),
    ),
    M.kind: (
        ("number", "day_of_month", gettext_lazy("Give the day of the month, from 1 to 31.")),
        ("time", "at", gettext_lazy("Give the time, e.g. 23:59.")),
    ),
    P.kind: (
        ("weekday", "weekday", gettext_lazy("Choose the weekday.")),
        ("time", "at", gettext_lazy("Give the time, e.g. 23:59.")),
    ),
    H.kind: (
        ("number", "hours", gettext_lazy("Give the number of hours.")),
        ("time", "start", gettext_lazy("Give the time the day starts, e.g. 08:30.")),
    ),
}
# 31 days in hours: beyond it a "before day D of the previous month" rule says it better.
MAX_NUMBER = 744


def describe(rule) -> str:
    """A deadline rule in words: "2 working days before at 23:59"."""
    if rule is None:
        return _("No deadline")
    if isinstance(rule, W):
        at = f"{rule.at:%H:%M}"
        if rule.days == 0:
            return _("The day itself at %(at)s") % {"at": at}
        return ngettext(
            "%(days)s working day before at %(at)s",
            "%(days)s working days before at %(at)s",
            rule.days,
        ) % {"days": rule.days, "at": at}
    if isinstance(rule, M):
        return _("Until day %(day)s of the previous month at %(at)s") % {
            "day": rule.day_of_month,
            "at": f"{rule.at:%H:%M}",
        }
    if isinstance(rule, P):
        return _("%(weekday)s of the previous week at %(at)s") % {
            "weekday": WEEKDAYS[rule.weekday],
            "at": f"{rule.at:%H:%M}",
        }
    if isinstance(rule, H):
        return ngettext(
            "%(hours)s hour before %(start)s on the day",
            "%(hours)s hours before %(start)s on the day",
            rule.hours,
        ) % {"hours": rule.hours, "start": f"{rule.start:%H:%M}"}
    raise TypeError(f"unknown deadline rule {rule!r}")


def describe_stored(data) -> str:
    """A rule as stored in a ReservationRule's JSONField ({} is no rule)."""
    if not data:
        return describe(None)
    try:
        return describe(deadlines.rule_from_dict(data))
    except (TypeError, ValueError):
        return _("Invalid rule: edit it")


def _kind_field(empty_label):
    return forms.ChoiceField(
        label=gettext_lazy("Rule"),
        choices=[("", empty_label), *RULE_KIND_CHOICES],
        required=False,
    )


def _number_field():
    return forms.IntegerField(
        label=gettext_lazy("Number"),
        help_text=gettext_lazy(
            "Working days, day of the month or hours, depending on the rule chosen."
        ),
        required=False,
        min_value=0,
        max_value=MAX_NUMBER,
    )


def _weekday_field():
    return forms.TypedChoiceField(
        label=gettext_lazy("Weekday"),
        choices=[("", "---------"), *WEEKDAY_CHOICES],
        coerce=int,
        empty_value=None,
        required=False,
    )


def _time_field():
    return forms.TimeField(
        label=gettext_lazy("Time"),
        help_text=gettext_lazy(
            'The deadline\'s time (HH:MM); for "hours before", the time the day starts.'
        ),
        required=False,
        widget=AdminTimeInput,
    )


class ReservationRuleForm(WagtailAdminModelForm):
    """Each deadline as a kind plus the few fields it needs, turned into the rule's dict by
    the rule classes of `reservations.deadlines` (and back when editing)."""

    PREFIXES = ("booking", "cancellation")

    booking_kind = _kind_field(gettext_lazy("No deadline: open until the day itself"))
    booking_number = _number_field()
    booking_weekday = _weekday_field()
    booking_time = _time_field()
    cancellation_kind = _kind_field(gettext_lazy("Same as the booking deadline"))
    cancellation_number = _number_field()
    cancellation_weekday = _weekday_field()
    cancellation_time = _time_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for prefix in self.PREFIXES:
            stored = getattr(self.instance, f"{prefix}_deadline") or {}
            try:
                rule = deadlines.rule_from_dict(stored) if stored else None
            except (TypeError, ValueError):
                rule = None  # An invalid stored rule is shown empty, to be entered again.
            if rule is None:
                continue
            self.initial[f"{prefix}_kind"] = rule.kind
            for field, parameter, _message in RULE_PARAMETERS[rule.kind]:
                self.initial[f"{prefix}_{field}"] = getattr(rule, parameter)

    def clean(self):
        cleaned = super().clean()
        for prefix in self.PREFIXES:
            rule = self._rule(prefix, cleaned)
            setattr(self.instance, f"{prefix}_deadline", rule.to_dict() if rule else {})
        return cleaned

    def _rule(self, prefix, cleaned):
        kind = cleaned.get(f"{prefix}_kind")
        if not kind:
            return None
        params, complete = {}, True
        for field, parameter, message in RULE_PARAMETERS[kind]:
            name = f"{prefix}_{field}"
            value = cleaned.get(name)
            if value is None:
                if name not in self.errors:
                    self.add_error(name, str(message))
                complete = False
            else:
                params[parameter] = value
        day_of_month = params.get("day_of_month")
        if day_of_month is not None and not 1 <= day_of_month <= 31:
            self.add_error(f"{prefix}_number", _("Give the day of the month, from 1 to 31."))
            complete = False
        if not complete:
            return None
        try:
            return deadlines.RULE_KINDS[kind](**params)
        except ValueError:
            self.add_error(f"{prefix}_kind", _("This rule is not valid; check its fields."))
            return None


# --- School years, activities, units, groups ------------------------------------------


class DateRangeForm(WagtailAdminModelForm):
    """start_date … end_date, in order (the same day is allowed unless said otherwise)."""

    same_day_allowed = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bound_date_fields(self)

    def clean(self):
        cleaned = super().clean()
        period_check(
            self,
            start="start_date",
            end="end_date",
            backwards=_("The last day cannot come before the first day."),
            shortest=0 if self.same_day_allowed else 1,
            too_short=_("The last day must come after the first day."),
        )
        return cleaned


class SchoolYearForm(DateRangeForm):
    same_day_allowed = False


class ClosureForm(DateRangeForm):
    def clean(self):
        cleaned = super().clean()
        facility, activity = cleaned.get("facility"), cleaned.get("activity")
        if facility and activity and activity.facility_id != facility.pk:
            self.add_error("activity", _("This activity belongs to another facility."))
        return cleaned


class ActivityForm(DateRangeForm):
    """Dates inside the school year, a holiday period of the same year, windows in order."""

    def clean(self):
        cleaned = super().clean()
        school_year = cleaned.get("school_year")
        if school_year:
            for name in ("start_date", "end_date"):
                day = cleaned.get(name)
                if day and not school_year.contains(day) and name not in self.errors:
                    self.add_error(
                        name,
                        _("This day is outside the school year (%(start)s – %(end)s).")
                        % {
                            "start": f"{school_year.start_date:%d/%m/%Y}",
                            "end": f"{school_year.end_date:%d/%m/%Y}",
                        },
                    )
            period = cleaned.get("period")
            if period and period.school_year_id != school_year.pk:
                self.add_error("period", _("This period belongs to another school year."))
        for opens, closes in (
            ("registration_opens_at", "registration_closes_at"),
            ("booking_opens_at", "booking_closes_at"),
        ):
            if cleaned.get(opens) and cleaned.get(closes) and cleaned[closes] <= cleaned[opens]:
                self.add_error(closes, _("The closing must come after the opening."))
        weekdays = cleaned.get("weekdays")
        if weekdays and outside_choices(weekdays, WEEKDAY_CHOICES):
            self.add_error("weekdays", _("Select only the proposed values."))
        return cleaned


class UnitInlineForm(WagtailAdminModelForm):
    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("The end must come after the start."))
        return cleaned


class GroupInlineForm(WagtailAdminModelForm):
    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("min_age"), cleaned.get("max_age")
        if low is not None and high is not None and high < low:
            self.add_error("max_age", _("The maximum age cannot be below the minimum age."))
        levels = cleaned.get("school_levels")
        if levels and outside_choices(levels, SCHOOL_LEVEL_CHOICES):
            self.add_error("school_levels", _("Select only the proposed values."))
        return cleaned


class UnitForm(UnitInlineForm):
    """A unit's own screen: its exclusions are chosen among the units of its activity."""

    class Meta:
        field_classes = {"excludes": IdMultipleChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("excludes")
        if field is not None:
            field.queryset = Unit.objects.filter(activity_id=self.instance.activity_id).exclude(
                pk=self.instance.pk
            )
            field.label_from_instance = lambda unit: unit.name


class SlotForm(WagtailAdminModelForm):
    """An opening day: its places and whether it is closed.

    `places` is not the model's field on purpose: the new capacity goes through the
    `slot_capacity_set` service (which refuses less than the places taken), and the slot
    is never saved from the form, whose stale `booked` would overwrite the counter.
    """

    places = forms.IntegerField(label=gettext_lazy("places"), min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("places", self.instance.capacity)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("is_closed") and not (cleaned.get("closed_reason") or "").strip():
            self.add_error("closed_reason", _("Give the reason for closing: families see it."))
        return cleaned


# --- Occupancy and collective cancellation --------------------------------------------


class OccupancyForm(forms.Form):
    WEEK, MONTH = "week", "month"

    activity = forms.ModelChoiceField(
        label=gettext_lazy("Activity"),
        queryset=Activity.objects.select_related("school_year").order_by(
            "-school_year__start_date", "sort_order", "name"
        ),
    )
    span = forms.ChoiceField(
        label=gettext_lazy("Show"),
        choices=[(WEEK, gettext_lazy("A week")), (MONTH, gettext_lazy("A month"))],
        initial=MONTH,
        required=False,
    )
    day = forms.DateField(
        label=gettext_lazy("Including the day"),
        widget=AdminDateInput,
        required=False,
        validators=[validate_date_in_window],
    )

    def period(self, today: datetime.date) -> tuple[datetime.date, datetime.date]:
        """The first and last day shown, around the chosen day (today by default)."""
        day = self.cleaned_data.get("day") or today
        if self.cleaned_data.get("span") == self.WEEK:
            first = day - datetime.timedelta(days=day.weekday())
            return first, first + datetime.timedelta(days=6)
        first = day.replace(day=1)
        following = (first + datetime.timedelta(days=32)).replace(day=1)
        return first, following - datetime.timedelta(days=1)


def known_schools() -> list[str]:
    return list(
        Child.objects.exclude(school="")
        .order_by("school")
        .values_list("school", flat=True)
        .distinct()
    )


class CollectiveCancellationForm(forms.Form):
    """One day, the reason families will read, and one scope: activity, facility or school."""

    day = forms.DateField(
        label=gettext_lazy("Day"), widget=AdminDateInput, validators=[validate_date_in_window]
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=200,
        help_text=gettext_lazy("Families read it in their alert, e.g. “Strike of the staff”."),
    )
    activity = forms.ModelChoiceField(
        label=gettext_lazy("Activity"),
        queryset=Activity.objects.select_related("school_year").order_by(
            "-school_year__start_date", "sort_order", "name"
        ),
        required=False,
        help_text=gettext_lazy("Cancels and closes the activity's day."),
    )
    facility = forms.ModelChoiceField(
        label=gettext_lazy("Facility"),
        queryset=Facility.objects.all(),
        required=False,
        help_text=gettext_lazy("Cancels and closes the day of every activity of the facility."),
    )
    school = forms.ChoiceField(
        label=gettext_lazy("School"),
        required=False,
        help_text=gettext_lazy(
            "Cancels the day of that school's children only (a class trip); "
            "the day stays open to the others."
        ),
    )
    SCOPES = ("activity", "facility", "school")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].choices = [("", "---------")] + [
            (name, name) for name in known_schools()
        ]

    def clean(self):
        cleaned = super().clean()
        chosen = [scope for scope in self.SCOPES if cleaned.get(scope)]
        if not chosen and not any(scope in self.errors for scope in self.SCOPES):
            self.add_error(None, _("Choose an activity, a facility or a school."))
        elif len(chosen) > 1:
            self.add_error(None, _("Choose only one of: an activity, a facility or a school."))
        if not (cleaned.get("reason") or "").strip() and "reason" not in self.errors:
            self.add_error("reason", _("Please give the reason, families will read it."))
        return cleaned
