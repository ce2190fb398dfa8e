"""Attendance ("pointage"): staff mark who came, and record children who came unbooked.

A day come unbooked is billed to the household that has the child that day
(`household_on`: the only one, or the one whose custody rhythm covers the day); when no
rhythm decides, staff choose the payer among the child's households (PayerRequired)."""

from collections import defaultdict

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.choices import RequestStatus
from portal_features.audit import family_event_record
from portal_features.custody import household_on, households_of
from portal_features.models import FamilyEvent

from .. import capacity
from ..choices import Attendance, ReservationStatus
from ..errors import ReservationError
from ..models import Registration, Reservation, Slot
from ..pricing import WALK_IN, prices_for, total
from .history import reservation_transition


class PayerRequired(ReservationError):
    """No custody rhythm says which household pays this day: staff choose one of
    `households`."""

    def __init__(self, message, *, households):
        super().__init__(message)
        self.households = list(households)


def walk_in_payer(*, child, day, family_id: int | None = None):
    """The household billed for a day the child came unbooked: the one the custody
    rhythm gives, else the one staff chose among the child's households."""
    payer = household_on(child=child, day=day)
    if payer is not None:
        return payer
    households = households_of(child=child)
    chosen = next((family for family in households if family.pk == family_id), None)
    if chosen is None:
        raise PayerRequired(
            _("No custody rhythm says which household has %(child)s that day: choose who pays.")
            % {"child": child},
            households=households,
        )
    return chosen


def attendance_mark(*, reservation_ids, attendance: str, actor, now=None) -> int:
    """Mark validated reservations present or absent (or clear the mark); returns how many
    are marked so. Each family whose days changed has one line on its file, naming them."""
    if attendance not in Attendance.values:
        raise ReservationError(_("Unknown attendance mark."))
    now = now or timezone.now()
    with transaction.atomic():
        marked = Reservation.objects.filter(
            pk__in=reservation_ids, status=ReservationStatus.ACCEPTED
        )
        changing = list(
            marked.exclude(attendance=attendance)
            .select_related("family", "child", "unit")
            .select_for_update(of=("self",))
            .order_by("family_id", "day", "pk")
        )
        count = marked.update(attendance=attendance)
        by_family = defaultdict(list)
        for reservation in changing:
            by_family[reservation.family].append(reservation)
        label = Attendance(attendance).label
        for family, days in by_family.items():
            family_event_record(
                family=family,
                actor=actor,
                action=FamilyEvent.Action.CHANGED,
                description=(
                    _('Attendance marked "%(mark)s": %(days)s')
                    % {"mark": label, "days": ", ".join(_day_label(r) for r in days)}
                )[:255],
                data={"reservations": [r.pk for r in days]},
                now=now,
            )
    return count


def _day_label(reservation) -> str:
    return f"{reservation.child.first_name} {reservation.day:%d/%m/%Y} ({reservation.unit.name})"


def attendance_walk_in(
    *, child_id: int, slot_id: int, actor, family_id: int | None = None, now=None
) -> Reservation:
    """A child registered to the activity came without a booking: record the day as booked
    and present, if the slot has a place left (else raise its capacity first), for the
    household that pays it (`walk_in_payer`; `family_id`: staff's choice when no custody
    rhythm decides, else PayerRequired)."""
    now = now or timezone.now()
    with transaction.atomic():
        slot = Slot.objects.select_related("unit__activity").get(pk=slot_id)
        registration = (
            Registration.objects.select_related("child")
            .filter(
                child_id=child_id,
                activity=slot.unit.activity,
                group=slot.group,
                status=RequestStatus.ACCEPTED,
            )
            .first()
        )
        if registration is None:
            raise ReservationError(_("This child is not registered to this activity and group."))
        payer = walk_in_payer(child=registration.child, day=slot.day, family_id=family_id)
        if not capacity.place_take(slot_id=slot.pk):
            raise ReservationError(_("No place left on this day: raise the day's capacity first."))
        price = total(
            prices_for(
                family=payer,
                child=registration.child,
                unit=slot.unit,
                day=slot.day,
                situation=WALK_IN,
            )
        )
        reservation = Reservation(
            family=payer,
            child=registration.child,
            unit=slot.unit,
            slot=slot,
            day=slot.day,
            requested_at=now,
            unit_price=price,
            decided_at=now,
            decided_by=actor,
            attendance=Attendance.PRESENT,
            walk_in=True,
        )
        try:
            with transaction.atomic():
                reservation_transition(
                    reservation=reservation,
                    to_status=ReservationStatus.ACCEPTED,
                    actor=actor,
                    by_staff=True,
                    now=now,
                    note=_("Came without booking."),
                )
        except IntegrityError as error:
            raise ReservationError(_("This child already has a reservation that day.")) from error
        family_event_record(
            family=payer,
            actor=actor,
            action=FamilyEvent.Action.CREATED,
            description=_("Came without booking, recorded present: %(day)s")
            % {"day": _day_label(reservation)},
            data={"reservations": [reservation.pk]},
            now=now,
        )
    return reservation
