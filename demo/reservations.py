"""The demo's reservations: the commune's calendar, facilities and deadline rules, a school
year of activities, the demo children enrolled and registered, their bookings around today,
and a Wednesday whose day is full with a waiting list.

Dates are relative to today, so a demo built on any day shows a living calendar: past days
marked present (one absence excused, one billed), the coming weeks booked, holiday days
awaiting validation, a cancellation request, and the next bookable Wednesday full.

Everything is found again by its natural key (names, child + unit + day), so running the
step again adds nothing the same day; on a later day it books the days that came into the
window. Everything families and staff do goes through their services at past instants the
rules allowed: in June each child's administrative file sent by the family and validated by
staff, then the registrations (staff validate the ALSH ones), both needing the documents of
`demo/documents.py` valid; then the bookings (baskets, orders, places, history). What the
rules refuse is not made: BERNARD, whose proof of address is missing, registers Emma to
nothing (the ROUSSEL household sends her file). Alerts are stored, their e-mails dropped.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from wagtail.signal_handlers import disable_reference_index_auto_update

from core.choices import RequestStatus
from core.time import PARIS
from portal_features.models import Child, Family, Guardian
from reservations import deadlines
from reservations.choices import (
    ActivityCalendar,
    Attendance,
    ReservationStatus,
    ValidationMode,
)
from reservations.eligibility import booking_window_reason, cancellation_deadline
from reservations.errors import ReservationError
from reservations.models import (
    Absence,
    Activity,
    BasketItem,
    CalendarSettings,
    Closure,
    Enrolment,
    Facility,
    Group,
    Registration,
    Reservation,
    ReservationRule,
    SchoolYear,
    Slot,
    Unit,
)
from reservations.opening import commune_holiday_check
from reservations.services import absences as absence_services
from reservations.services import attendance as attendance_services
from reservations.services import basket as basket_services
from reservations.services import booking as booking_services
from reservations.services import requests as request_services
from reservations.services.configuration import (
    activity_slots_generate,
    school_year_holidays_import,
)

from . import commune
from .documents import family_documents_ensure
from .families import POSTAL_CODE, STAFF_EMAIL, birth_date, school_year_bounds, signup_moments
from .invoicing import ensure_tariffs
from .quiet import alerts_without_emails, quiet_booking_logs
from .signup import Household, NewChild, family_signed_up

ZONE = "C"
S = ReservationStatus

# --- What staff configure ----------------------------------------------------------------

FACILITIES = {
    "alsh": ("Accueil de loisirs", "Rue du Stade", "alsh@montrivel.example", "01 99 00 12 40"),
    "periscolaire": (
        "Périscolaire école Jules-Ferry",
        "2, rue Jules-Ferry",
        "periscolaire@montrivel.example",
        "01 99 00 12 41",
    ),
    "restaurant": (
        "Restaurant scolaire",
        "2, rue Jules-Ferry",
        "restauration@montrivel.example",
        "01 99 00 12 42",
    ),
}

_2359 = datetime.time(23, 59)
RULES = {
    "periscolaire": (
        "Périscolaire : 2 jours ouvrés avant, 23 h 59",
        deadlines.WorkingDaysBefore(days=2, at=_2359),
        None,
    ),
    "monthly": (
        "Restauration et garderie : avant le 20 du mois précédent, annulation 48 h avant",
        deadlines.DayOfPreviousMonth(day_of_month=20, at=_2359),
        deadlines.HoursBefore(hours=48, start=datetime.time(11, 30)),
    ),
    "alsh": (
        "Accueil de loisirs : 2 jours ouvrés avant, annulation 48 h avant",
        deadlines.WorkingDaysBefore(days=2, at=_2359),
        deadlines.HoursBefore(hours=48, start=datetime.time(8, 30)),
    ),
}

MATERNEL = ("ps", "ms", "gs")
ELEMENTAIRE = ("cp", "ce1", "ce2", "cm1", "cm2")
SCHOOL_WEEK = (0, 1, 3, 4)  # four-day week: no school on Wednesdays
WEDNESDAY = 2


@dataclass(frozen=True)
class UnitSpec:
    key: str
    name: str
    start: tuple[int, int]
    end: tuple[int, int]
    price: str
    price_code: str
    meal: bool = False


@dataclass(frozen=True)
class ActivitySpec:
    key: str
    name: str
    facility: str
    rule: str
    units: tuple[UnitSpec, ...]
    # (name, school classes, places per unit and day)
    groups: tuple[tuple[str, tuple[str, ...], int], ...]
    weekdays: tuple[int, ...] = SCHOOL_WEEK
    calendar: str = ActivityCalendar.SCHOOL_DAYS
    description: str = ""
    registration_validation: str = ValidationMode.AUTOMATIC
    booking_validation: str = ValidationMode.AUTOMATIC
    cancellation_validation: str = ValidationMode.AUTOMATIC
    # Pairs of unit keys that cannot be booked on the same day.
    exclusions: tuple[tuple[str, str], ...] = ()


def _both_groups(maternel: int, elementaire: int):
    return (("Maternel", MATERNEL, maternel), ("Élémentaire", ELEMENTAIRE, elementaire))


WEDNESDAY_UNITS = (
    UnitSpec("journee", "Journée", (8, 30), (17, 30), "12.20", "CL-J", meal=True),
    UnitSpec("matin", "Matin", (8, 30), (11, 30), "5.20", "CL-M"),
    UnitSpec("am_repas", "Après-midi avec repas", (11, 30), (17, 30), "8.60", "CL-AR", meal=True),
    UnitSpec("am_sans", "Après-midi sans repas", (13, 30), (17, 30), "5.20", "CL-AS"),
)
WEDNESDAY_EXCLUSIONS = (
    ("journee", "matin"),
    ("journee", "am_repas"),
    ("journee", "am_sans"),
    ("am_repas", "am_sans"),
)

YEAR_ACTIVITIES = (
    ActivitySpec(
        "alae_matin",
        "ALAE Matin",
        "periscolaire",
        "periscolaire",
        (UnitSpec("matin", "Accueil du matin", (7, 30), (8, 20), "1.10", "ALAE-M"),),
        _both_groups(30, 40),
        description="Accueil avant la classe, de 7 h 30 à 8 h 20, à l'école Jules-Ferry.",
    ),
    ActivitySpec(
        "alae_soir_1",
        "ALAE Soir 1",
        "periscolaire",
        "periscolaire",
        (UnitSpec("soir", "Accueil du soir jusqu'à 17 h 30", (16, 30), (17, 30), "1.30", "SO1"),),
        _both_groups(30, 40),
        description="Goûter et accueil après la classe, départ jusqu'à 17 h 30.",
    ),
    ActivitySpec(
        "alae_soir_2",
        "ALAE Soir 2",
        "periscolaire",
        "periscolaire",
        (UnitSpec("soir", "Accueil du soir jusqu'à 18 h 30", (16, 30), (18, 30), "2.10", "SO2"),),
        _both_groups(30, 40),
        description="Goûter, aide aux devoirs et accueil après la classe, départ jusqu'à 18 h 30.",
    ),
    ActivitySpec(
        "restauration",
        "Restauration scolaire",
        "restaurant",
        "monthly",
        (UnitSpec("repas", "Repas", (11, 30), (13, 30), "3.85", "REPAS", meal=True),),
        _both_groups(60, 90),
        description="Le repas de midi les jours d'école. Réservation avant le 20 du mois "
        "précédent ; les régimes et PAI suivent la fiche sanitaire.",
    ),
    ActivitySpec(
        "garderie_mercredi",
        "Garderie du mercredi",
        "periscolaire",
        "monthly",
        (
            UnitSpec("matin", "Garderie du matin", (7, 30), (8, 30), "1.50", "GAR-M"),
            UnitSpec("soir", "Garderie du soir", (17, 30), (18, 30), "1.50", "GAR-S"),
        ),
        _both_groups(12, 16),
        weekdays=(WEDNESDAY,),
        description="Avant et après l'accueil de loisirs du mercredi.",
    ),
    ActivitySpec(
        "mercredis_maternel",
        "ALSH Mercredis Maternel",
        "alsh",
        "alsh",
        WEDNESDAY_UNITS,
        (("Maternel", MATERNEL, 8),),
        weekdays=(WEDNESDAY,),
        description="Accueil de loisirs des mercredis pour les enfants de maternelle.",
        registration_validation=ValidationMode.STAFF,
        cancellation_validation=ValidationMode.STAFF,
        exclusions=WEDNESDAY_EXCLUSIONS,
    ),
    ActivitySpec(
        "mercredis_elementaire",
        "ALSH Mercredis Élémentaire",
        "alsh",
        "alsh",
        WEDNESDAY_UNITS,
        (("Élémentaire", ELEMENTAIRE, 12),),
        weekdays=(WEDNESDAY,),
        description="Accueil de loisirs des mercredis pour les enfants de l'élémentaire.",
        registration_validation=ValidationMode.STAFF,
        cancellation_validation=ValidationMode.STAFF,
        exclusions=WEDNESDAY_EXCLUSIONS,
    ),
)
# A child cannot stay until 17:30 and until 18:30 the same evening.
CROSS_EXCLUSIONS = ((("alae_soir_1", "soir"), ("alae_soir_2", "soir")),)

HOLIDAY_PERIODS = ("Toussaint", "Noël", "Hiver", "Printemps", "Été")
HOLIDAY_UNITS = (
    UnitSpec("journee", "Journée", (8, 30), (17, 30), "14.50", "CLV-J", meal=True),
    UnitSpec("am_sans", "Après-midi sans repas", (13, 30), (17, 30), "6.00", "CLV-AS"),
)
# Holiday bookings open eight weeks before the first day and close a week before it.
HOLIDAY_BOOKING_OPENS = datetime.timedelta(weeks=8)
HOLIDAY_BOOKING_CLOSES = datetime.timedelta(days=7)


def holiday_spec(period_name: str) -> ActivitySpec:
    return ActivitySpec(
        f"vacances:{period_name}",
        f"ALSH Vacances {period_name}",
        "alsh",
        "alsh",
        HOLIDAY_UNITS,
        _both_groups(16, 24),
        weekdays=(0, 1, 2, 3, 4),
        calendar=ActivityCalendar.HOLIDAYS,
        description=f"Accueil de loisirs des vacances ({period_name}). Les réservations "
        "ouvrent huit semaines avant et sont validées par le service enfance-jeunesse.",
        registration_validation=ValidationMode.STAFF,
        booking_validation=ValidationMode.STAFF,
        cancellation_validation=ValidationMode.STAFF,
        exclusions=(("journee", "am_sans"),),
    )


# --- Who books what ----------------------------------------------------------------------


@dataclass(frozen=True)
class Habit:
    """A child's regular booking: one unit on some weekdays, every week or one in two."""

    activity: str
    unit: str
    weekdays: tuple[int, ...]
    parity: str = ""  # "odd" / "even" ISO weeks (separated parents), "" every week
    skip_full_wednesday: bool = False


