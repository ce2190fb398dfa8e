"""Reads of the staff's day: the attendance sheet (pointage) of a unit and the kitchen list.

Each read costs a fixed number of queries whatever the number of children: the
reservations with their child, health record and absence in one query, then the pick-up
persons and the guardians of every household on the sheet in one query each.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Exists, OuterRef

from core.choices import RequestStatus
from portal_features.models import AuthorizedPerson, Guardian, HealthRecord

from ..choices import ACTIVE, Attendance, ReservationStatus
from ..models import Activity, Facility, Registration, Reservation, Unit

MealType = HealthRecord.MealType


def health_record(child) -> HealthRecord | None:
    """The child's health record, read from select_related (no query), or None."""
    try:
        return child.health_record
    except ObjectDoesNotExist:
        return None


def _phone(guardian) -> str:
    return guardian.phone_mobile or guardian.phone_home or guardian.phone_work


# --- The attendance sheet -------------------------------------------------------------


@dataclass
class SheetRow:
    """One booked child on the sheet, with what the staff must know on the day."""

    reservation: Reservation
    health: HealthRecord | None
    pick_up: list = field(default_factory=list)
    guardians: list = field(default_factory=list)

    @property
    def child(self):
        return self.reservation.child

    @property
    def allergies(self) -> str:
        return self.health.allergies if self.health else ""

    @property
    def has_pai(self) -> bool:
        return bool(self.health and self.health.has_pai)

    @property
    def pai_details(self) -> str:
        return self.health.pai_details if self.health else ""

    @property
    def meal_type(self) -> str:
        return self.health.meal_type if self.health else MealType.STANDARD

    @property
    def meal_label(self) -> str:
        return MealType(self.meal_type).label

    @property
    def diet_notes(self) -> str:
        return self.health.diet_notes if self.health else ""

    @property
    def absence(self):
        try:
            return self.reservation.absence
        except ObjectDoesNotExist:
            return None

    @property
    def is_present(self) -> bool:
        return self.reservation.attendance == Attendance.PRESENT

    @property
    def is_absent(self) -> bool:
        return self.reservation.attendance == Attendance.ABSENT


def sheet_reservations(*, day: datetime.date, unit: Unit, group=None):
    """The validated reservations of the unit on the day (one group, or all)."""
    reservations = Reservation.objects.filter(unit=unit, day=day, status=ReservationStatus.ACCEPTED)
    if group is not None:
        reservations = reservations.filter(slot__group=group)
    return reservations.order_by("child__last_name", "child__first_name", "pk")


def attendance_sheet(*, day: datetime.date, unit: Unit, group=None) -> list[SheetRow]:
    """Every child booked on the unit that day, with class, health flags, who may pick
    them up (this household's persons) and the household's guardians: three queries."""
    reservations = list(
        sheet_reservations(day=day, unit=unit, group=group).select_related(
            "child__health_record", "family", "slot__group", "absence"
        )
    )
    if not reservations:
        return []
    child_ids = {reservation.child_id for reservation in reservations}
    family_ids = {reservation.family_id for reservation in reservations}
    persons = defaultdict(list)
    for person in AuthorizedPerson.objects.filter(
        child_id__in=child_ids, family_id__in=family_ids, may_pick_up=True
    ).order_by("last_name", "first_name", "pk"):
        persons[person.family_id, person.child_id].append(person)
    guardians = defaultdict(list)
    for guardian in Guardian.objects.filter(family_id__in=family_ids).order_by(
        "-is_primary", "last_name", "first_name", "pk"
    ):
        guardian.phone = _phone(guardian)
        guardians[guardian.family_id].append(guardian)
    return [
        SheetRow(
            reservation=reservation,
            health=health_record(reservation.child),
            pick_up=persons[reservation.family_id, reservation.child_id],
            guardians=guardians[reservation.family_id],
        )
        for reservation in reservations
    ]


