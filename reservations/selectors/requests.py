"""Reads of the family's enrolments ("dossier administratif") and registrations
("inscriptions"), always scoped to the family.

An enrolment belongs to the child for a school year (one live per child and year, whichever
household sent it), so it is read through the family's children; registrations belong to
the household that opened them. Each screen costs a fixed number of queries, whatever the
number of children.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404

from core.choices import RequestStatus
from core.time import local_today
from portal_features.documents.selectors import missing_required_documents
from portal_features.models import Child, Guardian

from ..eligibility import enrolment_blockers, registration_blockers
from ..models import Activity, Enrolment, Group, Registration, SchoolYear
from ..models.registrations import LIVE_REQUEST

# --- School years and children --------------------------------------------------------


def enrolment_school_years(*, today: datetime.date) -> list[SchoolYear]:
    """The school year under way and the next one, when staff have created it.

    Between two school years (no year contains `today`), only the coming one."""
    years = list(SchoolYear.objects.filter(end_date__gte=today).order_by("start_date")[:2])
    if years and years[0].start_date > today:
        return years[:1]
    return years


def family_children(family) -> list[Child]:
    return list(Child.objects.for_family(family).order_by("birth_date", "first_name", "pk"))


def child_for_family(family, child_id) -> Child:
    """One of the family's children, or 404 (another family's id included)."""
    return get_object_or_404(Child.objects.for_family(family), pk=child_id)


def registration_for_family(family, registration_id) -> Registration:
    """One of the family's registrations, or 404."""
    return get_object_or_404(
        Registration.objects.for_family(family).select_related("child", "activity"),
        pk=registration_id,
    )


def _is_live(request) -> bool:
    return request.status in LIVE_REQUEST


def _enrolments_of(children, school_years=None):
    enrolments = Enrolment.objects.filter(child__in=[child.pk for child in children])
    if school_years is not None:
        enrolments = enrolments.filter(school_year__in=school_years)
    return enrolments.select_related("school_year").order_by("-created_at", "-pk")


# --- The hub ("Inscriptions et réservations") ------------------------------------------


@dataclass
class EnrolmentLine:
    """A child's file for one school year: the live enrolment, else the last one (refused
    or cancelled, shown with its reason), else none."""

    school_year: SchoolYear
    enrolment: Enrolment | None
    family_id: int

    @property
    def is_live(self) -> bool:
        return self.enrolment is not None and _is_live(self.enrolment)

    @property
    def can_submit(self) -> bool:
        return not self.is_live

    @property
    def status(self) -> str:
        return self.enrolment.status if self.enrolment else ""

    @property
    def from_other_household(self) -> bool:
        return self.enrolment is not None and self.enrolment.family_id != self.family_id


@dataclass
class ChildRequests:
    child: Child
    enrolments: list[EnrolmentLine] = field(default_factory=list)
    registrations: list[Registration] = field(default_factory=list)


@dataclass
class Hub:
    school_years: list[SchoolYear]
    children: list[ChildRequests]


def _enrolment_line(enrolments: list[Enrolment], school_year, family) -> EnrolmentLine:
    """`enrolments` newest first: the live one wins, else the newest."""
    chosen = next((enrolment for enrolment in enrolments if _is_live(enrolment)), None)
    if chosen is None and enrolments:
        chosen = enrolments[0]
    return EnrolmentLine(school_year=school_year, enrolment=chosen, family_id=family.pk)


def requests_hub(family, *, today: datetime.date) -> Hub:
    """Per child: the file of the current and next school years and the activity lines
    opened for them (withdrawn ones left out). Four queries."""
    school_years = enrolment_school_years(today=today)
    children = family_children(family)
    by_child_year: dict[tuple[int, int], list[Enrolment]] = {}
    registrations_by_child: dict[int, list[Registration]] = {}
    if children and school_years:
        for enrolment in _enrolments_of(children, school_years):
            by_child_year.setdefault((enrolment.child_id, enrolment.school_year_id), []).append(
                enrolment
            )
        registrations = (
            Registration.objects.for_family(family)
            .filter(activity__school_year__in=school_years)
            .exclude(status=RequestStatus.CANCELLED)
            .select_related("activity__school_year", "activity__facility", "group")
            .order_by("activity__school_year__start_date", "activity__sort_order", "activity__name")
        )
        for registration in registrations:
            registrations_by_child.setdefault(registration.child_id, []).append(registration)
    return Hub(
        school_years=school_years,
        children=[
            ChildRequests(
                child=child,
                enrolments=[
                    _enrolment_line(by_child_year.get((child.pk, year.pk), []), year, family)
                    for year in school_years
                ],
                registrations=registrations_by_child.get(child.pk, []),
            )
            for child in children
        ],
    )


# --- « Mes inscriptions »: everything, by child and school year -------------------------


@dataclass
class YearRequests:
    school_year: SchoolYear
    enrolments: list[Enrolment] = field(default_factory=list)
    registrations: list[Registration] = field(default_factory=list)


@dataclass
class ChildHistory:
    child: Child
    years: list[YearRequests]