@dataclass(frozen=True)
class DemoChild:
    login: str  # the family's guardian login
    first_name: str
    activities: tuple[str, ...]
    habits: tuple[Habit, ...] = field(default=())


HOLIDAYS = "vacances"  # every holiday activity of the year
DEMO_CHILDREN = (
    DemoChild(
        "claire.dupont@example.fr",
        "Léa",
        ("alae_matin", "alae_soir_1", "restauration", "mercredis_elementaire", HOLIDAYS),
        (
            Habit("alae_matin", "matin", (0, 3)),
            Habit("alae_soir_1", "soir", (1,)),
            Habit("restauration", "repas", SCHOOL_WEEK),
            Habit("mercredis_elementaire", "journee", (WEDNESDAY,)),
        ),
    ),
    DemoChild(
        "claire.dupont@example.fr",
        "Hugo",
        ("alae_soir_2", "restauration", "mercredis_elementaire"),
        (
            Habit("alae_soir_2", "soir", (0, 1)),
            Habit("restauration", "repas", SCHOOL_WEEK),
            Habit("mercredis_elementaire", "journee", (WEDNESDAY,)),
        ),
    ),
    DemoChild(
        "claire.dupont@example.fr",
        "Chloé",
        ("alae_matin", "restauration", "mercredis_maternel", HOLIDAYS),
        (
            Habit("alae_matin", "matin", SCHOOL_WEEK),
            Habit("restauration", "repas", SCHOOL_WEEK),
            Habit("mercredis_maternel", "am_repas", (WEDNESDAY,)),
        ),
    ),
    DemoChild(
        "paul.martin@example.fr",
        "Nathan",
        ("restauration", "garderie_mercredi", "mercredis_elementaire"),
        (
            Habit("restauration", "repas", SCHOOL_WEEK),
            Habit("garderie_mercredi", "matin", (WEDNESDAY,)),
            # On the full Wednesday he asks for the whole day and waits for a place.
            Habit("mercredis_elementaire", "matin", (WEDNESDAY,), skip_full_wednesday=True),
        ),
    ),
    DemoChild(
        "julie.bernard@example.fr",
        "Emma",
        ("restauration", "alae_soir_1", "mercredis_elementaire"),
        (
            Habit("restauration", "repas", SCHOOL_WEEK, parity="odd"),
            Habit("alae_soir_1", "soir", (1, 3), parity="odd"),
            Habit("mercredis_elementaire", "journee", (WEDNESDAY,), parity="odd"),
        ),
    ),
    DemoChild(
        "thomas.roussel@example.fr",
        "Emma",
        ("restauration", "mercredis_elementaire"),
        (
            Habit("restauration", "repas", SCHOOL_WEEK, parity="even"),
            Habit("mercredis_elementaire", "journee", (WEDNESDAY,), parity="even"),
        ),
    ),
)

