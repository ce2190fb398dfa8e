"""« Réserver ces jours »: the days a family ticks on its calendar, booked in one request.

The same rules and the same batched booking as the basket (`batch.py`): rows read once per
table for all the days and children, the places taken by the slots locked in id order and
one conditional UPDATE, bulk inserts, one numbered order, the family told once. The number
of statements does not grow with the number of days or children.
"""

import functools
import logging
import operator

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.actors import user_or_none

from ..choices import BasketAction
from ..errors import ReservationError
from ..models import BasketItem, Order
from ..opening import commune_holiday_check
from . import batch

logger = logging.getLogger(__name__)


def days_book(*, family, user, picks, now=None) -> Order:
    """Book the ticked `picks` ((child id, unit id, day) …) as one numbered order. Every
    day is checked here; if one cannot be booked nothing is saved and the reasons are
    listed. Each day is then validated, awaits staff, waits for a place or is refused
    (full, no waiting list), as the activity says; the order tells which."""
    now = now or timezone.now()
    picks = batch.picks_read(family, sorted(set(picks)))
    if not picks:
        raise ReservationError(_("Tick at least one day to book."))
    blockers = batch.picks_blockers(
        family=family, picks=picks, now=now, is_holiday=commune_holiday_check()
    )
    if blockers:
        raise ReservationError(
            _("Some days cannot be booked."),
            reasons=[f"{picks[index].label()} : {reason}" for index, reason in blockers.items()],
        )
    batch.picks_price(family=family, picks=picks)
    actor = user_or_none(user)
    try:
        with transaction.atomic():
            lines = batch.picks_book(family=family, picks=picks, actor=actor, now=now)
            order = batch.order_place(family=family, lines=lines, actor=actor, now=now)
            # The same days waiting in the basket are booked now.
            if any(pick.in_basket for pick in picks):
                BasketItem.objects.filter(family=family, action=BasketAction.BOOK).filter(
                    functools.reduce(
                        operator.or_,
                        (Q(child=p.child, unit=p.unit, day=p.day) for p in picks if p.in_basket),
                    )
                ).delete()
    except IntegrityError as error:
        # Another request booked one of these days in the meantime (unique per day).
        raise ReservationError(
            _("Some days cannot be booked."),
            reasons=[_("One of these days was booked meanwhile: please reload the calendar.")],
        ) from error
    logger.info("Order %s booked by family %s (%s days)", order.pk, family.pk, len(lines))
    return order
