"""« Demandes (réservations) »: the staff queues of administrative files, registrations,
booking and cancellation requests and absences; single and bulk decisions."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from cms.staff_groups import ENFANCE, ensure_staff_groups
from portal_features.models import Notification
from reservations.admin.queues import (
    AbsenceQueue,
    BookingRequestQueue,
    CancellationRequestQueue,
    EnrolmentQueue,
    RegistrationQueue,
    queue_url,
)
from reservations.choices import ReservationStatus as S
from reservations.models import Absence, Enrolment, Registration, Reservation
from reservations.services import absences, booking
from tests import factories
from tests.files import pdf_bytes

from ..conftest import PARIS, make_world

pytestmark = pytest.mark.django_db

PDF = pdf_bytes(text="certificat medical")
REFUSAL_REQUIRED = "Indiquez le motif du refus : il sera communiqué à la famille."
FIELD_REQUIRED = "Champ requis."


def refused(response) -> bool:
    """Wagtail answers a forbidden admin view with a 403 or a redirect (dashboard, login)."""
    return response.status_code == 403 or (
        response.status_code == 302
        and (
            response.url == reverse("wagtailadmin_home")
            or response.url.startswith(reverse("wagtailadmin_login"))
        )
    )


@pytest.fixture
def enfance_user():
    ensure_staff_groups()
    user = factories.UserFactory(first_name="Sophie", last_name="Marchand")
    user.groups.add(Group.objects.get(name=ENFANCE))
    return user


@pytest.fixture
def staff_client(client, enfance_user):
    client.force_login(enfance_user)
    return client


@pytest.fixture
def world(db):
    """A daily activity around today, decided by staff (bookings and cancellations), one
    place per day: the queues' screens call the services at the real time."""
    today = timezone.localdate()
    return make_world(
        capacity=1,
        start_date=today - datetime.timedelta(days=7),
        end_date=today + datetime.timedelta(days=60),
        weekdays=list(range(7)),
        booking_validation="staff",
        cancellation_validation="staff",
    )


@pytest.fixture
def day(world):
    """An opening day far enough ahead for the waiting list to be promoted."""
    soon = timezone.localdate() + datetime.timedelta(days=3)
    return world.unit.slots.filter(day__gte=soon).order_by("day").first().day


def book(world, family, child, guardian, day):
    with transaction.atomic():
        return booking.reservation_book(
            family=family,
            child=child,
            slot=world.slot(day),
            unit_price=world.unit.price,
            user=guardian.user,
            now=timezone.now(),
        )


def accepted(world, family, child, guardian, day, staff):
    reservation = book(world, family, child, guardian, day)
    return booking.reservation_accept(reservation_id=reservation.pk, actor=staff)


def status(obj):
    return type(obj).objects.get(pk=obj.pk).status


def listed(content: str, child) -> bool:
    return child.first_name in content


# --- Access ----------------------------------------------------------------------------


def test_a_family_user_cannot_reach_any_queue(client, world, day, enfance_user):
    reservation = book(world, world.family, world.child, world.guardian, day)
    client.force_login(world.guardian.user)
    for queue in (
        EnrolmentQueue,
        RegistrationQueue,
        BookingRequestQueue,
        CancellationRequestQueue,
        AbsenceQueue,
    ):
        assert refused(client.get(queue_url(queue))), queue
        assert refused(client.get(queue_url(queue, "bulk"))), queue
    assert refused(client.get(queue_url(BookingRequestQueue, "inspect", reservation.pk)))
    assert refused(client.post(queue_url(BookingRequestQueue, "accept", reservation.pk)))
    assert status(reservation) == S.REQUESTED


def test_the_group_menu_shows_the_queues_to_enfance(staff_client):
    content = staff_client.get(reverse("wagtailadmin_home")).content.decode()
    assert queue_url(BookingRequestQueue) in content
    assert queue_url(AbsenceQueue) in content


# --- Enrolments and registrations ---------------------------------------------------


def pending_enrolment(world, first_name):
    family = factories.FamilyFactory()
    child = factories.ChildFactory(family=family, first_name=first_name)
    return factories.EnrolmentFactory(
        family=family, child=child, school_year=world.activity.school_year, status="pending"
    )