# Families made up to fill the full Wednesday; the address says they are demo families.
EXTRA_EMAIL_DOMAIN = "mercredi.example.fr"
EXTRA_FAMILIES = (
    # family name, guardian first name, child first name, sex, class
    ("LEROY", "Sophie", "Inès", Child.Sex.FEMALE, "ce1"),
    ("MOREAU", "Karim", "Adam", Child.Sex.MALE, "ce2"),
    ("SIMON", "Nadia", "Jade", Child.Sex.FEMALE, "cm2"),
    ("LAURENT", "Julien", "Louis", Child.Sex.MALE, "cp"),
    ("LEFEBVRE", "Aurélie", "Rose", Child.Sex.FEMALE, "ce1"),
    ("MICHEL", "Stéphane", "Gabriel", Child.Sex.MALE, "cm1"),
    ("GARCIA", "Laura", "Alba", Child.Sex.FEMALE, "cp"),
    ("DAVID", "Nicolas", "Raphaël", Child.Sex.MALE, "ce2"),
    ("BERTRAND", "Émilie", "Louise", Child.Sex.FEMALE, "cm1"),
    ("ROUX", "Mathieu", "Jules", Child.Sex.MALE, "ce1"),
    ("VINCENT", "Céline", "Ambre", Child.Sex.FEMALE, "cm2"),
    ("FOURNIER", "Antoine", "Arthur", Child.Sex.MALE, "cp"),
    ("MOREL", "Camille", "Alice", Child.Sex.FEMALE, "ce2"),
    ("ANDRÉ", "Romain", "Léo", Child.Sex.MALE, "cm1"),
    ("MERCIER", "Hélène", "Lina", Child.Sex.FEMALE, "ce1"),
)
FULL_WEDNESDAY_UNIT = ("mercredis_elementaire", "journee")
FULL_WEDNESDAY_WAITING = 3
AGE_BY_LEVEL = {"ps": 3, "ms": 4, "gs": 5, "cp": 6, "ce1": 7, "ce2": 8, "cm1": 9, "cm2": 10}

