"""What the tests of the screens « Activités et calendrier » share."""

from django.contrib.messages import get_messages
from django.urls import reverse

from reservations.services import basket as basket_services

from ...conftest import NOW, WEDNESDAY

OCCUPANCY = "reservations_occupancy"
CANCELLATION = "reservations_day_cancel"


def admin_url(model, action="index", *args):
    return reverse(f"reservations_{model}_modeladmin_{action}", args=args)


def messages_of(response):
    return [(message.level_tag, str(message)) for message in get_messages(response.wsgi_request)]


def form_errors(response):
    return response.context["form"].errors if response.context else {}


def book(world, family, child, guardian, day=WEDNESDAY, unit=None):
    basket_services.basket_add_bookings(
        family=family,
        child_id=child.pk,
        unit_id=(unit or world.unit).pk,
        days=[day],
        user=guardian.user,
        now=NOW,
    )
    return basket_services.basket_submit(family=family, user=guardian.user, now=NOW)