def test_enrolment_queue_lists_only_pending_and_decides_one(staff_client, world, enfance_user):
    pending = pending_enrolment(world, "Léonie")
    content = staff_client.get(queue_url(EnrolmentQueue)).content.decode()
    assert "Léonie" in content
    # The world's own child has a validated file: not in the queue.
    assert not listed(content, world.child)

    response = staff_client.post(queue_url(EnrolmentQueue, "accept", pending.pk))

    assert response.status_code == 302 and response.url == queue_url(EnrolmentQueue)
    pending.refresh_from_db()
    assert (pending.status, pending.decided_by) == ("accepted", enfance_user)
    assert Notification.objects.filter(family=pending.family, kind="request_accepted").exists()
    assert "Léonie" not in staff_client.get(queue_url(EnrolmentQueue)).content.decode()
    decided = staff_client.get(queue_url(EnrolmentQueue), {"state": "decided"})
    assert "Léonie" in decided.content.decode()


def test_a_refusal_needs_its_reason(staff_client, world):
    pending = pending_enrolment(world, "Léonie")

    empty = staff_client.post(queue_url(EnrolmentQueue, "refuse", pending.pk), {"reason": " "})
    assert empty.status_code == 200
    assert empty.context["form"].errors["reason"] == [FIELD_REQUIRED]
    assert status(pending) == "pending"

    staff_client.post(
        queue_url(EnrolmentQueue, "refuse", pending.pk), {"reason": "Dossier incomplet"}
    )
    pending.refresh_from_db()
    assert (pending.status, pending.refusal_reason) == ("refused", "Dossier incomplet")
    notification = Notification.objects.get(family=pending.family, kind="request_refused")
    assert notification.body == "Dossier incomplet"


def pending_registrations(world, names):
    registrations = []
    for name in names:
        _family, _guardian, (child,) = world.add_family()
        child.first_name = name
        child.save()
        registration = Registration.objects.get(child=child)
        registration.status = "pending"
        registration.save()
        registrations.append(registration)
    return registrations


def test_registrations_bulk_accept(staff_client, world):
    registrations = pending_registrations(world, ("Anouk", "Basile", "Capucine"))
    bulk = queue_url(RegistrationQueue, "bulk")
    index = staff_client.get(queue_url(RegistrationQueue)).content.decode()
    assert bulk in index and "Anouk" in index
    assert not listed(index, world.child)

    response = staff_client.post(
        bulk, {"requests": [registrations[0].pk, registrations[1].pk], "decision": "accept"}
    )

    assert response.status_code == 302
    assert [status(r) for r in registrations] == ["accepted", "accepted", "pending"]
    assert Notification.objects.filter(kind="request_accepted").count() == 2


def test_registrations_bulk_refusal_needs_a_reason(staff_client, world):
    (registration,) = pending_registrations(world, ("Capucine",))
    bulk = queue_url(RegistrationQueue, "bulk")

    no_reason = staff_client.post(bulk, {"requests": [registration.pk], "decision": "refuse"})
    assert no_reason.status_code == 200
    assert no_reason.context["form"].errors["reason"] == [REFUSAL_REQUIRED]
    assert status(registration) == "pending"

    response = staff_client.post(
        bulk, {"requests": [registration.pk], "decision": "refuse", "reason": "Groupe complet"}
    )
    assert response.status_code == 302
    registration.refresh_from_db()
    assert (registration.status, registration.refusal_reason) == ("refused", "Groupe complet")
    assert Notification.objects.get(kind="request_refused").body == "Groupe complet"