# Regular bookings cover the two months before this one (invoiced by demo/invoicing.py), at
# least the week before today, and the three weeks after it.
WINDOW_BEFORE = datetime.timedelta(days=7)
INVOICED_MONTHS = 2
WINDOW_AFTER = datetime.timedelta(days=21)


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=PARIS)


@dataclass
class World:
    """What the step found or made, passed between its parts."""

    now: datetime.datetime
    today: datetime.date
    staff: object
    school_year: SchoolYear
    activities: dict[str, Activity] = field(default_factory=dict)
    units: dict[tuple[str, str], Unit] = field(default_factory=dict)

    def unit(self, activity_key: str, unit_key: str) -> Unit:
        return self.units[activity_key, unit_key]

    def holiday_activities(self) -> list[Activity]:
        return [
            activity for key, activity in self.activities.items() if key.startswith("vacances:")
        ]


# --- Configuration -----------------------------------------------------------------------


def ensure_school_year(today: datetime.date) -> SchoolYear:
    start, end = school_year_bounds(today)
    school_year, created = SchoolYear.objects.get_or_create(
        name=f"{start.year}-{end.year}", defaults={"start_date": start, "end_date": end}
    )
    if created:
        settings = CalendarSettings.load()
        settings.school_holiday_zone = ZONE
        settings.save()
    school_year_holidays_import(school_year=school_year)
    return school_year


def _school_days_range(school_year: SchoolYear) -> tuple[datetime.date, datetime.date]:
    """From the rentrée to the day before the summer holidays ("fin des cours" is the first
    Saturday of July when the summer period is not known yet)."""
    summer = school_year.periods.filter(name="Été").first()
    if summer is not None:
        last = summer.start_date - datetime.timedelta(days=1)
    else:
        first_of_july = datetime.date(school_year.end_date.year, 7, 1)
        last = first_of_july + datetime.timedelta(days=(5 - first_of_july.weekday()) % 7 - 1)
    return school_year.start_date, last


