"""The demo's reservations step: safe to run again, a full Wednesday with its waiting list,
and demo parents who find their bookings, requests and absences in their calendar."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.models import Site

from cms.models import CommuneSettings
from demo import accounts, documents, families
from demo.reservations import ensure_reservations, extra_families
from portal_features.alerts.kinds import AlertKind as FileAlertKind
from portal_features.models import Child, Family, Notification
from portal_features.portal.urls import portal_path
from reservations.choices import AlertKind
from reservations.choices import ReservationStatus as S
from reservations.models import (
    Absence,
    Activity,
    BasketItem,
    Closure,
    Enrolment,
    Facility,
    Group,
    Order,
    OrderLine,
    Period,
    Registration,
    Reservation,
    ReservationEvent,
    ReservationRule,
    SchoolYear,
    Slot,
    Unit,
)
from reservations.selectors.calendar import CellState, month_calendar
from reservations.selectors.requests import registration_choices
from tests import factories

PARIS = ZoneInfo("Europe/Paris")
# A Monday morning of the 2026-2027 school year (zone C): the next Wednesday, 25 November,
# is still open for booking (until Monday 23:59); Noël's holiday bookings are open.
NOW = datetime.datetime(2026, 11, 23, 10, 0, tzinfo=PARIS)
NEXT_WEDNESDAY = datetime.date(2026, 11, 25)

COUNTED = [
    SchoolYear,
    Period,
    Facility,
    ReservationRule,
    Closure,
    Activity,
    Unit,
    Group,
    Slot,
    Family,
    Child,
    Enrolment,
    Registration,
    Reservation,
    ReservationEvent,
    Order,
    OrderLine,
    Absence,
    BasketItem,
    Notification,
]


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


@pytest.fixture
def demo_families(db):
    accounts.ensure_accounts(None)
    families.ensure_reference_data(None)
    families.ensure_families(None)
    documents.ensure_supporting_documents(None, now=NOW)


@pytest.fixture
def demo(demo_families):
    ensure_reservations(None, now=NOW)


def family(login: str) -> Family:
    return Family.objects.get(guardians__user__email=login)


def calendar_states(login: str, *months: datetime.date) -> set[str]:
    states = set()
    for month in months:
        calendar = month_calendar(family=family(login), month=month, now=NOW)
        states.update(cell.state for row in calendar.rows for cell in row.cells)
    return states


def test_running_the_step_again_adds_nothing(demo):
    first = counts()
    assert first["Activity"] >= 10 and first["Slot"] > 1000 and first["Reservation"] > 100
    ensure_reservations(None, now=NOW)
    assert counts() == first


def test_the_school_year_follows_the_official_calendar(demo):
    year = SchoolYear.objects.get(name="2026-2027")
    assert set(year.periods.values_list("name", flat=True)) >= {
        "Toussaint",
        "Noël",
        "Hiver",
        "Printemps",
    }
    wednesdays = Activity.objects.get(name="2026/2027 - ALSH Mercredis Élémentaire")
    days = set(Slot.objects.filter(unit__activity=wednesdays).values_list("day", flat=True))
    assert datetime.date(2026, 11, 11) not in days  # Armistice, a public holiday
    assert datetime.date(2026, 10, 21) not in days  # Toussaint holidays
    assert {day.weekday() for day in days} == {2}
    lunches = Activity.objects.get(name="2026/2027 - Restauration scolaire")
    lunch_days = Slot.objects.filter(unit__activity=lunches).values_list("day", flat=True)
    assert {day.weekday() for day in lunch_days} == {0, 1, 3, 4}
    # The summer of 2027 is not in the official data yet: no holiday activity for it.
    assert not Activity.objects.filter(name__contains="Vacances Été").exists()
    noel = Activity.objects.get(name="2026/2027 - ALSH Vacances Noël")
    assert noel.booking_opens_at < NOW < noel.booking_closes_at
    journee = noel.units.get(name="Journée")
    assert set(journee.excludes.values_list("name", flat=True)) == {"Après-midi sans repas"}


def test_the_next_wednesday_is_full_with_a_waiting_list(demo):
    slot = Slot.objects.get(
        unit__activity__name="2026/2027 - ALSH Mercredis Élémentaire",
        unit__name="Journée",
        day=NEXT_WEDNESDAY,
    )
    held = slot.reservations.filter(status__in=[S.ACCEPTED, S.REQUESTED]).count()
    assert slot.booked == slot.capacity == held == 12
    waiting = list(slot.reservations.filter(status=S.WAITING).order_by("requested_at", "pk"))
    assert len(waiting) == 3
    # Nathan MARTIN asked right after the day filled up: first on the list.
    assert waiting[0].child.first_name == "Nathan"
    extras = extra_families()
    assert slot.reservations.filter(family__in=extras).exists()


def test_demo_parents_see_their_reservations(demo):
    november, december = datetime.date(2026, 11, 1), datetime.date(2026, 12, 1)
    dupont = calendar_states("claire.dupont@example.fr", november, december)
    assert {
        CellState.PRESENT,
        CellState.ACCEPTED,
        CellState.ABSENCE_EXCUSED,
        CellState.CANCELLATION_REQUESTED,
        CellState.REQUESTED,
        CellState.AVAILABLE,
    } <= dupont
    martin = calendar_states("paul.martin@example.fr", november)
    assert {CellState.ABSENCE_BILLED, CellState.WAITING, CellState.ACCEPTED} <= martin
    # Emma lives in two households: ROUSSEL books its weeks; BERNARD's proof of address is
    # missing, so BERNARD could register her to nothing and books nothing.
    bernard = calendar_states("julie.bernard@example.fr", november, december)
    roussel = calendar_states("thomas.roussel@example.fr", november, december)
    assert CellState.ACCEPTED in roussel and CellState.ACCEPTED not in bernard
    assert Order.objects.filter(family=family("claire.dupont@example.fr")).exists()


def test_files_and_registrations_were_sent_by_families_and_decided_by_staff(demo):
    staff = get_user_model().objects.get(email=families.STAFF_EMAIL)
    enrolments = list(Enrolment.objects.select_related("family", "child"))
    assert enrolments and {e.status for e in enrolments} == {"accepted"}
    assert all(e.decided_by == staff and e.decided_at > e.created_at for e in enrolments)
    # One file per child, whichever household sends it: ROUSSEL sent Emma's.
    emma = Child.objects.get(first_name="Emma", last_name="ROUSSEL")
    assert [e.family.name for e in enrolments if e.child == emma] == ["ROUSSEL"]
    registrations = list(Registration.objects.select_related("activity"))
    assert registrations and {r.status for r in registrations} == {"accepted"}
    for registration in registrations:
        by_staff = registration.activity.registration_validation == "staff"
        assert (registration.decided_by == staff) is by_staff, registration
    assert Notification.objects.filter(kind=FileAlertKind.REQUEST_ACCEPTED).exists()


def test_bernard_is_told_its_proof_of_address_holds_emma_s_registrations(demo):
    bernard = family("julie.bernard@example.fr")
    emma = Child.objects.for_family(bernard).get(first_name="Emma")
    assert not Registration.objects.filter(family=bernard).exists()
    choices = [c for year in registration_choices(bernard, emma, now=NOW) for c in year.activities]
    assert choices
    for choice in choices:
        assert not choice.can_register
        assert any("Justificatif de domicile" in reason for reason in choice.blockers)


def test_a_demo_parent_opens_the_calendar_in_the_portal(demo, client, home_page, monkeypatch):
    CommuneSettings.for_site(Site.objects.get(is_default_site=True))
    portal = factories.PortalPageFactory(parent=home_page)
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    client.force_login(family("claire.dupont@example.fr").guardians.get(is_primary=True).user)
    response = client.get(portal.url + portal_path("reservations:calendar"), {"month": "2026-12"})
    assert response.status_code == 200
    page = response.content.decode()
    for text in ("Léa", "Hugo", "Chloé", "ALSH Mercredis Élémentaire", "Restauration scolaire"):
        assert text in page


def test_building_the_demo_sends_no_email(
    demo_families, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        ensure_reservations(None, now=NOW)
    assert callbacks == []
    assert mailoutbox == []
    assert Notification.objects.filter(kind=AlertKind.ORDER_RECEIVED).exists()


@pytest.mark.parametrize(
    "now",
    [
        # The rentrée: the week back falls before the school year.
        datetime.datetime(2026, 9, 2, 8, 0, tzinfo=PARIS),
        # Just before the Christmas holidays: the next Wednesdays are in the holidays.
        datetime.datetime(2026, 12, 17, 21, 0, tzinfo=PARIS),
        # During the winter holidays of zone C.
        datetime.datetime(2027, 2, 10, 12, 0, tzinfo=PARIS),
        # The previous school year, whose summer holidays are known.
        datetime.datetime(2026, 3, 10, 9, 0, tzinfo=PARIS),
    ],
)
def test_the_step_works_whatever_the_day(demo_families, now):
    documents.ensure_supporting_documents(None, now=now)
    ensure_reservations(None, now=now)
    first = counts()
    assert first["Reservation"] > 0
    ensure_reservations(None, now=now)
    assert counts() == first
    for slot in Slot.objects.filter(booked__gt=0):
        assert slot.booked <= slot.capacity
        held = slot.reservations.exclude(
            status__in=[S.WAITING, S.CANCELLED, S.REFUSED, S.DECLINED, S.EXPIRED]
        ).count()
        assert held == slot.booked