def test_the_filters_narrow_the_list_and_the_bulk_screen(staff_client, world):
    other = make_world(capacity=1)
    mine = pending_enrolment(world, "Mathis")
    for w, name in ((world, "Ilona"), (other, "Zoé")):
        family, _guardian, (child,) = w.add_family()
        child.first_name = name
        child.save()
        Registration.objects.filter(child=child).update(status="pending")
    index = queue_url(RegistrationQueue)

    by_activity = staff_client.get(index, {"activity": world.activity.pk}).content.decode()
    assert "Ilona" in by_activity and "Zoé" not in by_activity
    bulk_link = f"{queue_url(RegistrationQueue, 'bulk')}?activity={world.activity.pk}"
    assert bulk_link in by_activity
    bulk = staff_client.get(bulk_link).content.decode()
    assert "Ilona" in bulk and "Zoé" not in bulk

    zoe_family = Registration.objects.get(child__first_name="Zoé").family
    searched = staff_client.get(index, {"q": zoe_family.name}).content.decode()
    assert "Zoé" in searched and "Ilona" not in searched

    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    later = staff_client.get(index, {"day_from": tomorrow}).content.decode()
    assert "Ilona" not in later and "Zoé" not in later
    today = timezone.localdate().isoformat()
    enrolments = staff_client.get(queue_url(EnrolmentQueue), {"day_from": today, "day_to": today})
    assert "Mathis" in enrolments.content.decode()
    assert mine.status == "pending"


# --- Booking requests ----------------------------------------------------------------


def test_booking_queue_lists_only_requests_and_shows_the_history(
    staff_client, world, day, enfance_user
):
    requested = book(world, world.family, world.child, world.guardian, day)
    f2, g2, (c2,) = world.add_family()
    waiting = book(world, f2, c2, g2, day)
    assert (requested.status, waiting.status) == (S.REQUESTED, S.WAITING)

    content = staff_client.get(queue_url(BookingRequestQueue)).content.decode()
    assert listed(content, world.child) and not listed(content, c2)
    assert queue_url(BookingRequestQueue, "accept", requested.pk) in content

    staff_client.post(queue_url(BookingRequestQueue, "accept", requested.pk))
    assert status(requested) == S.ACCEPTED

    inspect = staff_client.get(queue_url(BookingRequestQueue, "inspect", requested.pk))
    history = inspect.context["history"]
    with translation.override("fr"):
        requested_label, accepted_label = str(S.REQUESTED.label), str(S.ACCEPTED.label)
        staff, family = gettext("Staff"), gettext("Family")
    assert [(e["from"], e["to"]) for e in history] == [
        ("—", requested_label),
        (requested_label, accepted_label),
    ]
    assert (history[1]["who"], history[1]["side"]) == ("Sophie Marchand", staff)
    assert history[0]["side"] == family
    text = inspect.content.decode()
    assert "Sophie Marchand" in text and accepted_label in text


def test_refusing_a_booking_frees_its_place_for_the_waiting_child(staff_client, world, day):
    requested = book(world, world.family, world.child, world.guardian, day)
    f2, g2, (c2,) = world.add_family()
    waiting = book(world, f2, c2, g2, day)

    empty = staff_client.post(queue_url(BookingRequestQueue, "refuse", requested.pk))
    assert empty.context["form"].errors["reason"] == [FIELD_REQUIRED]
    assert status(requested) == S.REQUESTED

    staff_client.post(
        queue_url(BookingRequestQueue, "refuse", requested.pk), {"reason": "Groupe complet"}
    )

    requested.refresh_from_db()
    assert (requested.status, requested.refusal_reason) == (S.REFUSED, "Groupe complet")
    assert status(waiting) == S.OFFERED
    assert world.slot(day).booked == 1
    assert Notification.objects.filter(family=f2, kind="place_offered").count() == 1
    note = requested.events.get(to_status=S.REFUSED).note
    assert note == "Groupe complet"


def test_bulk_booking_decisions_and_the_waiting_list(staff_client, world, day):
    world.group.slots.filter(day=day).update(capacity=2)
    families = [world.add_family() for _ in range(3)]
    first, second, third = (book(world, f, c, g, day) for f, g, (c,) in families)
    assert (first.status, second.status, third.status) == (S.REQUESTED, S.REQUESTED, S.WAITING)
    bulk = queue_url(BookingRequestQueue, "bulk")

    no_reason = staff_client.post(bulk, {"requests": [first.pk], "decision": "refuse"})
    assert no_reason.context["form"].errors["reason"] == [REFUSAL_REQUIRED]

    staff_client.post(bulk, {"requests": [first.pk], "decision": "accept"})
    response = staff_client.post(
        bulk,
        {"requests": [first.pk, second.pk], "decision": "refuse", "reason": "Sortie annulée"},
        follow=True,
    )

    assert (status(first), status(second), status(third)) == (S.ACCEPTED, S.REFUSED, S.OFFERED)
    messages = [str(message) for message in response.context["messages"]]
    # The one already decided is reported by name; the other goes through.
    assert any(first.child.first_name in m and "déjà été traitée" in m for m in messages)
    assert any(m.startswith("1 ") for m in messages)


