"""Forms of the booking wizard and the basket. They read input only: which days may be
booked is decided again by the services, whatever the browser sends."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core.bounds import (
    MAX_ID,
    in_date_window,
    out_of_window_message,
    parse_id,
    period_check,
    validate_date_in_window,
)
from core.french import hours

from ..choices import WeekParity

# A month of days for a few children, or a school year for one: more is not a person.
MAX_DAYS = 400
MAX_CHILDREN = 20
# The longest stretch a periodic booking may cover.
MAX_PERIOD_DAYS = 400

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class IdListField(forms.Field):
    """Repeated ids (`child=3&child=5`), as positive integers without duplicates."""

    widget = forms.MultipleHiddenInput

    def __init__(self, *, max_count=MAX_CHILDREN, **kwargs):
        self.max_count = max_count
        super().__init__(**kwargs)

    def to_python(self, value):
        if not value:
            return []
        if not isinstance(value, list | tuple):
            value = [value]
        ids = []
        for raw in value:
            number = parse_id(raw)
            if number is None:
                raise ValidationError(gettext("This choice is not valid."))
            if number not in ids:
                ids.append(number)
        if len(ids) > self.max_count:
            raise ValidationError(gettext("Too many choices at once."))
        return ids


class _DaysField(forms.Field):
    """Repeated values each naming one day of the booking window, at most MAX_DAYS of them;
    `parse` reads one value as (what is kept, its day)."""

    widget = forms.MultipleHiddenInput

    def parse(self, raw) -> tuple:
        raise NotImplementedError

    def to_python(self, value):
        if not value:
            return []
        if not isinstance(value, list | tuple):
            value = [value]
        items = set()
        for raw in value:
            item, day = self.parse(raw)
            if not in_date_window(day):
                raise ValidationError(out_of_window_message())
            items.add(item)
        if len(items) > MAX_DAYS:
            raise ValidationError(gettext("Too many days at once."))
        return sorted(items)


class DayListField(_DaysField):
    """Repeated days as ISO dates (`days=2026-11-25&days=2026-12-02`)."""

    def parse(self, raw) -> tuple:
        try:
            day = datetime.date.fromisoformat(str(raw).strip())
        except ValueError as error:
            raise ValidationError(
                gettext("“%(value)s” is not a date (expected YYYY-MM-DD).") % {"value": raw}
            ) from error
        return day, day


class CellListField(_DaysField):
    """Ticked cells of the planning, one child on one day each: `cell=12:2026-11-25`."""

    def parse(self, raw) -> tuple:
        child, _separator, day = str(raw).partition(":")
        try:
            cell = (parse_id(child), datetime.date.fromisoformat(day))
        except ValueError as error:
            raise ValidationError(gettext("This choice is not valid.")) from error
        if cell[0] is None:
            raise ValidationError(gettext("This choice is not valid."))
        return cell, cell[1]


class UnitCellListField(_DaysField):
    """Ticked cells of the planning across its units, one unit, child and day each:
    `ucell=4:12:2026-11-25` (unit 4, child 12)."""

    def parse(self, raw) -> tuple:
        unit, _separator, rest = str(raw).partition(":")
        child, _separator, day = rest.partition(":")
        try:
            item = (parse_id(unit), parse_id(child), datetime.date.fromisoformat(day))
        except ValueError as error:
            raise ValidationError(gettext("This choice is not valid.")) from error
        if item[0] is None or item[1] is None:
            raise ValidationError(gettext("This choice is not valid."))
        return item, item[2]


class ParticipantsForm(forms.Form):
    """Step 1: the children to book for (several: book their common activities together)."""

    child = forms.TypedMultipleChoiceField(
        label=_("Participants"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one child.")},
    )

    def __init__(self, *args, children, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["child"].choices = [
            (
                child.pk,
                ngettext("%(name)s (%(age)s year old)", "%(name)s (%(age)s years old)", child.age)
                % {"name": f"{child.first_name} {child.last_name}", "age": child.age},
            )
            for child in children
        ]


class BasketAddForm(forms.Form):
    """Days to put in the basket: for one `unit`, every `child` on every `days` and each
    ticked `cell` (one child, one day); and every ticked `ucell` of the planning's one form
    (one unit, child and day each), whatever its unit. `shown_unit`: the unit whose button
    was pressed, where the parent comes back to."""

    unit = forms.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    child = IdListField(required=False)
    days = DayListField(required=False)
    cell = CellListField(required=False)
    ucell = UnitCellListField(required=False)
    shown_unit = forms.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    next = forms.CharField(required=False, max_length=2000)

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        if not cleaned.get("unit") and (cleaned.get("cell") or cleaned.get("days")):
            raise ValidationError(gettext("This choice is not valid."))
        if not self.unit_requests():
            raise ValidationError(gettext("Tick at least one day to add to your basket."))
        return cleaned

    def unit_requests(self) -> dict[int, dict[int, list[datetime.date]]]:
        """{unit id: {child id: days}}, units and children in the order they were sent."""
        wanted: dict[int, dict[int, set]] = {}
        unit_id = self.cleaned_data.get("unit")
        if unit_id:
            for child_id in self.cleaned_data.get("child") or []:
                wanted.setdefault(unit_id, {}).setdefault(child_id, set()).update(
                    self.cleaned_data.get("days") or []
                )
            for child_id, day in self.cleaned_data.get("cell") or []:
                wanted.setdefault(unit_id, {}).setdefault(child_id, set()).add(day)
        for unit, child_id, day in self.cleaned_data.get("ucell") or []:
            wanted.setdefault(unit, {}).setdefault(child_id, set()).add(day)
        return {
            unit: {child_id: sorted(days) for child_id, days in children.items() if days}
            for unit, children in wanted.items()
            if any(children.values())
        }


class PeriodicBookingForm(forms.Form):
    """« Réservation périodique »: chosen weekdays between two dates, every week or every
    other week, for the chosen children and units of one activity."""

    child = IdListField(required=True)
    activity = forms.IntegerField(min_value=1, max_value=MAX_ID, widget=forms.HiddenInput)
    month = forms.CharField(required=False, max_length=7, widget=forms.HiddenInput)
    next = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)
    start = forms.DateField(
        label=_("Start date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[validate_date_in_window],
    )
    end = forms.DateField(
        label=_("End date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[validate_date_in_window],
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Days of the week"),
        coerce=int,
        choices=WEEKDAYS,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick at least one day of the week.")},
    )
    parity = forms.ChoiceField(
        label=_("Week type"),
        choices=WeekParity.choices,
        initial=WeekParity.EVERY,
        widget=forms.RadioSelect,
    )
    units = forms.TypedMultipleChoiceField(
        label=_("Units"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick at least one unit.")},
    )

    def __init__(self, *args, units, weekdays=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].choices = [
            (unit.pk, f"{unit.name} ({hours(unit.start_time, unit.end_time)})") for unit in units
        ]
        if weekdays:
            self.fields["weekdays"].choices = [
                (number, label) for number, label in WEEKDAYS if number in set(weekdays)
            ]

    def clean(self):
        cleaned = super().clean()
        period_check(
            self,
            backwards=gettext("The end date must be on or after the start date."),
            longest=MAX_PERIOD_DAYS,
            too_long=gettext("A periodic booking covers %(days)s days at most.")
            % {"days": MAX_PERIOD_DAYS},
        )
        return cleaned