def requests_history(family) -> list[ChildHistory]:
    """Every enrolment and registration of the family's children, newest school year first.
    Three queries."""
    children = family_children(family)
    if not children:
        return []
    years: dict[int, SchoolYear] = {}
    cells: dict[tuple[int, int], YearRequests] = {}

    def cell(child_id, school_year) -> YearRequests:
        years[school_year.pk] = school_year
        key = (child_id, school_year.pk)
        if key not in cells:
            cells[key] = YearRequests(school_year=school_year)
        return cells[key]

    for enrolment in _enrolments_of(children):
        cell(enrolment.child_id, enrolment.school_year).enrolments.append(enrolment)
    registrations = (
        Registration.objects.for_family(family)
        .select_related("activity__school_year", "activity__facility", "group")
        .order_by("activity__sort_order", "activity__name", "-created_at", "-pk")
    )
    for registration in registrations:
        cell(registration.child_id, registration.activity.school_year).registrations.append(
            registration
        )
    ordered_years = sorted(years.values(), key=lambda year: year.start_date, reverse=True)
    return [
        ChildHistory(
            child=child,
            years=[
                cells[(child.pk, year.pk)] for year in ordered_years if (child.pk, year.pk) in cells
            ],
        )
        for child in children
    ]


# --- The enrolment form ------------------------------------------------------------------


@dataclass
class EnrolmentFile:
    """What the family certifies for a child and a school year, and what blocks it."""

    child: Child
    school_year: SchoolYear
    guardians: list[Guardian]
    line: EnrolmentLine
    blockers: list[str]


def enrolment_file(family, *, child_id, school_year_id, today: datetime.date) -> EnrolmentFile:
    """404 for a child of another family, or a school year not open to enrolment."""
    child = child_for_family(family, child_id)
    school_year = next(
        (
            year
            for year in enrolment_school_years(today=today)
            if str(year.pk) == str(school_year_id)
        ),
        None,
    )
    if school_year is None:
        raise Http404
    enrolments = list(_enrolments_of([child], [school_year]))
    line = _enrolment_line(enrolments, school_year, family)
    return EnrolmentFile(
        child=child,
        school_year=school_year,
        guardians=list(family.guardians.order_by("-is_primary", "last_name", "first_name")),
        line=line,
        blockers=[]
        if line.is_live
        else enrolment_blockers(
            family=family, child=child, school_year=school_year, today=today, pending_ok=True
        ),
    )


# --- "What is missing?": the activities a child may be registered to ---------------------


@dataclass
class ActivityChoice:
    activity: Activity
    # The child's live registration to it (then no button and no checklist).
    registration: Registration | None
    # Why the child cannot be registered (empty: the "Register" button shows).
    blockers: list[str]

    @property
    def can_register(self) -> bool:
        return self.registration is None and not self.blockers


@dataclass
class SchoolYearActivities:
    school_year: SchoolYear
    # The child's administrative file for the year: registrations need it validated.
    enrolment: EnrolmentLine
    activities: list[ActivityChoice]


def registration_choices(family, child, *, now: datetime.datetime) -> list[SchoolYearActivities]:
    """The published activities of the school years open now (those not over yet), each
    with the child's live registration or the list of what blocks a registration.

    The eligibility rules are the services' (reservations.eligibility): the same sentences
    the service gives if the family tries anyway. The documents are checked once per
    starting day, so the cost does not grow with the number of activities.
    """
    today = local_today(now)
    school_years = enrolment_school_years(today=today)
    if not school_years:
        return []
    activities = list(
        Activity.objects.published()
        .filter(school_year__in=school_years, end_date__gte=today)
        .select_related("school_year", "facility")
        .prefetch_related(Prefetch("groups", queryset=Group.objects.order_by("sort_order", "name")))
        .order_by("school_year__start_date", "sort_order", "name")
    )
    live = {
        registration.activity_id: registration
        for registration in Registration.objects.for_family(family).filter(
            child=child, activity__in=activities, status__in=LIVE_REQUEST
        )
    }
    enrolments: dict[int, list[Enrolment]] = {}
    for enrolment in _enrolments_of([child], school_years):
        enrolments.setdefault(enrolment.school_year_id, []).append(enrolment)
    by_year: dict[int, SchoolYearActivities] = {
        year.pk: SchoolYearActivities(
            school_year=year,
            enrolment=_enrolment_line(enrolments.get(year.pk, []), year, family),
            activities=[],
        )
        for year in school_years
    }
    validated_years = {
        enrolment.school_year_id
        for year_enrolments in enrolments.values()
        for enrolment in year_enrolments
        if enrolment.status == RequestStatus.ACCEPTED
    }
    missing_by_day: dict[datetime.date, list[str]] = {}
    for activity in activities:
        registration = live.get(activity.pk)
        blockers = []
        if registration is None:
            on = max(today, activity.start_date)
            if on not in missing_by_day:
                missing_by_day[on] = missing_required_documents(family, on=on, child=child)
            blockers = registration_blockers(
                family=family,
                child=child,
                activity=activity,
                now=now,
                groups=list(activity.groups.all()),
                validated_school_year_ids=validated_years,
                missing_documents=missing_by_day[on],
                registered_activity_ids=set(live),
            )
        by_year[activity.school_year_id].activities.append(
            ActivityChoice(activity=activity, registration=registration, blockers=blockers)
        )
    return list(by_year.values())
