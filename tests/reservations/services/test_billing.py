"""What a billable day is, defined once for invoicing; the days nobody decided yet are
alerts, not bills; staff decide an "absent" mark; billing sources are never deleted."""

import datetime

import pytest
from django.db import connection
from django.db.models import ProtectedError
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from portal_features.models import ChildMembership, Notification
from reservations.choices import AbsenceStatus, Attendance
from reservations.choices import ReservationStatus as S
from reservations.errors import ReservationError
from reservations.models import Absence, Reservation, Slot
from reservations.selectors.billing import (
    AlertKind,
    BillableDay,
    Situation,
    billable_days,
    billing_alerts,
    situation_of,
    undecided_absent_marks,
)
from reservations.selectors.calendar import CellState, month_calendar
from reservations.services.absences import absence_record
from tests import factories

from ..conftest import NOW, WEDNESDAY

pytestmark = pytest.mark.django_db

NOVEMBER = (datetime.date(2026, 11, 1), datetime.date(2026, 11, 30))


def reservation(world, *, family=None, child=None, day=WEDNESDAY, absence=None, **fields):
    booked = Reservation.objects.create(
        family=family or world.family,
        child=child or world.child,
        unit=world.unit,
        slot=world.slot(day),
        day=day,
        status=fields.pop("status", S.ACCEPTED),
        **fields,
    )
    if absence is not None:
        Absence.objects.create(reservation=booked, reason="illness", status=absence)
    return booked


CASES = [
    # (reservation fields, absence, situation billed, alert)
    ({"attendance": Attendance.PRESENT}, None, Situation.PRESENT, None),
    ({}, None, Situation.UNMARKED, None),
    ({"status": S.CANCELLATION_REQUESTED}, None, Situation.UNMARKED, None),
    ({"attendance": Attendance.ABSENT}, AbsenceStatus.EXCUSED, None, None),
    ({"attendance": Attendance.ABSENT}, AbsenceStatus.BILLED, Situation.ABSENCE_BILLED, None),
    ({}, AbsenceStatus.DECLARED, None, AlertKind.ABSENCE_UNDECIDED),
    ({"attendance": Attendance.ABSENT}, None, None, AlertKind.ABSENT_MARK_UNDECIDED),
    ({"walk_in": True, "attendance": Attendance.PRESENT}, None, Situation.WALK_IN, None),
    ({"status": S.CANCELLED, "late_cancellation": True}, None, Situation.LATE_CANCELLATION, None),
    ({"status": S.CANCELLED, "late_cancellation": True, "taken": True}, None, None, None),
    ({"status": S.CANCELLED, "cancelled_by_commune": True}, None, None, None),
    (
        {"status": S.CANCELLED, "cancelled_by_commune": True, "late_cancellation": True},
        None,
        None,
        None,
    ),
    ({"status": S.CANCELLED}, None, None, None),  # cancelled in time
    ({"status": S.REFUSED}, None, None, None),
    ({"status": S.REQUESTED}, None, None, None),
    ({"status": S.WAITING}, None, None, None),
]


@pytest.mark.parametrize(("fields", "absence", "situation", "alert"), CASES)
def test_each_case_is_billed_free_or_an_alert(world, fields, absence, situation, alert):
    fields = dict(fields)
    if fields.pop("taken", False):
        other_family, _guardian, (other_child,) = world.add_family()
        fields["replaced_by"] = reservation(world, family=other_family, child=other_child)
    booked = reservation(world, absence=absence, **fields)

    days = [
        day
        for day in billable_days(activity_ids=[world.activity.pk], start=WEDNESDAY, end=WEDNESDAY)
        if day.reservation_id == booked.pk
    ]
    alerts = [
        a
        for a in billing_alerts(activity_ids=[world.activity.pk], start=WEDNESDAY, end=WEDNESDAY)
        if a.reservation_id == booked.pk
    ]

    assert [day.situation for day in days] == ([situation] if situation else [])
    assert [a.kind for a in alerts] == ([alert] if alert else [])
    assert situation_of(
        status=booked.status,
        attendance=booked.attendance,
        walk_in=booked.walk_in,
        late_cancellation=booked.late_cancellation,
        replaced=booked.replaced_by_id is not None,
        cancelled_by_commune=booked.cancelled_by_commune,
        absence_status=absence,
    ) == (situation, alert)