def ensure_configuration(world: World) -> None:
    facilities = {
        key: Facility.objects.get_or_create(
            name=name, defaults={"address": address, "email": email, "phone": phone}
        )[0]
        for key, (name, address, email, phone) in FACILITIES.items()
    }
    rules = {}
    for key, (name, booking, cancellation) in RULES.items():
        rules[key], _ = ReservationRule.objects.get_or_create(
            name=name,
            defaults={
                "booking_deadline": booking.to_dict(),
                "cancellation_deadline": cancellation.to_dict() if cancellation else {},
            },
        )
    school_year = world.school_year
    # The accueil de loisirs closes on New Year's Eve: no slot opens that day.
    Closure.objects.get_or_create(
        facility=facilities["alsh"],
        activity=None,
        start_date=datetime.date(school_year.start_date.year, 12, 31),
        end_date=datetime.date(school_year.start_date.year, 12, 31),
        defaults={"reason": "Fermeture exceptionnelle du 31 décembre"},
    )
    first, last = _school_days_range(school_year)
    label = school_year.name.replace("-", "/")
    registration_opens = at(datetime.date(school_year.start_date.year, 6, 1), 8)
    specs = [(spec, first, last, None) for spec in YEAR_ACTIVITIES]
    periods = {period.name: period for period in school_year.periods.all()}
    specs += [
        (holiday_spec(name), periods[name].start_date, periods[name].end_date, periods[name])
        for name in HOLIDAY_PERIODS
        if name in periods
    ]
    for order, (spec, start, end, period) in enumerate(specs):
        activity = Activity.objects.filter(
            school_year=school_year, name=f"{label} - {spec.name}"
        ).first()
        if activity is None:
            activity = _create_activity(
                spec,
                school_year=school_year,
                name=f"{label} - {spec.name}",
                facility=facilities[spec.facility],
                rule=rules[spec.rule],
                start=start,
                end=end,
                period=period,
                sort_order=order,
                registration_opens=registration_opens,
            )
        world.activities[spec.key] = activity
        units = {unit.price_code: unit for unit in activity.units.all()}
        for unit_spec in spec.units:
            world.units[spec.key, unit_spec.key] = units[unit_spec.price_code]
    for (activity_a, unit_a), (activity_b, unit_b) in CROSS_EXCLUSIONS:
        world.unit(activity_a, unit_a).excludes.add(world.unit(activity_b, unit_b))


def _create_activity(
    spec: ActivitySpec, *, period, start, end, registration_opens, **fields
) -> Activity:
    booking_opens = booking_closes = None
    if period is not None:
        booking_opens = at(start - HOLIDAY_BOOKING_OPENS, 8)
        booking_closes = at(start - HOLIDAY_BOOKING_CLOSES, 23, 59)
    activity = Activity.objects.create(
        description=spec.description,
        start_date=start,
        end_date=end,
        weekdays=list(spec.weekdays),
        calendar=spec.calendar,
        period=period,
        registration_opens_at=registration_opens,
        registration_validation=spec.registration_validation,
        booking_opens_at=booking_opens,
        booking_closes_at=booking_closes,
        booking_validation=spec.booking_validation,
        cancellation_validation=spec.cancellation_validation,
        **fields,
    )
    units = {}
    for order, unit in enumerate(spec.units):
        units[unit.key] = Unit.objects.create(
            activity=activity,
            name=unit.name,
            start_time=datetime.time(*unit.start),
            end_time=datetime.time(*unit.end),
            includes_meal=unit.meal,
            price_code=unit.price_code,
            price=Decimal(unit.price),
            sort_order=order,
        )
    for first, second in spec.exclusions:
        units[first].excludes.add(units[second])
    for order, (name, levels, capacity) in enumerate(spec.groups):
        Group.objects.create(
            activity=activity,
            name=name,
            school_levels=list(levels),
            capacity=capacity,
            sort_order=order,
        )
    activity_slots_generate(activity_id=activity.pk)
    return activity


# --- Enrolments and registrations --------------------------------------------------------


def _live(model, **lookup):
    return (
        model.objects.filter(status__in=[RequestStatus.PENDING, RequestStatus.ACCEPTED], **lookup)
        .order_by("pk")
        .first()
    )


def _enrol(world: World, family: Family, child: Child) -> None:
    """The family sends the child's administrative file for the year in June, staff validate
    it two days later (one file per child, whichever household sends it). A family whose
    required documents are missing cannot send it: the file waits, as in the portal."""
    year = world.school_year
    enrolment = _live(Enrolment, child=child, school_year=year)
    if enrolment is None:
        sent = at(year.start_date.replace(month=6, day=15), 18)
        try:
            enrolment = request_services.enrolment_submit(
                family=family,
                child_id=child.pk,
                school_year_id=year.pk,
                user=_guardian_user(family),
                now=sent,
            )
        except ReservationError:
            return  # a required document is missing: the family sends the file later
    if enrolment.status == RequestStatus.PENDING:
        decided = at(year.start_date.replace(month=6, day=17), 10)
        try:
            request_services.enrolment_accept(
                enrolment_id=enrolment.pk, actor=world.staff, now=decided
            )
        except ReservationError:
            return  # a document is not valid yet: the file waits in the staff's queue


def _register(world: World, family: Family, child: Child, activity: Activity) -> None:
    """The family registers the child in June; staff validate the ALSH registrations two
    days later. What the rules refuse (no validated file, missing documents, no group for
    the child's class) is not registered, as in the portal."""
    registration = _live(Registration, family=family, child=child, activity=activity)
    if registration is None:
        asked = at(world.school_year.start_date.replace(month=6, day=20), 20)
        try:
            registration = request_services.registration_create(
                family=family,
                child_id=child.pk,
                activity_id=activity.pk,
                user=_guardian_user(family),
                now=asked,
            )
        except ReservationError:
            return
    if registration.status == RequestStatus.PENDING:
        decided = at(world.school_year.start_date.replace(month=6, day=22), 10)
        request_services.registration_accept(
            registration_id=registration.pk, actor=world.staff, now=decided
        )


