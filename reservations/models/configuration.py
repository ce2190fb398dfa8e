"""What enfance staff configure: the calendar, facilities, activities, units, groups,
deadline rules and the capacity counters (one Slot per unit, group and opening day)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from core.fields import (
    belongs_to,
    choice_field,
    money,
    optional_link,
    optional_moment,
    ordered_check,
    positive_check,
    protected_link,
    scope_link,
    sort_order_field,
)
from core.models import OutsideReferenceIndex

from .. import deadlines
from ..choices import ActivityCalendar, ValidationMode
from ..french_calendar import ZONES


@register_setting(icon="date")
class CalendarSettings(BaseGenericSetting):
    """The commune's school-holiday zone and whether Alsace-Moselle holidays apply."""

    school_holiday_zone = models.CharField(
        _("school holiday zone"),
        max_length=1,
        choices=[(zone, _("Zone %(zone)s") % {"zone": zone}) for zone in ZONES],
        default="C",
    )
    alsace_moselle = models.BooleanField(
        _("Alsace-Moselle public holidays"),
        default=False,
        help_text=_("Adds Good Friday and 26 December."),
    )

    class Meta:
        verbose_name = _("calendar")


class SchoolYear(OutsideReferenceIndex, models.Model):
    name = models.CharField(_("name"), max_length=20, unique=True, help_text="2025-2026")
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))

    class Meta:
        verbose_name = _("school year")
        verbose_name_plural = _("school years")
        ordering = ["-start_date"]
        constraints = [
            ordered_check("start_date", "end_date", name="school_year_dates_ordered", strict=True)
        ]

    def __str__(self):
        return self.name

    def contains(self, day) -> bool:
        return self.start_date <= day <= self.end_date


class Period(OutsideReferenceIndex, models.Model):
    """A stretch of the school year, typically a school holiday of the commune's zone."""

    class Kind(models.TextChoices):
        HOLIDAYS = "holidays", _("School holidays")
        OTHER = "other", _("Other period")

    school_year = belongs_to(SchoolYear, _("school year"), "periods")
    name = models.CharField(_("name"), max_length=80)
    kind = choice_field(_("kind"), Kind, max_length=10, default=Kind.HOLIDAYS)
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))

    class Meta:
        verbose_name = _("period")
        verbose_name_plural = _("periods")
        ordering = ["start_date"]
        constraints = [
            ordered_check("start_date", "end_date", name="period_dates_ordered"),
            models.UniqueConstraint(fields=["school_year", "name"], name="period_name_unique"),
        ]

    def __str__(self):
        return f"{self.name} ({self.school_year})"


class Facility(OutsideReferenceIndex, models.Model):
    """A place or service welcoming children (accueil de loisirs, périscolaire, restaurant)."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Closure(OutsideReferenceIndex, models.Model):
    """Days a facility (or one activity, or everything) is closed; no slot opens on them."""

    facility = scope_link(
        Facility, _("facility"), related_name="closures", help_text=_("Empty: every facility.")
    )
    activity = scope_link(
        "Activity",
        _("activity"),
        related_name="closures",
        help_text=_("Empty: every activity of the facility."),
    )
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        ordering = ["start_date"]
        constraints = [ordered_check("start_date", "end_date", name="closure_dates_ordered")]

    def __str__(self):
        return f"{self.reason} ({self.start_date:%d/%m/%Y} – {self.end_date:%d/%m/%Y})"


def validate_deadline_rule(value):
    if value in (None, {}):
        return
    try:
        deadlines.rule_from_dict(value)
    except (ValueError, TypeError) as error:
        raise ValidationError(
            _("This deadline rule is not valid: %(error)s"), params={"error": error}
        ) from error


def deadline_rule_field(verbose_name, *, help_text):
    """A deadline (`deadlines.rule_from_dict`), empty for none."""
    return models.JSONField(
        verbose_name,
        default=dict,
        blank=True,
        validators=[validate_deadline_rule],
        help_text=help_text,
    )


class ReservationRule(OutsideReferenceIndex, models.Model):
    """Délai de prévenance: when booking and cancelling close for a day, shared by activities."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    booking_deadline = deadline_rule_field(
        _("booking deadline"), help_text=_("Empty: booking stays open until the day itself.")
    )
    cancellation_deadline = deadline_rule_field(
        _("cancellation deadline"), help_text=_("Empty: same as the booking deadline.")
    )
    absence_justification_hours = models.PositiveSmallIntegerField(
        _("delay to justify an absence (hours)"),
        default=48,
        help_text=_("After the day, how long a family has to declare and justify an absence."),
    )

    class Meta:
        verbose_name = _("deadline rule")
        verbose_name_plural = _("deadline rules")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def booking_rule(self):
        return deadlines.rule_from_dict(self.booking_deadline) if self.booking_deadline else None

    def cancellation_rule(self):
        if self.cancellation_deadline:
            return deadlines.rule_from_dict(self.cancellation_deadline)
        return self.booking_rule()


class ActivityQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class Activity(OutsideReferenceIndex, ClusterableModel):
    """An activity line of a school year: "2025/2026 - ALSH Mercredis Maternel"."""

    school_year = protected_link(SchoolYear, _("school year"), "activities")
    facility = protected_link(Facility, _("facility"), "activities")
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description for families"), blank=True)
    is_published = models.BooleanField(
        _("shown to families"), default=True, help_text=_("Hidden activities cannot be chosen.")
    )
    sort_order = sort_order_field()
    # Opening days: weekdays within the date range, per the calendar kind, minus public
    # holidays and closures.
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    weekdays = models.JSONField(
        _("weekdays"), default=list, help_text=_("0 = Monday … 6 = Sunday.")
    )
    calendar = choice_field(
        _("open on"), ActivityCalendar, max_length=12, default=ActivityCalendar.SCHOOL_DAYS
    )
    period = optional_link(
        Period,
        _("holiday period"),
        on_delete=models.PROTECT,
        related_name="activities",
        help_text=_("For holiday activities: the dates come from this period."),
    )
    # Who may register, and when.
    registration_opens_at = optional_moment(_("registration opens"))
    registration_closes_at = optional_moment(_("registration closes"))
    residents_only = models.BooleanField(_("residents of the commune only"), default=False)
    registration_validation = choice_field(
        _("registration validation"),
        ValidationMode,
        max_length=10,
        default=ValidationMode.AUTOMATIC,
    )
    # Booking.
    booking_opens_at = models.DateTimeField(
        _("booking opens"),
        null=True,
        blank=True,
        help_text=_("E.g. holiday bookings open on a given date. Empty: open now."),
    )
    booking_closes_at = optional_moment(_("booking closes"))
    rule = optional_link(
        ReservationRule, _("deadline rule"), on_delete=models.PROTECT, related_name="activities"
    )
    booking_validation = choice_field(
        _("booking validation"), ValidationMode, max_length=10, default=ValidationMode.AUTOMATIC
    )
    cancellation_validation = choice_field(
        _("cancellation validation"),
        ValidationMode,
        max_length=10,
        default=ValidationMode.AUTOMATIC,
    )
    waiting_list = models.BooleanField(_("waiting list"), default=True)
    offer_hours = models.PositiveSmallIntegerField(
        _("hours to accept an offered place"),
        default=24,
        help_text=_("A waiting family offered a freed place must accept within this delay."),
    )

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["sort_order", "name"]
        constraints = [
            ordered_check("start_date", "end_date", name="activity_dates_ordered"),
            models.UniqueConstraint(fields=["school_year", "name"], name="activity_name_unique"),
        ]

    def __str__(self):
        return self.name


class Unit(OutsideReferenceIndex, models.Model):
    """The bookable part of an activity on a day: journée, matin, après-midi avec repas…"""

    activity = ParentalKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="units"
    )
    name = models.CharField(_("name"), max_length=120)
    start_time = models.TimeField(_("from"))
    end_time = models.TimeField(_("to"))
    includes_meal = models.BooleanField(_("includes a meal"), default=False)
    price_code = models.CharField(_("price code"), max_length=20, blank=True)
    price = money(
        _("unit price"),
        default=0,
        help_text=_("The price of a day when the unit has no tariff for it."),
    )
    excludes = models.ManyToManyField(
        "self",
        verbose_name=_("cannot be booked on the same day as"),
        blank=True,
        symmetrical=True,
    )
    sort_order = sort_order_field()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["sort_order", "start_time", "pk"]
        constraints = [
            ordered_check("start_time", "end_time", name="unit_times_ordered", strict=True),
            positive_check("price", name="unit_price_positive", zero=True),
        ]

    def __str__(self):
        return f"{self.activity} – {self.name}"


class Group(OutsideReferenceIndex, models.Model):
    """An age or school-level group of an activity, with its own capacity."""

    activity = ParentalKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="groups"
    )
    name = models.CharField(_("name"), max_length=80)
    school_levels = models.JSONField(
        _("school classes"),
        default=list,
        blank=True,
        help_text=_('Empty: any class. E.g. ["ps", "ms", "gs"].'),
    )
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    capacity = models.PositiveIntegerField(
        _("places per unit and day"), help_text=_("Each day can be changed afterwards.")
    )
    sort_order = sort_order_field()

    class Meta:
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return f"{self.activity} – {self.name}"


class Slot(OutsideReferenceIndex, models.Model):
    """One unit, one group, one opening day: its capacity and the places it holds.

    `booked` counts reservations that hold a place. It only changes through
    `reservations.capacity`, by a conditional UPDATE in the transaction that books or frees
    the place; the CHECK constraint is the last line of defence.
    """

    unit = belongs_to(Unit, _("unit"), "slots")
    group = belongs_to(Group, _("group"), "slots")
    day = models.DateField(_("day"))
    capacity = models.PositiveIntegerField(_("places"))
    booked = models.PositiveIntegerField(_("places taken"), default=0, editable=False)
    is_closed = models.BooleanField(_("closed"), default=False)
    closed_reason = models.CharField(_("reason for closing"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("opening day")
        verbose_name_plural = _("opening days")
        ordering = ["day", "unit__sort_order", "group__sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "group", "day"], name="slot_unique"),
            models.CheckConstraint(
                condition=models.Q(booked__lte=models.F("capacity")),
                name="slot_never_overbooked",
            ),
        ]
        indexes = [models.Index(fields=["day", "unit"], name="slot_day_unit_idx")]

    def __str__(self):
        return f"{self.unit} – {self.group.name} – {self.day:%d/%m/%Y}"

    @property
    def places_left(self) -> int:
        return max(self.capacity - self.booked, 0)