# --- Cancellation requests -----------------------------------------------------------


def cancellation_request(world, family, child, guardian, day, staff):
    reservation = accepted(world, family, child, guardian, day, staff)
    return booking.reservation_cancel(
        family=family, reservation_id=reservation.pk, user=guardian.user, now=timezone.now()
    )


def test_cancellation_queue_accepts_and_promotes_the_waiting_child(
    staff_client, world, day, enfance_user
):
    asked = cancellation_request(
        world, world.family, world.child, world.guardian, day, enfance_user
    )
    f2, g2, (c2,) = world.add_family()
    waiting = book(world, f2, c2, g2, day)
    f3, g3, (c3,) = world.add_family()
    other_day = world.unit.slots.filter(day__gt=day).order_by("day").first().day
    kept = accepted(world, f3, c3, g3, other_day, enfance_user)
    assert asked.status == S.CANCELLATION_REQUESTED

    content = staff_client.get(queue_url(CancellationRequestQueue)).content.decode()
    assert listed(content, world.child) and not listed(content, c3) and not listed(content, c2)
    # A cancellation request is not a booking request.
    assert not listed(staff_client.get(queue_url(BookingRequestQueue)).content.decode(), c2)

    staff_client.post(queue_url(CancellationRequestQueue, "accept", asked.pk))

    assert status(asked) == S.CANCELLED
    assert status(waiting) == S.OFFERED
    assert status(kept) == S.ACCEPTED


def test_cancellation_refusals_single_and_bulk(staff_client, world, day, enfance_user):
    first = cancellation_request(
        world, world.family, world.child, world.guardian, day, enfance_user
    )
    later = world.unit.slots.filter(day__gt=day).order_by("day").first().day
    second = cancellation_request(
        world, world.family, world.child, world.guardian, later, enfance_user
    )
    staff_client.post(
        queue_url(CancellationRequestQueue, "refuse", first.pk), {"reason": "Hors délai"}
    )
    assert status(first) == S.ACCEPTED

    bulk = queue_url(CancellationRequestQueue, "bulk")
    no_reason = staff_client.post(bulk, {"requests": [second.pk], "decision": "refuse"})
    assert no_reason.context["form"].errors["reason"] == [REFUSAL_REQUIRED]
    staff_client.post(bulk, {"requests": [second.pk], "decision": "refuse", "reason": "Non"})
    assert status(second) == S.ACCEPTED
    assert world.slot(later).booked == 1


# --- Absences ------------------------------------------------------------------------


def declared_absence(world, family, child, guardian, day, staff, certificate=True):
    reservation = accepted(world, family, child, guardian, day, staff)
    morning = datetime.datetime.combine(day, datetime.time(9, 0), tzinfo=PARIS)
    return absences.absence_declare(
        family=family,
        reservation_id=reservation.pk,
        user=guardian.user,
        reason=Absence.Reason.ILLNESS,
        comment="Fièvre",
        certificate=SimpleUploadedFile("certificat médical.pdf", PDF) if certificate else None,
        now=morning,
    )


def test_absences_are_excused_or_billed(staff_client, world, day, enfance_user):
    sick = declared_absence(world, world.family, world.child, world.guardian, day, enfance_user)
    f2, g2, (c2,) = world.add_family()
    later = world.unit.slots.filter(day__gt=day).order_by("day").first().day
    away = declared_absence(world, f2, c2, g2, later, enfance_user, certificate=False)

    content = staff_client.get(queue_url(AbsenceQueue)).content.decode()
    assert listed(content, world.child) and listed(content, c2)
    assert queue_url(AbsenceQueue, "certificate", sick.pk) in content

    staff_client.post(queue_url(AbsenceQueue, "excuse", sick.pk), {"reason": ""})
    assert status(sick) == "excused"

    no_note = staff_client.post(queue_url(AbsenceQueue, "bill", away.pk), {"reason": ""})
    assert no_note.context["form"].errors["reason"] == [FIELD_REQUIRED]
    staff_client.post(queue_url(AbsenceQueue, "bill", away.pk), {"reason": "Sans justificatif"})
    away.refresh_from_db()
    assert (away.status, away.staff_note) == ("billed", "Sans justificatif")
    assert Notification.objects.filter(family=f2, kind="request_refused").exists()

    content = staff_client.get(queue_url(AbsenceQueue)).content.decode()
    assert not listed(content, world.child) and not listed(content, c2)