def _family_of(login: str) -> Family | None:
    return Family.objects.filter(guardians__user__email=login).first()


def ensure_demo_registrations(world: World) -> None:
    for spec in DEMO_CHILDREN:
        family = _family_of(spec.login)
        if family is None:
            continue
        child = Child.objects.for_family(family).get(first_name=spec.first_name)
        _enrol(world, family, child)
        for key in spec.activities:
            targets = world.holiday_activities() if key == HOLIDAYS else [world.activities[key]]
            for activity in targets:
                _register(world, family, child, activity)


def extra_families():
    """The made-up families of the full Wednesday, known by their requests' addresses."""
    return Family.objects.filter(signup_request__email__endswith=f"@{EXTRA_EMAIL_DOMAIN}")


def ensure_extra_families(world: World) -> list[tuple[Family, Child]]:
    """The made-up families of the full Wednesday, each with one child in élémentaire, who
    came in through « Nouveau dossier » as the others did (no login given to visitors)."""
    activity = world.activities[FULL_WEDNESDAY_UNIT[0]]
    sent, decided = signup_moments(world.today)
    extras = []
    for number, (name, parent, first_name, sex, level) in enumerate(EXTRA_FAMILIES, start=1):
        is_mother = sex == Child.Sex.FEMALE
        household = Household(
            email=f"{slugify(parent)}.{slugify(name)}@{EXTRA_EMAIL_DOMAIN}",
            civility=Guardian.Civility.MADAME if is_mother else Guardian.Civility.MONSIEUR,
            last_name=name,
            first_name=parent,
            role=Guardian.Role.MOTHER if is_mother else Guardian.Role.FATHER,
            phone_mobile=f"06 99 10 {number:02d} 00",
            address_line=f"{number} rue des Écoles",
            postal_code=POSTAL_CODE,
            city=commune.SHORT_NAME,
            children=(
                NewChild(
                    last_name=name,
                    first_name=first_name,
                    birth_date=birth_date(level, (1 + number % 12, 1 + number), world.today),
                    sex=sex,
                    school_level=level,
                ),
            ),
        )
        family = family_signed_up(household, staff=world.staff, sent=sent, decided=decided)
        child = Child.objects.for_family(family).get()
        family_documents_ensure(family, staff=world.staff, today=world.today)
        _enrol(world, family, child)
        _register(world, family, child, activity)
        extras.append((family, child))
    return extras


# --- Bookings ----------------------------------------------------------------------------


def _open_days(unit: Unit, group_id: int, start, end) -> list[datetime.date]:
    return list(
        Slot.objects.filter(
            unit=unit, group_id=group_id, day__range=(start, end), is_closed=False
        ).values_list("day", flat=True)
    )


def _matches(day: datetime.date, habit: Habit) -> bool:
    if day.weekday() not in habit.weekdays:
        return False
    week = day.isocalendar().week
    return not habit.parity or (habit.parity == "odd") == (week % 2 == 1)


def _regular_booking_instant(first_day: datetime.date) -> datetime.datetime:
    """When the family booked the window: the 10th of the month before its first day, before
    every deadline rule of the demo (the strictest closes on the 20th of that month)."""
    month_before = (first_day.replace(day=1) - datetime.timedelta(days=1)).replace(day=10)
    return at(month_before, 18)


def _submit(family: Family, user, now) -> None:
    if BasketItem.objects.for_family(family).exists():
        basket_services.basket_submit(family=family, user=user, now=now)


def _guardian_user(family: Family):
    guardian = family.guardians.filter(user__isnull=False).select_related("user").first()
    return guardian.user if guardian else None


def regular_bookings_start(world: World) -> datetime.date:
    """From the first day of the month before last (those months are invoiced), not before
    the school year, nor later than a week before today."""
    month = world.today.replace(day=1)
    for _ in range(INVOICED_MONTHS):
        month = (month - datetime.timedelta(days=1)).replace(day=1)
    return min(max(month, world.school_year.start_date), world.today - WINDOW_BEFORE)


