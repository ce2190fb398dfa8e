"""« Pointage »: the attendance sheet on a tablet, its PDF, children who came without
booking, and the kitchen list of the day."""

import datetime
import io

import pytest
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from cms.staff_groups import COMMUNICATION, ENFANCE, ensure_staff_groups
from portal_features.models import ChildMembership, HealthRecord
from reservations.choices import ReservationStatus as S
from reservations.models import Absence, Reservation, Slot
from reservations.services import booking
from tests import factories

from ..conftest import make_world

pytestmark = pytest.mark.django_db

SHEET = "reservations_attendance"
WALK_IN = "reservations_attendance_walk_in"
SHEET_PDF = "reservations_attendance_pdf"
KITCHEN = "reservations_kitchen"
KITCHEN_PDF = "reservations_kitchen_pdf"


def refused(response) -> bool:
    """Wagtail answers a forbidden admin view with a 403 or a redirect (dashboard, login)."""
    return response.status_code == 403 or (
        response.status_code == 302
        and (
            response.url == reverse("wagtailadmin_home")
            or response.url.startswith(reverse("wagtailadmin_login"))
        )
    )


def staff_in(group_name):
    ensure_staff_groups()
    user = factories.UserFactory()
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def enfance_user():
    return staff_in(ENFANCE)


@pytest.fixture
def staff_client(client, enfance_user):
    client.force_login(enfance_user)
    return client


@pytest.fixture
def world(db):
    """A daily activity around today, validated at once, 30 places a day."""
    today = timezone.localdate()
    return make_world(
        capacity=30,
        start_date=today - datetime.timedelta(days=7),
        end_date=today + datetime.timedelta(days=60),
        weekdays=list(range(7)),
    )


@pytest.fixture
def day(world):
    return world.unit.slots.filter(day__gte=timezone.localdate()).order_by("day").first().day


def book(world, family, child, day, unit=None):
    unit = unit or world.unit
    slot = Slot.objects.get(unit=unit, group=world.group, day=day)
    with transaction.atomic():
        return booking.reservation_book(
            family=family,
            child=child,
            slot=slot,
            unit_price=unit.price,
            user=None,
            now=timezone.now(),
        )


def sheet_params(world, day, **extra):
    return {"day": day.isoformat(), "activity": world.activity.pk, "unit": world.unit.pk, **extra}


@pytest.fixture
def lea(world, day):
    """A child on a PAI with a peanut allergy, a grandmother who may pick her up, and a
    person of her other household (not this one's) who may not appear on this sheet."""
    family, guardian, (child,) = world.add_family()
    child.first_name, child.last_name, child.school_level = "Léa", "MARTIN", "ce1"
    child.save()
    guardian.phone_mobile = "06 98 76 54 32"
    guardian.save()
    HealthRecord.objects.create(
        child=child,
        allergies="Arachide",
        has_pai=True,
        pai_details="Panier repas fourni par la famille",
        meal_type=HealthRecord.MealType.PACKED_MEAL,
    )
    factories.AuthorizedPersonFactory(
        family=family, child=child, first_name="Odette", last_name="MARTIN", phone="06 11 22 33 44"
    )
    factories.AuthorizedPersonFactory(
        family=family, child=child, first_name="Urgence", may_pick_up=False, emergency_contact=True
    )
    other_household = factories.FamilyFactory()
    ChildMembership.objects.create(child=child, family=other_household)
    factories.AuthorizedPersonFactory(
        family=other_household, child=child, first_name="Gaspard", last_name="AUTREFOYER"
    )
    return book(world, family, child, day)


# --- Access ----------------------------------------------------------------------------


def test_a_family_user_cannot_reach_any_attendance_screen(client, world, day, lea):
    client.force_login(lea.family.guardians.first().user)
    params = sheet_params(world, day)
    for name in (SHEET, SHEET_PDF, KITCHEN, KITCHEN_PDF):
        assert refused(client.get(reverse(name), params)), name
    assert refused(client.post(reverse(SHEET), {**params, f"attendance-{lea.pk}": "absent"}))
    assert refused(client.post(reverse(WALK_IN), params))
    assert Reservation.objects.get(pk=lea.pk).attendance == ""


