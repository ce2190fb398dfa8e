"""Who may use the screens « Activités et calendrier »: Enfance staff, nobody else."""

import pytest
from django.urls import reverse

from cms.staff_groups import COMMUNICATION
from reservations.choices import ReservationStatus as S
from reservations.models import (
    Reservation,
)
from tests import factories
from tests.portal_features.signup.test_admin import refused, staff_in

from .helpers import CANCELLATION, OCCUPANCY, admin_url

pytestmark = pytest.mark.django_db


SCREENS = [
    ("activity", "index"),
    ("activity", "create"),
    ("slot", "index"),
    ("unit", "index"),
    ("reservationrule", "index"),
    ("reservationrule", "create"),
    ("schoolyear", "index"),
    ("schoolyear", "create"),
    ("period", "index"),
    ("closure", "index"),
    ("facility", "index"),
]


def screen_urls():
    return [admin_url(model, action) for model, action in SCREENS] + [
        reverse(OCCUPANCY),
        reverse(CANCELLATION),
    ]


def test_enfance_staff_see_every_screen_and_the_menu(enfance, world):
    for url in screen_urls():
        response = enfance.get(url)
        assert response.status_code == 200, url
    home = enfance.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse(OCCUPANCY) in home and reverse(CANCELLATION) in home
    assert admin_url("activity") in home


def test_staff_without_the_permissions_are_refused(client, world):
    client.force_login(staff_in(COMMUNICATION))
    slot = world.slot()
    urls = [
        *screen_urls(),
        admin_url("slot", "edit", slot.pk),
        admin_url("activity", "generate_slots", world.activity.pk),
        admin_url("schoolyear", "import_holidays", world.activity.school_year_id),
    ]
    for url in urls:
        assert refused(client.get(url)), url
    assert refused(client.post(admin_url("activity", "generate_slots", world.activity.pk)))
    assert refused(
        client.post(
            reverse(CANCELLATION),
            {"day": "2026-11-25", "reason": "Grève", "activity": world.activity.pk, "confirm": "1"},
        )
    )
    assert Reservation.objects.filter(status=S.CANCELLED).count() == 0


def test_a_user_without_admin_access_goes_to_the_login(client, world):
    client.force_login(factories.UserFactory())
    for url in screen_urls():
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("wagtailadmin_login")), url
