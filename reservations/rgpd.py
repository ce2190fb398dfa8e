"""Reservations' part of the family's data export and of anonymisation (registered in
`ReservationsConfig.ready`, portal_features/rgpd/registry.py says how).

Only the household's own rows: a child shared with another household appears with this
household's enrolments, registrations, reservations and absences, never the other's.

Anonymising keeps the reservations, orders and their history (what was booked, at which
price, is what the invoices kept ten years rest on) and removes what says more about the
family: the absences' comments and medical certificates, the basket, the calendar feed's
secret, the comments of the enrolments.
"""

from django.db.models import Max, Prefetch
from django.utils.translation import gettext

from core.time import paris_datetime
from portal_features.rgpd.selectors import choice

from .models import (
    Absence,
    BasketItem,
    CalendarFeed,
    Enrolment,
    Order,
    OrderLine,
    Registration,
    Reservation,
    ReservationEvent,
)


def _decision(row) -> dict:
    return {
        "status": choice(row, "status"),
        "created_at": row.created_at,
        "decided_at": row.decided_at,
        "refusal_reason": row.refusal_reason,
    }


def _by(event) -> str:
    if event.by_staff:
        return gettext("Staff of the commune")
    return gettext("The family") if event.actor_id else gettext("System")


def enrolments_section(family) -> tuple[list, list]:
    rows = Enrolment.objects.for_family(family).select_related("child", "school_year")
    return [
        {
            "child": str(row.child),
            "school_year": row.school_year.name,
            "comment": row.comment,
            **_decision(row),
        }
        for row in rows.order_by("created_at", "pk")
    ], []


def registrations_section(family) -> tuple[list, list]:
    rows = Registration.objects.for_family(family).select_related("child", "activity", "group")
    return [
        {
            "child": str(row.child),
            "activity": row.activity.name,
            "group": row.group.name,
            **_decision(row),
        }
        for row in rows.order_by("created_at", "pk")
    ], []


def reservations_section(family) -> tuple[list, list]:
    rows = (
        Reservation.objects.for_family(family)
        .select_related("child", "unit__activity")
        .prefetch_related(Prefetch("events", queryset=ReservationEvent.objects.order_by("at")))
        .order_by("day", "pk")
    )
    return [
        {
            "id": row.pk,
            "child": str(row.child),
            "activity": row.unit.activity.name,
            "unit": row.unit.name,
            "day": row.day,
            "status": choice(row, "status"),
            "asked_at": row.requested_at,
            "unit_price": row.unit_price,
            "reason": row.refusal_reason,
            "offer_expires_at": row.offer_expires_at,
            "late_cancellation": row.late_cancellation,
            "cancelled_by_commune": row.cancelled_by_commune,
            "attendance": choice(row, "attendance"),
            "walk_in": row.walk_in,
            "history": [
                {
                    "at": event.at,
                    "from": event.from_status,
                    "to": event.to_status,
                    "by": _by(event),
                    "note": event.note,
                }
                for event in row.events.all()
            ],
        }
        for row in rows
    ], []


def orders_section(family) -> tuple[list, list]:
    lines = OrderLine.objects.select_related("reservation__child", "reservation__unit")
    rows = (
        Order.objects.for_family(family)
        .prefetch_related(Prefetch("lines", queryset=lines))
        .order_by("submitted_at", "pk")
    )
    return [
        {
            "number": order.number,
            "submitted_at": order.submitted_at,
            "total": order.total,
            "lines": [
                {
                    "reservation": line.reservation_id,
                    "child": str(line.reservation.child),
                    "unit": line.reservation.unit.name,
                    "day": line.reservation.day,
                    "request": choice(line, "action"),
                    "unit_price": line.unit_price,
                    "outcome": choice(line, "outcome"),
                }
                for line in order.lines.all()
            ],
        }
        for order in rows
    ], []


def absences_section(family) -> tuple[list, list]:
    rows = Absence.objects.for_family(family).select_related(
        "reservation__child", "reservation__unit"
    )
    absences, files = [], []
    for absence in rows.order_by("declared_at", "pk"):
        entry = {
            "reservation": absence.reservation_id,
            "child": str(absence.reservation.child),
            "unit": absence.reservation.unit.name,
            "day": absence.reservation.day,
            "reason": choice(absence, "reason"),
            "comment": absence.comment,
            "status": choice(absence, "status"),
            "declared_at": absence.declared_at,
            "decided_at": absence.decided_at,
            "staff_note": absence.staff_note,
        }
        if absence.certificate:
            entry.update(
                original_name=absence.original_name,
                content_type=absence.content_type,
                size=absence.size,
                _folder="files/certificates",
                _id=f"certificate-{absence.pk}.{absence.file_extension}",
            )
            files.append((entry, absence.certificate))
        absences.append(entry)
    return absences, files


EXPORT_SECTIONS = {
    "enrolments": enrolments_section,
    "registrations": registrations_section,
    "reservations": reservations_section,
    "orders": orders_section,
    "absences": absences_section,
}


def last_activity(family):
    """The family's latest booked day (as the start of that day) or order."""
    day = Reservation.objects.for_family(family).aggregate(last=Max("day"))["last"]
    ordered = Order.objects.for_family(family).aggregate(last=Max("submitted_at"))["last"]
    moments = [moment for moment in (ordered, day and paris_datetime(day)) if moment]
    return max(moments, default=None)


def anonymise(family, now) -> list[str]:
    """Blank the absences' words and drop their certificates, the basket, the feed's secret
    and the enrolments' comments. Returns the certificates to delete after commit."""
    absences = Absence.objects.for_family(family)
    files = list(absences.exclude(certificate="").values_list("certificate", flat=True))
    absences.update(comment="", certificate="", original_name="", content_type="", size=0)
    Enrolment.objects.for_family(family).update(comment="")
    BasketItem.objects.filter(family=family).delete()
    CalendarFeed.objects.filter(family=family).delete()
    return files
