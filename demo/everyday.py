"""The everyday life of the demo commune, so that every screen has something to show, all
made through the services families and staff use (the supporting documents, needed before
the enrolments, are `demo/documents.py`'s):

- what awaits staff: an account request (LEROY), a change request (DUPONT adds a baby),
  a conversation (MARTIN asked, staff answered, MARTIN wrote again), an absence declared
  with its medical certificate;
- what happened on the days: a late cancellation (ROUSSEL), a place offered from the
  waiting list of the full Wednesday (a made-up family cancelled in time: Nathan MARTIN,
  first in line, is offered the place), a walk-in and an « absent » mark.

Each scene looks for its trace first, so a second run adds nothing.
"""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from core.errors import DomainError
from core.time import PARIS
from portal_features.change_requests.services import change_request_submit
from portal_features.messaging.services import (
    message_post_by_family,
    message_post_by_staff,
    thread_start,
)
from portal_features.models import (
    ChangeRequest,
    Child,
    Custody,
    Family,
    Service,
    SignupRequest,
    Thread,
)
from reservations.choices import Attendance
from reservations.choices import ReservationStatus as S
from reservations.eligibility import cancellation_deadline
from reservations.models import Absence, Registration, Reservation, Slot
from reservations.opening import commune_holiday_check
from reservations.services import absences as absence_services
from reservations.services import attendance as attendance_services
from reservations.services import booking as booking_services

from .families import STAFF_EMAIL
from .pdf import demo_pdf
from .quiet import alerts_without_emails, quiet_booking_logs
from .reservations import at, extra_families
from .signup import Household, NewChild, signup_sent

SIGNUP_EMAIL = "sophie.leroy@example.fr"
THREAD_SUBJECT = "Sortie au parc du mercredi"


def _family(login: str) -> Family | None:
    return Family.objects.filter(guardians__user__email=login).first()


def _user(family: Family):
    guardian = family.guardians.filter(user__isnull=False).select_related("user").first()
    return guardian.user if guardian else None


def ensure_account_request(*, now) -> None:
    """LEROY asked for an account, with Jules's school, class and documents; staff have not
    decided."""
    if SignupRequest.objects.filter(email=SIGNUP_EMAIL).exists():
        return
    jules = NewChild(
        last_name="LEROY",
        first_name="Jules",
        birth_date=datetime.date(now.year - 7, 4, 18),
        sex=Child.Sex.MALE,
        school_level="ce1",
    )
    household = Household(
        email=SIGNUP_EMAIL,
        civility="mme",
        last_name="LEROY",
        first_name="Sophie",
        role="mother",
        phone_mobile="06 45 67 89 01",
        address_line="8 allée des Tilleuls",
        postal_code="45000",
        city="Montrivel-sur-Loire",
        children=(jules,),
    )
    signup_sent(household, sent=now - datetime.timedelta(hours=5))


def ensure_change_request(*, now) -> None:
    """The DUPONTs had a baby: they ask to add her to their file."""
    family = _family("claire.dupont@example.fr")
    if family is None or ChangeRequest.objects.filter(family=family, status="pending").exists():
        return
    change_request_submit(
        family=family,
        target=family,
        changes={
            "last_name": "DUPONT",
            "first_name": "Rose",
            "birth_date": (now - datetime.timedelta(days=120)).date(),
            "sex": Child.Sex.FEMALE,
        },
        user=_user(family),
        summary="Nouvel enfant",
        action="create",
        model="child",
        now=now - datetime.timedelta(hours=3),
    )


def ensure_conversation(*, staff, now) -> None:
    """MARTIN asked about a trip, staff answered, MARTIN wrote again (unread by staff)."""
    family = _family("paul.martin@example.fr")
    if family is None or Thread.objects.filter(family=family, subject=THREAD_SUBJECT).exists():
        return
    service = Service.objects.filter(is_active=True).order_by("pk").first()
    theme = service and service.themes.filter(is_active=True).order_by("pk").first()
    if theme is None:
        return
    user = _user(family)
    asked = now - datetime.timedelta(days=2)
    thread = thread_start(
        family=family,
        service=service,
        theme=theme,
        subject=THREAD_SUBJECT,
        body="Bonjour, faut-il prévoir un goûter pour la sortie de mercredi prochain ?",
        user=user,
        now=asked,
    )
    message_post_by_staff(
        thread=thread,
        body="Bonjour, le goûter est fourni ; prévoyez une casquette et une gourde.",
        actor=staff,
        now=asked + datetime.timedelta(hours=3),
    )
    message_post_by_family(
        thread=thread,
        body="Merci, c'est noté !",
        user=user,
        now=asked + datetime.timedelta(hours=5),
    )


def _next_accepted(family, *, after, before=None, child=None):
    rows = Reservation.objects.filter(
        family=family, status=S.ACCEPTED, day__gt=after, absence__isnull=True
    )
    if before is not None:
        rows = rows.filter(day__lt=before)
    if child is not None:
        rows = rows.filter(child__first_name=child)
    return rows.select_related("unit__activity").order_by("day", "pk")