def test_staff_without_the_reservation_permission_are_refused(client, world, day):
    client.force_login(staff_in(COMMUNICATION))
    for name in (SHEET, SHEET_PDF, KITCHEN, KITCHEN_PDF):
        assert refused(client.get(reverse(name), sheet_params(world, day))), name
    assert reverse(SHEET) not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_the_menu_leads_enfance_to_today_s_roll_call(staff_client, world):
    assert reverse(SHEET) in staff_client.get(reverse("wagtailadmin_home")).content.decode()
    response = staff_client.get(reverse(SHEET))
    assert response.status_code == 200
    assert response.context["form"]["day"].value() == timezone.localdate()
    assert "rows" not in response.context


# --- The sheet -----------------------------------------------------------------------


def test_the_sheet_shows_health_flags_and_pick_up_persons(staff_client, world, day, lea):
    response = staff_client.get(reverse(SHEET), sheet_params(world, day))

    assert response.status_code == 200
    (row,) = [row for row in response.context["rows"] if row.reservation == lea]
    assert (row.allergies, row.has_pai) == ("Arachide", True)
    assert [person.first_name for person in row.pick_up] == ["Odette"]
    content = response.content.decode()
    for text in (
        "MARTIN Léa",
        "Arachide",
        "Panier repas fourni par la famille",
        "Odette",
        "06 11 22 33 44",
        "06 98 76 54 32",
        f'name="attendance-{lea.pk}"',
    ):
        assert text in content, text
    # Another household's person and an emergency-only contact are not pick-up persons.
    assert "AUTREFOYER" not in content and "Urgence" not in content


def test_the_sheet_lists_only_validated_bookings_of_the_unit_and_day(staff_client, world, day):
    family, _guardian, (booked, requested, other_day) = world.add_family(children=3)
    book(world, family, booked, day)
    waiting = book(world, family, requested, day)
    Reservation.objects.filter(pk=waiting.pk).update(status=S.REQUESTED)
    later = world.unit.slots.filter(day__gt=day).order_by("day").first().day
    book(world, family, other_day, later)

    rows = staff_client.get(reverse(SHEET), sheet_params(world, day)).context["rows"]

    assert [row.child for row in rows] == [booked]


def test_marks_are_saved_in_one_post(staff_client, world, day, lea):
    family, _guardian, (tom, zoe) = world.add_family(children=2)
    tom_booking, zoe_booking = book(world, family, tom, day), book(world, family, zoe, day)
    later = world.unit.slots.filter(day__gt=day).order_by("day").first().day
    elsewhere = book(world, world.family, world.child, later)
    params = sheet_params(world, day)

    response = staff_client.post(
        reverse(SHEET),
        {
            **params,
            f"attendance-{lea.pk}": "present",
            f"attendance-{tom_booking.pk}": "absent",
            f"attendance-{zoe_booking.pk}": "",
            # Not on this sheet: ignored.
            f"attendance-{elsewhere.pk}": "present",
        },
    )

    assert response.status_code == 302
    assert response.url.startswith(reverse(SHEET) + "?")
    marks = dict(Reservation.objects.values_list("pk", "attendance"))
    assert marks[lea.pk] == "present"
    assert marks[tom_booking.pk] == "absent"
    assert marks[zoe_booking.pk] == ""
    assert marks[elsewhere.pk] == ""

    page = staff_client.get(response.url)
    assert page.context["present_count"] == 1 and page.context["absent_count"] == 1
    assert f'id="present-{lea.pk}" name="attendance-{lea.pk}" value="present" checked' in (
        page.content.decode()
    )


def test_a_registered_child_who_came_unbooked_is_recorded(staff_client, world, day):
    family, _guardian, (child,) = world.add_family()
    params = sheet_params(world, day)
    choices = staff_client.get(reverse(SHEET), params).context["walk_in_choices"]
    registration = family.registrations.get(child=child)
    assert registration.pk in [value for value, _label in choices]

    response = staff_client.post(reverse(WALK_IN), {**params, "registration": registration.pk})

    assert response.status_code == 302
    reservation = Reservation.objects.get(child=child, day=day)
    assert (reservation.status, reservation.attendance, reservation.walk_in) == (
        S.ACCEPTED,
        "present",
        True,
    )
    assert Slot.objects.get(unit=world.unit, group=world.group, day=day).booked == 1
    page = staff_client.get(response.url)
    assert child in [row.child for row in page.context["rows"]]
    assert registration.pk not in [value for value, _label in page.context["walk_in_choices"]]


