import datetime

from django.core.management import call_command

from reservations.choices import ReservationStatus as S
from reservations.models import Reservation
from reservations.services import basket as basket_services
from reservations.services import booking

from ..conftest import NOW, WEDNESDAY


def _book(world, family, child, guardian):
    basket_services.basket_add_bookings(
        family=family,
        child_id=child.pk,
        unit_id=world.unit.pk,
        days=[WEDNESDAY],
        user=guardian.user,
        now=NOW,
    )
    basket_services.basket_submit(family=family, user=guardian.user, now=NOW)
    return Reservation.objects.get(child=child, day=WEDNESDAY)


def test_command_expires_offers_and_offers_the_place_to_the_next_child(world, capsys):
    first = _book(world, world.family, world.child, world.guardian)
    others = [world.add_family() for _ in range(3)]
    second, waiting_1, waiting_2 = (_book(world, f, c, g) for f, g, (c,) in others)
    assert [waiting_1.status, waiting_2.status] == [S.WAITING, S.WAITING]
    booking.reservation_cancel(
        family=world.family, reservation_id=first.pk, user=world.guardian.user, now=NOW
    )
    waiting_1.refresh_from_db()
    assert waiting_1.status == S.OFFERED
    # The offer lapses one hour later; two hours later it has expired.
    Reservation.objects.filter(pk=waiting_1.pk).update(
        offer_expires_at=NOW + datetime.timedelta(hours=1)
    )
    expired = booking.offers_expire(now=NOW + datetime.timedelta(hours=2))
    assert expired == 1
    waiting_1.refresh_from_db()
    waiting_2.refresh_from_db()
    assert waiting_1.status == S.EXPIRED
    assert waiting_2.status == S.OFFERED
    assert world.slot().booked == 2
    call_command("expire_place_offers")
    assert "offer(s) expired" in capsys.readouterr().out
