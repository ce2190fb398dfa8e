"""Collective cancellation: the commune cancels a day for an activity, a facility or a
school (closure, strike, trip). Nobody is billed and every family concerned is told."""

import datetime
from collections import defaultdict

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal_features.alerts.tell import FileEvent, family_tell
from portal_features.models import FamilyEvent, Link

from .. import capacity
from ..choices import ACTIVE, HOLDS_PLACE, AlertKind, ReservationStatus
from ..errors import ReservationError
from ..models import Reservation, Slot
from .history import reservation_transition


def day_cancel_collectively(
    *,
    day: datetime.date,
    reason: str,
    actor,
    activity_id: int | None = None,
    facility_id: int | None = None,
    school: str = "",
    now=None,
) -> int:
    """Cancel every live reservation of the day in the scope; returns how many.

    An activity or facility scope also closes the day's slots, so nobody books it again; a
    school scope (a class trip) only cancels that school's children.
    """
    now = now or timezone.now()
    if not reason.strip():
        raise ReservationError(_("Please give the reason, families will read it."))
    if not (activity_id or facility_id or school):
        raise ReservationError(_("Choose an activity, a facility or a school."))
    slots = Slot.objects.filter(day=day)
    if activity_id:
        slots = slots.filter(unit__activity_id=activity_id)
    if facility_id:
        slots = slots.filter(unit__activity__facility_id=facility_id)
    with transaction.atomic():
        slot_ids = list(slots.order_by("pk").select_for_update().values_list("pk", flat=True))
        if not school:
            Slot.objects.filter(pk__in=slot_ids).update(is_closed=True, closed_reason=reason)
        reservations = (
            Reservation.objects.select_for_update(of=("self",))
            .select_related("family", "child", "unit")
            .filter(slot_id__in=slot_ids, status__in=ACTIVE)
            .order_by("slot_id", "pk")
        )
        if school:
            reservations = reservations.filter(child__school__iexact=school.strip())
        by_family = defaultdict(list)
        count = 0
        for reservation in reservations:
            holds_place = reservation.status in HOLDS_PLACE
            reservation.cancelled_by_commune = True
            reservation.decided_at, reservation.decided_by = now, actor
            reservation.refusal_reason = reason
            reservation_transition(
                reservation=reservation,
                to_status=ReservationStatus.CANCELLED,
                actor=actor,
                by_staff=True,
                now=now,
                note=reason,
            )
            if holds_place:
                capacity.place_release(slot_id=reservation.slot_id)
            by_family[reservation.family].append(reservation)
            count += 1
        for family, cancelled in by_family.items():
            names = ", ".join(sorted({f"{r.child.first_name} ({r.unit.name})" for r in cancelled}))
            title = _("%(day)s cancelled by the commune") % {"day": f"{day:%d/%m/%Y}"}
            family_tell(
                family,
                kind=AlertKind.DAY_CANCELLED,
                title=title,
                body=_("%(reason)s. Cancelled, not billed: %(names)s.")
                % {"reason": reason, "names": names},
                link=Link("reservations:calendar"),
                actor=actor,
                event=FileEvent(
                    FamilyEvent.Action.CHANGED,
                    description=f"{title} – {reason} : {names}"[:255],
                    data={"reservations": [r.pk for r in cancelled]},
                ),
                now=now,
            )
    return count