def ensure_regular_bookings(world: World, full_wednesday: datetime.date | None) -> None:
    start, end = regular_bookings_start(world), world.today + WINDOW_AFTER
    booked_at = _regular_booking_instant(start)
    for spec in DEMO_CHILDREN:
        family = _family_of(spec.login)
        # A basket a visitor left in the portal is theirs: the demo does not submit it.
        if family is None or BasketItem.objects.for_family(family).exists():
            continue
        child = Child.objects.for_family(family).get(first_name=spec.first_name)
        for habit in spec.habits:
            unit = world.unit(habit.activity, habit.unit)
            registration = Registration.objects.filter(
                family=family, child=child, activity=unit.activity, status=RequestStatus.ACCEPTED
            ).first()
            if registration is None:
                continue
            already = set(
                Reservation.objects.filter(child=child, unit=unit).values_list("day", flat=True)
            )
            days = [
                day
                for day in _open_days(unit, registration.group_id, start, end)
                if _matches(day, habit)
                and day not in already
                and not (habit.skip_full_wednesday and day == full_wednesday)
            ]
            if days:
                basket_services.basket_add_bookings(
                    family=family,
                    child_id=child.pk,
                    unit_id=unit.pk,
                    days=days,
                    user=_guardian_user(family),
                    now=booked_at,
                )
        _submit(family, _guardian_user(family), booked_at)


def full_wednesday_day(world: World) -> datetime.date | None:
    """The next Wednesday families can still book on the élémentaire's whole day."""
    unit = world.unit(*FULL_WEDNESDAY_UNIT)
    is_holiday = commune_holiday_check()
    days = (
        Slot.objects.filter(unit=unit, day__gt=world.today, is_closed=False)
        .order_by("day")
        .values_list("day", flat=True)
        .distinct()[:6]
    )
    for day in days:
        if booking_window_reason(unit.activity, day, world.now, is_holiday) is None:
            return day
    return None


def ensure_full_wednesday(world: World, day: datetime.date | None, extras) -> None:
    """Fill the day's élémentaire whole day with the made-up families, then put Nathan
    (MARTIN) and two more children on its waiting list."""
    if day is None:
        return
    unit = world.unit(*FULL_WEDNESDAY_UNIT)
    slot = Slot.objects.get(unit=unit, day=day)
    if slot.reservations.filter(status=S.WAITING).exists():
        return
    candidates = [(family, child, None) for family, child in extras]
    martin = _family_of("paul.martin@example.fr")
    if martin is not None:
        nathan = Child.objects.for_family(martin).get(first_name="Nathan")
        # He asks right after the day filled up: first on the waiting list.
        candidates.insert(slot.places_left, (martin, nathan, _guardian_user(martin)))
    asked = world.now - datetime.timedelta(days=2)
    waiting = 0
    for family, child, user in candidates:
        if waiting == FULL_WEDNESDAY_WAITING:
            break
        if BasketItem.objects.for_family(family).exists():
            continue
        added, _blockers = basket_services.basket_add_bookings(
            family=family, child_id=child.pk, unit_id=unit.pk, days=[day], user=user, now=asked
        )
        if not added:
            continue
        basket_services.basket_submit(family=family, user=user, now=asked)
        slot.refresh_from_db()
        waiting = slot.reservations.filter(status=S.WAITING).count()
        asked += datetime.timedelta(minutes=7)


def ensure_holiday_requests(world: World) -> None:
    """Léa and Chloé (DUPONT) asked for the first days of the next holidays whose bookings
    are open: staff validated Chloé's first day, the others await validation."""
    dupont = _family_of("claire.dupont@example.fr")
    if dupont is None or BasketItem.objects.for_family(dupont).exists():
        return
    user = _guardian_user(dupont)
    activity = next(
        (
            activity
            for activity in sorted(world.holiday_activities(), key=lambda a: a.start_date)
            if activity.booking_opens_at <= world.now <= activity.booking_closes_at
            and activity.start_date > world.today
        ),
        None,
    )
    if activity is None:
        return
    unit = activity.units.get(price_code="CLV-J")
    if Reservation.objects.filter(family=dupont, unit=unit).exists():
        return
    asked = max(activity.booking_opens_at, world.now - datetime.timedelta(days=1))
    for child in Child.objects.for_family(dupont).filter(first_name__in=["Léa", "Chloé"]):
        registration = Registration.objects.filter(
            family=dupont, child=child, activity=activity, status=RequestStatus.ACCEPTED
        ).first()
        if registration is None:
            continue
        days = _open_days(unit, registration.group_id, activity.start_date, activity.end_date)
        basket_services.basket_add_bookings(
            family=dupont, child_id=child.pk, unit_id=unit.pk, days=days[:3], user=user, now=asked
        )
    _submit(dupont, user, asked)
    first = (
        Reservation.objects.filter(family=dupont, unit=unit, child__first_name="Chloé")
        .order_by("day")
        .first()
    )
    if first is not None:
        booking_services.reservation_accept(
            reservation_id=first.pk, actor=world.staff, now=world.now
        )


