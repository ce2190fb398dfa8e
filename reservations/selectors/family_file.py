"""The family's file as staff read it (« Familles » → a family): its enrolments,
registrations, reservations with their attendance, and absences. Four queries whatever the
family's size; registered on the file's screen by ReservationsConfig.ready()."""

from ..models import Absence, Enrolment, Registration, Reservation

# The file shows the latest days; the reservations' own screens list them all.
RESERVATIONS_SHOWN = 100
ABSENCES_SHOWN = 50


def family_file_section(family) -> dict:
    return {
        "enrolments": list(
            Enrolment.objects.filter(family=family)
            .select_related("child", "school_year", "decided_by")
            .order_by("-school_year__start_date", "child__first_name", "-pk")
        ),
        "registrations": list(
            Registration.objects.filter(family=family)
            .select_related("child", "activity", "group", "decided_by")
            .order_by("-created_at", "-pk")
        ),
        "reservations": list(
            Reservation.objects.filter(family=family)
            .select_related("child", "unit__activity", "absence")
            .order_by("-day", "child__first_name", "unit__sort_order", "-pk")[:RESERVATIONS_SHOWN]
        ),
        "reservations_shown": RESERVATIONS_SHOWN,
        "absences": list(
            Absence.objects.filter(reservation__family=family)
            .select_related("reservation__child", "reservation__unit", "decided_by")
            .order_by("-declared_at", "-pk")[:ABSENCES_SHOWN]
        ),
    }
