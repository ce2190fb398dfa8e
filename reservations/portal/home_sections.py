"""On the portal home, after what needs the family's attention: its next booked days, then
what it asked and still waits for (days awaiting staff, on the waiting list, cancellations
asked) and the days left in its basket. Registered with cms.home_sections from
ReservationsConfig.ready(); three queries whatever the family's size."""

from django.db.models import Count, Q

from core.time import local_today

from ..choices import ReservationStatus as S
from ..models import BasketItem, Reservation

NEXT_DAYS_SHOWN = 5
# What a family waits for, in the order the section lists it.
WAITED_FOR = (S.REQUESTED, S.CANCELLATION_REQUESTED, S.WAITING)


def next_days_section(home_page, request) -> dict | None:
    """The next days booked and validated, from today (one query)."""
    days = list(
        Reservation.objects.for_family(request.family)
        .filter(status=S.ACCEPTED, day__gte=local_today())
        .select_related("child", "unit__activity")
        .order_by("day", "unit__sort_order", "child__first_name", "pk")[:NEXT_DAYS_SHOWN]
    )
    return {"days": days}


def pending_section(home_page, request) -> dict | None:
    """How many days await a decision, by status, and how many wait in the basket (two
    queries); None when nothing is pending."""
    counts = Reservation.objects.for_family(request.family).aggregate(
        **{status: Count("pk", filter=Q(status=status)) for status in WAITED_FOR}
    )
    in_basket = BasketItem.objects.filter(family=request.family).count()
    labels = dict(S.choices)
    waiting = [
        {"status": status, "label": labels[status], "count": counts[status]}
        for status in WAITED_FOR
        if counts[status]
    ]
    if not waiting and not in_basket:
        return None
    return {"waiting": waiting, "in_basket": in_basket}