def ensure_cancellation_request(world: World) -> None:
    """Claire DUPONT asked to cancel one of Léa's coming Wednesdays; staff have not decided."""
    dupont = _family_of("claire.dupont@example.fr")
    if dupont is None or BasketItem.objects.for_family(dupont).exists():
        return
    unit = world.unit("mercredis_elementaire", "journee")
    if Reservation.objects.filter(
        family=dupont, unit=unit, status=S.CANCELLATION_REQUESTED, day__gt=world.today
    ).exists():
        return
    is_holiday = commune_holiday_check()
    candidates = [
        reservation
        for reservation in Reservation.objects.filter(
            family=dupont,
            unit=unit,
            child__first_name="Léa",
            status=S.ACCEPTED,
            day__gt=world.today + datetime.timedelta(days=7),
        ).order_by("-day")
        if world.now < cancellation_deadline(unit.activity, reservation.day, is_holiday)
    ]
    if not candidates:
        return
    user = _guardian_user(dupont)
    asked = world.now - datetime.timedelta(hours=1)
    basket_services.basket_add_cancellation(
        family=dupont, reservation_id=candidates[0].pk, user=user, now=asked
    )
    basket_services.basket_submit(family=dupont, user=user, now=asked)


def _last_lunch(world: World, family: Family, first_name: str):
    """The child's most recent validated school lunch that staff could review since."""
    return (
        Reservation.objects.filter(
            family=family,
            child__first_name=first_name,
            unit=world.unit("restauration", "repas"),
            status=S.ACCEPTED,
            absence__isnull=True,
            day__lt=world.today - datetime.timedelta(days=1),
            day__gte=world.today - WINDOW_BEFORE,
        )
        .order_by("-day")
        .first()
    )


def ensure_absences(world: World) -> None:
    """Hugo (DUPONT) was ill, with a certificate: excused. Nathan (MARTIN) missed a lunch
    without a reason staff accept: billed."""
    stories = (
        ("claire.dupont@example.fr", "Hugo", Absence.Reason.ILLNESS, True),
        ("paul.martin@example.fr", "Nathan", Absence.Reason.FAMILY, False),
    )
    for login, first_name, reason, excused in stories:
        family = _family_of(login)
        if family is None:
            continue
        if Absence.objects.filter(
            reservation__family=family, reservation__day__gte=world.school_year.start_date
        ).exists():
            continue
        reservation = _last_lunch(world, family, first_name)
        if reservation is None:
            continue
        declared = at(reservation.day, 7, 45)
        absence = absence_services.absence_declare(
            family=family,
            reservation_id=reservation.pk,
            user=_guardian_user(family),
            reason=reason,
            comment="Fièvre depuis la nuit, certificat médical remis à l'accueil."
            if excused
            else "Rendez-vous familial.",
            now=declared,
        )
        decided = at(reservation.day + datetime.timedelta(days=1), 10)
        if excused:
            absence_services.absence_excuse(
                absence_id=absence.pk,
                actor=world.staff,
                note="Certificat médical reçu.",
                now=decided,
            )
        else:
            absence_services.absence_bill(
                absence_id=absence.pk,
                actor=world.staff,
                note="Absence signalée le jour même, sans certificat médical : le repas est dû.",
                now=decided,
            )


def ensure_attendance(world: World) -> None:
    """Staff marked present the children who came on the past days (absences aside)."""
    ids = list(
        Reservation.objects.filter(
            day__lt=world.today,
            day__gte=world.school_year.start_date,
            status=S.ACCEPTED,
            attendance=Attendance.UNKNOWN,
            absence__isnull=True,
        ).values_list("pk", flat=True)
    )
    if ids:
        attendance_services.attendance_mark(
            reservation_ids=ids, attendance=Attendance.PRESENT, actor=world.staff, now=world.now
        )


@transaction.atomic
def ensure_reservations(demo, *, now: datetime.datetime | None = None) -> None:
    now = now or timezone.now()
    today = timezone.localdate(now, PARIS)
    world = World(
        now=now,
        today=today,
        staff=get_user_model().objects.filter(email=STAFF_EMAIL).first(),
        school_year=ensure_school_year(today),
    )
    # Reservations point at no page, image or document: Wagtail's reference index (a task per
    # saved row) has nothing to learn from them.
    with alerts_without_emails(), disable_reference_index_auto_update(), quiet_booking_logs():
        ensure_configuration(world)
        # Priced by the tariffs from the first booking on: what the basket shows is billed.
        ensure_tariffs(world.school_year)
        ensure_demo_registrations(world)
        extras = ensure_extra_families(world)
        full_wednesday = full_wednesday_day(world)
        ensure_regular_bookings(world, full_wednesday)
        ensure_full_wednesday(world, full_wednesday, extras)
        ensure_holiday_requests(world)
        ensure_cancellation_request(world)
        ensure_absences(world)
        ensure_attendance(world)