def walk_in_candidates(*, day: datetime.date, unit: Unit, group=None) -> list[Registration]:
    """Children registered to the unit's activity (and group) with no live reservation of
    the unit that day: those staff may record as come without booking. A child registered
    by two households is listed once (the payer is the household that has the child that
    day, not the registration's)."""
    registrations = (
        Registration.objects.filter(activity_id=unit.activity_id, status=RequestStatus.ACCEPTED)
        .exclude(
            Exists(
                Reservation.objects.filter(
                    child_id=OuterRef("child_id"), unit=unit, day=day, status__in=ACTIVE
                )
            )
        )
        .select_related("child", "group")
        .order_by("child__last_name", "child__first_name", "pk")
    )
    if group is not None:
        registrations = registrations.filter(group=group)
    seen, candidates = set(), []
    for registration in registrations:
        if registration.child_id not in seen:
            seen.add(registration.child_id)
            candidates.append(registration)
    return candidates


# --- The kitchen list -----------------------------------------------------------------

# Children expected at the meal: validated days, and those whose cancellation is not
# decided yet; not those marked absent or with an absence declared.
EXPECTED_AT_MEAL = (ReservationStatus.ACCEPTED, ReservationStatus.CANCELLATION_REQUESTED)
MEAL_TYPES = list(MealType)


@dataclass
class ChildAtMeal:
    name: str
    school_level: str
    activity: str
    meal_label: str
    details: str


def _counts(meal_types_by_child: dict) -> list[int]:
    counted = defaultdict(int)
    for meal_type in meal_types_by_child.values():
        counted[meal_type] += 1
    return [counted[meal_type] for meal_type in MEAL_TYPES]


class _MealTotals:
    """Meals by type and in all, of the children in `children` (child id → meal type)."""

    @property
    def counts(self) -> list[int]:
        return _counts(self.children)

    @property
    def total(self) -> int:
        return len(self.children)


@dataclass
class ActivityMeals(_MealTotals):
    activity: Activity
    children: dict = field(default_factory=dict)  # child id → meal type


@dataclass
class FacilityMeals(_MealTotals):
    facility: Facility
    activities: dict = field(default_factory=dict)  # activity id → ActivityMeals
    children: dict = field(default_factory=dict)  # child id → meal type
    pai: list = field(default_factory=list)
    allergies: list = field(default_factory=list)

    @property
    def activity_list(self) -> list[ActivityMeals]:
        return list(self.activities.values())


def kitchen_list(*, day: datetime.date, facility=None) -> list[FacilityMeals]:
    """The meals of the day per facility and activity, by meal type, with the children
    on a PAI and those with allergies by name: one query.

    A child is counted once per facility, however many meal units they are booked on."""
    reservations = (
        Reservation.objects.filter(
            day=day, status__in=EXPECTED_AT_MEAL, unit__includes_meal=True, absence__isnull=True
        )
        .exclude(attendance=Attendance.ABSENT)
        .select_related("child__health_record", "unit__activity__facility")
        .order_by(
            "unit__activity__facility__name",
            "unit__activity__sort_order",
            "unit__activity__name",
            "child__last_name",
            "child__first_name",
            "pk",
        )
    )
    if facility is not None:
        reservations = reservations.filter(unit__activity__facility=facility)
    facilities: dict[int, FacilityMeals] = {}
    for reservation in reservations:
        activity = reservation.unit.activity
        meals = facilities.setdefault(activity.facility_id, FacilityMeals(activity.facility))
        per_activity = meals.activities.setdefault(activity.pk, ActivityMeals(activity))
        child = reservation.child
        health = health_record(child)
        meal_type = health.meal_type if health else MealType.STANDARD
        per_activity.children[child.pk] = meal_type
        if child.pk in meals.children:
            continue
        meals.children[child.pk] = meal_type
        if health is None:
            continue
        noted = {
            "name": str(child),
            "school_level": child.get_school_level_display(),
            "activity": activity.name,
            "meal_label": MealType(meal_type).label,
        }
        if health.has_pai:
            details = " – ".join(filter(None, [health.pai_details, health.diet_notes]))
            meals.pai.append(ChildAtMeal(details=details, **noted))
        if health.allergies:
            meals.allergies.append(ChildAtMeal(details=health.allergies, **noted))
    return list(facilities.values())