def test_absences_in_bulk(staff_client, world, day, enfance_user):
    days = list(world.unit.slots.filter(day__gte=day).order_by("day").values_list("day", flat=True))
    declared = [
        declared_absence(world, world.family, world.child, world.guardian, d, enfance_user)
        for d in days[:3]
    ]
    bulk = queue_url(AbsenceQueue, "bulk")
    assert world.child.first_name in staff_client.get(bulk).content.decode()

    no_note = staff_client.post(bulk, {"requests": [declared[2].pk], "decision": "bill"})
    assert no_note.context["form"].errors["reason"]
    staff_client.post(bulk, {"requests": [declared[0].pk, declared[1].pk], "decision": "excuse"})
    staff_client.post(
        bulk, {"requests": [declared[2].pk], "decision": "bill", "reason": "Hors délai"}
    )

    assert [status(a) for a in declared] == ["excused", "excused", "billed"]


def test_the_certificate_is_downloaded_by_staff_only(client, world, day, enfance_user):
    absence = declared_absence(world, world.family, world.child, world.guardian, day, enfance_user)
    url = queue_url(AbsenceQueue, "certificate", absence.pk)

    client.force_login(world.guardian.user)
    assert refused(client.get(url))

    # Staff of the communication team reach the admin but not the families' absences.
    from cms.staff_groups import COMMUNICATION

    communication = factories.UserFactory()
    communication.groups.add(Group.objects.get(name=COMMUNICATION))
    client.force_login(communication)
    assert refused(client.get(url))

    client.force_login(enfance_user)
    inspect = client.get(queue_url(AbsenceQueue, "inspect", absence.pk)).content.decode()
    assert url in inspect and "certificat médical.pdf" in inspect
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_an_absence_without_certificate_has_nothing_to_download(
    staff_client, world, day, enfance_user
):
    absence = declared_absence(
        world, world.family, world.child, world.guardian, day, enfance_user, certificate=False
    )
    assert staff_client.get(queue_url(AbsenceQueue, "certificate", absence.pk)).status_code == 404


def test_a_decided_item_has_no_buttons_and_cannot_be_decided_again(
    staff_client, world, day, enfance_user
):
    reservation = book(world, world.family, world.child, world.guardian, day)
    booking.reservation_accept(reservation_id=reservation.pk, actor=enfance_user)

    inspect = staff_client.get(queue_url(BookingRequestQueue, "inspect", reservation.pk))
    assert queue_url(BookingRequestQueue, "refuse", reservation.pk) not in inspect.content.decode()
    response = staff_client.post(
        queue_url(BookingRequestQueue, "refuse", reservation.pk), {"reason": "Non"}, follow=True
    )
    assert status(reservation) == S.ACCEPTED
    assert "Cette demande a déjà été traitée." in [str(m) for m in response.context["messages"]]


def test_queue_models_are_untouched_by_listing(staff_client, world):
    """Listing never changes what it lists (no status moves on GET)."""
    pending = pending_enrolment(world, "Léonie")
    for queue in (
        EnrolmentQueue,
        RegistrationQueue,
        BookingRequestQueue,
        CancellationRequestQueue,
        AbsenceQueue,
    ):
        assert staff_client.get(queue_url(queue)).status_code == 200
        assert staff_client.get(queue_url(queue), {"state": "decided"}).status_code == 200
        assert staff_client.get(queue_url(queue, "bulk")).status_code == 200
    assert Enrolment.objects.get(pk=pending.pk).status == "pending"
    assert Reservation.objects.count() == 0