def test_a_billable_day_carries_what_invoicing_needs(world):
    booked = reservation(world, attendance=Attendance.PRESENT)

    (day,) = billable_days(activity_ids=[world.activity.pk], start=NOVEMBER[0], end=NOVEMBER[1])

    assert day == BillableDay(
        reservation_id=booked.pk,
        family_id=world.family.pk,
        child_id=world.child.pk,
        unit_id=world.unit.pk,
        activity_id=world.activity.pk,
        day=WEDNESDAY,
        situation="present",
    )


def test_only_the_activities_and_days_asked_are_read(world):
    reservation(world)
    reservation(world, day=datetime.date(2026, 12, 2))
    other = factories.UnitFactory()
    factories.GroupFactory(activity=other.activity)

    assert billable_days(activity_ids=[other.activity.pk], start=NOVEMBER[0], end=NOVEMBER[1]) == []
    assert [
        d.day
        for d in billable_days(activity_ids=[world.activity.pk], start=NOVEMBER[0], end=NOVEMBER[1])
    ] == [WEDNESDAY]


def test_a_shared_child_is_billed_to_each_household_for_its_own_days(world):
    other_family = factories.FamilyFactory()
    world.child.memberships.create(family=other_family)
    december = datetime.date(2026, 12, 2)
    reservation(world, attendance=Attendance.PRESENT)
    reservation(world, family=other_family, day=december, attendance=Attendance.PRESENT)

    days = billable_days(activity_ids=[world.activity.pk], start=WEDNESDAY, end=december)

    assert [(d.family_id, d.day) for d in days] == [
        (world.family.pk, WEDNESDAY),
        (other_family.pk, december),
    ]
    assert billing_alerts(activity_ids=[world.activity.pk], start=WEDNESDAY, end=december) == []


def test_a_billable_day_whose_household_no_longer_has_the_child_is_an_alert(world):
    booked = reservation(world, attendance=Attendance.PRESENT)
    ChildMembership.objects.filter(child=world.child).delete()

    (alert,) = billing_alerts(activity_ids=[world.activity.pk], start=WEDNESDAY, end=WEDNESDAY)

    assert (alert.kind, alert.reservation_id, alert.family_id) == (
        "no_payer",
        booked.pk,
        world.family.pk,
    )


def test_billable_days_take_one_query_and_alerts_two_whatever_the_volume(world):
    for _ in range(6):
        family, _guardian, kids = world.add_family(children=2)
        absent, present = kids
        reservation(world, family=family, child=absent, attendance=Attendance.ABSENT)
        reservation(world, family=family, child=present, attendance=Attendance.PRESENT)

    with CaptureQueriesContext(connection) as days_queries:
        billable_days(activity_ids=[world.activity.pk], start=NOVEMBER[0], end=NOVEMBER[1])
    with CaptureQueriesContext(connection) as alert_queries:
        alerts = billing_alerts(
            activity_ids=[world.activity.pk], start=NOVEMBER[0], end=NOVEMBER[1]
        )

    assert len(days_queries) == 1 and len(alert_queries) == 2
    assert len(alerts) == 6


# --- An "absent" mark is a staff decision --------------------------------------------------


def test_the_calendar_shows_an_undecided_absent_mark_as_to_be_decided(world):
    booked = reservation(world, attendance=Attendance.ABSENT)

    def state():
        calendar = month_calendar(family=world.family, month=WEDNESDAY, now=NOW)
        (row,) = calendar.rows
        return next(cell for cell in row.cells if cell.day == WEDNESDAY)

    undecided = state()
    absence_record(
        reservation=booked, status=AbsenceStatus.BILLED, actor=None, note="Sans nouvelles"
    )
    decided = state()

    assert undecided.state == CellState.ABSENT_UNDECIDED
    with translation.override("fr"):
        assert undecided.label == "Absent (à décider)"
    assert decided.state == CellState.ABSENCE_BILLED


@pytest.mark.parametrize(
    ("status", "situation", "kind"),
    [
        (AbsenceStatus.EXCUSED, None, "request_accepted"),
        (AbsenceStatus.BILLED, Situation.ABSENCE_BILLED, "request_refused"),
    ],
)
def test_staff_record_an_absent_mark_as_excused_or_billed(world, status, situation, kind):
    staff = factories.UserFactory()
    booked = reservation(world, attendance=Attendance.ABSENT)

    absence = absence_record(reservation=booked, status=status, actor=staff, note="Vu avec la mère")

    assert (absence.status, absence.decided_by, absence.staff_note) == (
        status,
        staff,
        "Vu avec la mère",
    )
    assert not undecided_absent_marks().exists()
    days = billable_days(activity_ids=[world.activity.pk], start=WEDNESDAY, end=WEDNESDAY)
    assert [d.situation for d in days] == ([situation] if situation else [])
    assert billing_alerts(activity_ids=[world.activity.pk], start=WEDNESDAY, end=WEDNESDAY) == []
    assert Notification.objects.get(family=world.family).kind == kind