def test_a_walk_in_on_a_full_day_is_refused_with_a_message(staff_client, world, day, lea):
    Slot.objects.filter(unit=world.unit, group=world.group, day=day).update(capacity=1)
    family, _guardian, (child,) = world.add_family()
    registration = family.registrations.get(child=child)

    response = staff_client.post(
        reverse(WALK_IN), {**sheet_params(world, day), "registration": registration.pk}, follow=True
    )

    assert not Reservation.objects.filter(child=child).exists()
    errors = [m for m in response.context["messages"] if m.level_tag == "error"]
    assert len(errors) == 1 and str(errors[0])


def test_a_child_not_registered_cannot_be_recorded(staff_client, world, day):
    other = make_world()
    stranger = other.family.registrations.get()

    response = staff_client.post(
        reverse(WALK_IN), {**sheet_params(world, day), "registration": stranger.pk}, follow=True
    )

    assert not Reservation.objects.filter(child=other.child).exists()
    assert any(m.level_tag == "error" for m in response.context["messages"])


def test_the_sheet_costs_the_same_queries_for_2_or_30_children(staff_client, world, day):
    def fill(count):
        for _ in range(count):
            family, _guardian, (child,) = world.add_family()
            HealthRecord.objects.create(child=child, allergies="Lait", has_pai=True)
            factories.AuthorizedPersonFactory(family=family, child=child)
            book(world, family, child, day)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = staff_client.get(reverse(SHEET), sheet_params(world, day))
        assert response.status_code == 200
        return len(captured), len(response.context["rows"])

    fill(2)
    queries()  # the admin's first page fills its caches (menu, permissions): not counted
    small, rows = queries()
    assert rows == 2
    fill(28)
    large, rows = queries()
    assert rows == 30
    assert large == small


def pdf_text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert content.startswith(b"%PDF")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_sheet_prints_as_pdf(staff_client, world, day, lea):
    page = staff_client.get(reverse(SHEET), sheet_params(world, day))
    assert page.context["pdf_url"] in page.content.decode().replace("&amp;", "&")

    response = staff_client.get(page.context["pdf_url"])

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response)
    assert "Léa" in text and "Arachide" in text and "Odette" in text


# --- The kitchen list ----------------------------------------------------------------


def test_the_kitchen_list_counts_meals_by_type_with_pai_and_allergies(
    staff_client, world, day, lea
):
    family, _guardian, (vege, plain, sick, absent) = world.add_family(children=4)
    vege.first_name = "Victor"
    vege.save()
    HealthRecord.objects.create(
        child=vege, meal_type=HealthRecord.MealType.VEGETARIAN, allergies="Kiwi"
    )
    for child in (vege, plain, sick, absent):
        book(world, family, child, day)
    Reservation.objects.filter(child=absent, day=day).update(attendance="absent")
    Absence.objects.create(
        reservation=Reservation.objects.get(child=sick, day=day),
        reason="illness",
        status="declared",
    )
    # A unit without meal is not counted.
    morning = factories.UnitFactory(activity=world.activity, name="Matin", includes_meal=False)
    Slot.objects.create(unit=morning, group=world.group, day=day, capacity=10)
    book(world, world.family, world.child, day, unit=morning)

    response = staff_client.get(reverse(KITCHEN), {"day": day.isoformat()})

    assert response.status_code == 200
    (meals,) = response.context["facilities"]
    assert meals.total == 3  # Léa, Victor and the plain meal
    counts = dict(zip(list(HealthRecord.MealType), meals.counts, strict=True))
    assert counts[HealthRecord.MealType.STANDARD] == 1
    assert counts[HealthRecord.MealType.VEGETARIAN] == 1
    assert counts[HealthRecord.MealType.PACKED_MEAL] == 1
    assert [child.name for child in meals.pai] == ["Léa MARTIN"]
    assert sorted(child.name for child in meals.allergies) == [
        "Léa MARTIN",
        f"Victor {vege.last_name}",
    ]
    content = response.content.decode()
    assert "Panier repas fourni par la famille" in content and "Kiwi" in content

    text = pdf_text(staff_client.get(response.context["pdf_url"]))
    assert "Léa MARTIN" in text and "Victor" in text and world.activity.facility.name in text


def test_the_kitchen_list_of_an_empty_day(staff_client, world):
    response = staff_client.get(reverse(KITCHEN))
    assert response.status_code == 200
    assert response.context["facilities"] == []
    assert pdf_text(staff_client.get(reverse(KITCHEN_PDF)))