def ensure_declared_absence(*, today, now) -> None:
    """A child is ill on a day too late to cancel (ROUSSEL's first, else another family's):
    the parents declare it with the medical certificate; staff have not decided."""
    if Absence.objects.filter(status="declared").exclude(certificate="").exists():
        return
    for login in (
        "thomas.roussel@example.fr",
        "paul.martin@example.fr",
        "claire.dupont@example.fr",
    ):
        family = _family(login)
        if family is None:
            continue
        candidates = _next_accepted(
            family,
            after=today - datetime.timedelta(days=3),
            before=today + datetime.timedelta(days=3),
        )
        for reservation in candidates:
            try:
                absence_services.absence_declare(
                    family=family,
                    reservation_id=reservation.pk,
                    user=_user(family),
                    reason=Absence.Reason.ILLNESS,
                    comment="Varicelle : certificat du médecin joint.",
                    certificate=demo_pdf("Certificat médical"),
                    now=now,
                )
            except DomainError:
                continue  # still free to cancel, or too late to declare
            return


def ensure_late_cancellation(*, today, now) -> None:
    """ROUSSEL cancelled a day after its deadline: the day stays billed."""
    family = _family("thomas.roussel@example.fr")
    if family is None or Reservation.objects.filter(family=family, late_cancellation=True).exists():
        return
    is_holiday = commune_holiday_check()
    for reservation in _next_accepted(family, after=today):
        deadline = cancellation_deadline(reservation.unit.activity, reservation.day, is_holiday)
        if deadline < now:
            booking_services.reservation_cancel(
                family=family, reservation_id=reservation.pk, user=_user(family), now=now
            )
            return


def ensure_offered_place(*, staff, now) -> None:
    """A made-up family cancels its full Wednesday in time and staff accept: the first
    child waiting (Nathan MARTIN) is offered the place, until the offer's deadline."""
    waiting = (
        Reservation.objects.filter(status=S.WAITING, day__gt=timezone.localdate(now, PARIS))
        .select_related("slot")
        .order_by("day", "requested_at", "pk")
    )
    if Reservation.objects.filter(status=S.OFFERED).exists() or not waiting.exists():
        return
    slot = waiting.first().slot
    leaving = (
        Reservation.objects.filter(slot=slot, status=S.ACCEPTED, family__in=extra_families())
        .order_by("-pk")
        .first()
    )
    if leaving is None:
        return
    asked = now - datetime.timedelta(hours=2)
    cancelled = booking_services.reservation_cancel(
        family=leaving.family, reservation_id=leaving.pk, user=None, now=asked
    )
    if cancelled.status == S.CANCELLATION_REQUESTED:
        booking_services.cancellation_accept(reservation_id=cancelled.pk, actor=staff, now=now)


def ensure_absent_mark(*, staff, today, now) -> None:
    """The last open day, a booked child did not come: staff marked it « absent »."""
    if Reservation.objects.filter(
        attendance=Attendance.ABSENT, absence__isnull=True, late_cancellation=False
    ).exists():
        return
    last = (
        Reservation.objects.filter(
            status=S.ACCEPTED, day__lt=today, day__gte=today - datetime.timedelta(days=7)
        )
        .filter(absence__isnull=True)
        .order_by("-day", "pk")
        .first()
    )
    if last is not None:
        attendance_services.attendance_mark(
            reservation_ids=[last.pk], attendance=Attendance.ABSENT, actor=staff, now=now
        )


def ensure_walk_in(*, staff, today) -> None:
    """A registered child came unbooked on one of the last open days: staff recorded it."""
    if Reservation.objects.filter(walk_in=True).exists():
        return
    slot_ids = (
        Reservation.objects.filter(
            status=S.ACCEPTED, day__lt=today, day__gte=today - datetime.timedelta(days=7)
        )
        .order_by("-day", "slot_id")
        .values_list("slot_id", flat=True)
        .distinct()
    )
    for slot_id in list(dict.fromkeys(slot_ids)):
        slot = Slot.objects.select_related("unit__activity").get(pk=slot_id)
        booked = Reservation.objects.filter(slot__day=slot.day, unit=slot.unit).values("child_id")
        candidate = (
            Registration.objects.filter(
                activity=slot.unit.activity, group=slot.group, status="accepted"
            )
            .exclude(child_id__in=booked)
            # A child of one household: with alternating custody the other household, which
            # may have booked nothing (BERNARD), would pay the day.
            .exclude(child__memberships__custody__in=[Custody.ODD_WEEKS, Custody.EVEN_WEEKS])
            .order_by("pk")
            .first()
        )
        if candidate is None:
            continue
        try:
            attendance_services.attendance_walk_in(
                child_id=candidate.child_id,
                slot_id=slot.pk,
                actor=staff,
                family_id=candidate.family_id,
                now=at(slot.day, 9),
            )
        except DomainError:
            continue
        return


def ensure_everyday(demo, *, now: datetime.datetime | None = None) -> None:
    now = now or timezone.now()
    today = timezone.localdate(now, PARIS)
    staff = get_user_model().objects.filter(email=STAFF_EMAIL).first()
    with alerts_without_emails(), quiet_booking_logs():
        ensure_account_request(now=now)
        ensure_change_request(now=now)
        ensure_conversation(staff=staff, now=now)
        ensure_declared_absence(today=today, now=now)
        ensure_late_cancellation(today=today, now=now)
        ensure_offered_place(staff=staff, now=now)
        ensure_absent_mark(staff=staff, today=today, now=now)
        ensure_walk_in(staff=staff, today=today)