def test_an_absence_is_recorded_once_and_only_on_a_validated_day(world):
    booked = reservation(world, attendance=Attendance.ABSENT)
    absence_record(reservation=booked, status=AbsenceStatus.EXCUSED, actor=None)
    refused = reservation(world, day=datetime.date(2026, 12, 2), status=S.REFUSED)

    with pytest.raises(ReservationError):
        absence_record(reservation=booked, status=AbsenceStatus.BILLED, actor=None)
    with pytest.raises(ReservationError):
        absence_record(reservation=refused, status=AbsenceStatus.BILLED, actor=None)
    with pytest.raises(ReservationError):
        absence_record(reservation=refused, status=AbsenceStatus.DECLARED, actor=None)
    assert Absence.objects.count() == 1


def test_staff_decide_absent_marks_in_the_queue_next_to_the_absences(client, world):
    from tests.admin.screens import staff_in

    client.force_login(staff_in("Enfance"))
    booked = reservation(world, attendance=Attendance.ABSENT)
    index = reverse("reservations_queues_absent-marks_modeladmin_index")
    bill = reverse("reservations_queues_absent-marks_modeladmin_bill", args=[booked.pk])

    absences = client.get(reverse("reservations_queues_absences_modeladmin_index"))
    listed = client.get(index)
    without_note = client.post(bill, {"reason": ""})
    with_note = client.post(bill, {"reason": "Absent sans prévenir"})
    again = client.post(bill, {"reason": "Encore"})

    with translation.override("fr"):
        assert (
            "1 jour pointé absent sans absence déclarée attend une décision."
            in absences.content.decode()
        )
    assert index in absences.content.decode()
    assert [r.pk for r in listed.context["object_list"]] == [booked.pk]
    assert without_note.status_code == 200
    assert with_note.status_code == 302
    assert booked.absence.status == AbsenceStatus.BILLED
    assert again.status_code in (302, 403)
    assert Absence.objects.count() == 1
    assert list(client.get(index).context["object_list"]) == []


# --- Billing sources are protected ---------------------------------------------------------


def slot_on(world, day):
    return Slot.objects.get_or_create(
        unit=world.unit, group=world.group, day=day, defaults={"capacity": 10}
    )[0]


def booked_on(world, day, **fields):
    return Reservation.objects.create(
        family=world.family,
        child=world.child,
        unit=world.unit,
        slot=slot_on(world, day),
        day=day,
        status=fields.pop("status", S.ACCEPTED),
        **fields,
    )


def test_a_family_with_days_that_may_be_billed_cannot_be_deleted(world):
    past = booked_on(world, timezone.localdate() - datetime.timedelta(days=3))

    with pytest.raises(ProtectedError):
        world.family.delete()
    with pytest.raises(ProtectedError):
        world.child.delete()
    with pytest.raises(ProtectedError):
        past.delete()

    assert Reservation.objects.filter(pk=past.pk).exists()
    assert ChildMembership.objects.filter(family=world.family).exists()


@pytest.mark.parametrize(
    "fields",
    [
        {"status": S.CANCELLED, "late_cancellation": True},
        {"status": S.CANCELLATION_REQUESTED},
        {"attendance": Attendance.ABSENT},
    ],
)
def test_every_day_that_may_be_billed_is_protected(world, fields):
    booked_on(world, timezone.localdate(), **fields)

    with pytest.raises(ProtectedError):
        world.family.delete()


@pytest.mark.parametrize(
    ("delta", "fields"),
    [
        (3, {}),  # a day to come
        (-3, {"status": S.CANCELLED}),  # cancelled in time
        (-3, {"status": S.CANCELLED, "late_cancellation": True, "cancelled_by_commune": True}),
        (-3, {"status": S.REFUSED}),
    ],
)
def test_days_that_will_never_be_billed_do_not_protect_the_family(world, delta, fields):
    booked_on(world, timezone.localdate() + datetime.timedelta(days=delta), **fields)

    world.family.delete()

    assert not Reservation.objects.exists()


def test_a_decided_absence_on_a_past_day_cannot_be_deleted(world):
    past = booked_on(world, timezone.localdate() - datetime.timedelta(days=1))
    absence = Absence.objects.create(reservation=past, reason="illness", status="excused")

    with pytest.raises(ProtectedError):
        absence.delete()

    assert Absence.objects.filter(pk=absence.pk).exists()
