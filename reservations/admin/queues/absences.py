"""« Absences »: the absences families declared, to excuse or bill; « Absents à décider »:
days marked absent at roll call with no absence declared, billed to nobody until staff
record the absence as excused or billed."""

from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core.columns import related_column
from core.staff import PrivateFile, calls, date_range_filter

from ...choices import AbsenceStatus, Attendance
from ...models import Absence, Reservation
from ...selectors.billing import (
    BOOKED_STATUSES,
    is_undecided_absent_mark,
    undecided_absent_marks,
)
from ...services import absences
from ..filters import activity_filter
from .common import (
    RESERVATION_COLUMNS,
    RequestsQueue,
    ReservationQueue,
    absence_decisions,
    day_text,
    family_name,
    field_label,
    moment,
    queue_url,
    user_name,
)

CERTIFICATE = "certificate"


class AbsenceQueue(RequestsQueue):
    model = Absence
    pending_status = AbsenceStatus.DECLARED
    base_url_path = "reservations/queues/absences"
    menu_label = _("Absences")
    menu_icon = "warning"
    bulk_label = _("Decide several absences")
    list_display = (
        "day_column",
        "family_column",
        "child_column",
        "unit_column",
        "reason",
        "certificate_column",
        "declared_at",
        "status",
    )
    filters = (
        activity_filter("reservation__unit__activity_id"),
        date_range_filter("reservation__day", _("day")),
    )
    search_fields = (
        "reservation__family__number",
        "reservation__family__name",
        "reservation__child__first_name",
        "reservation__child__last_name",
    )
    bulk_ordering = ("reservation__day", "declared_at", "pk")
    private_files = (PrivateFile(CERTIFICATE),)
    decisions = absence_decisions(
        excuse=calls(absences.absence_excuse, "absence_id", pk=True, reason="note"),
        bill=calls(absences.absence_bill, "absence_id", pk=True, reason="note"),
    )

    def with_related(self, queryset):
        return queryset.select_related(
            "reservation__family",
            "reservation__child",
            "reservation__unit__activity",
            "decided_by",
        )

    def label(self, item):
        reservation = item.reservation
        return (
            f"{family_name(reservation.family)} – {reservation.child.first_name} – "
            f"{reservation.unit.activity} – {reservation.unit.name} – "
            f"{day_text(reservation.day)} – {item.get_reason_display()}"
        )

    def subtitle(self, item):
        return family_name(item.reservation.family)

    def rows(self, item):
        reservation = item.reservation
        return [
            (field_label(Reservation, "family"), family_name(reservation.family)),
            (field_label(Reservation, "child"), reservation.child),
            (_("Activity"), reservation.unit.activity),
            (field_label(Reservation, "unit"), reservation.unit.name),
            (field_label(Reservation, "day"), day_text(reservation.day)),
            (field_label(Absence, "reason"), item.get_reason_display()),
            (field_label(Absence, "comment"), item.comment or "—"),
            (field_label(Absence, "certificate"), self.certificate_link(item)),
            (field_label(Absence, "declared_at"), moment(item.declared_at)),
            (field_label(Absence, "status"), item.get_status_display()),
            *(
                [
                    (field_label(Absence, "decided_at"), moment(item.decided_at)),
                    (field_label(Absence, "decided_by"), user_name(item.decided_by)),
                    (field_label(Absence, "staff_note"), item.staff_note or "—"),
                ]
                if not self.is_pending(item)
                else []
            ),
        ]

    def certificate_link(self, item):
        url = self.file_url(item, CERTIFICATE)
        if url is None:
            return gettext("None")
        return format_html('<a href="{}">{}</a>', url, item.original_name or gettext("Download"))

    def day_column(self, item):
        return day_text(item.reservation.day)

    day_column.short_description = _("Day")

    def family_column(self, item):
        return family_name(item.reservation.family)

    family_column.short_description = _("Family")

    child_column = related_column("reservation.child", _("Child"))

    def unit_column(self, item):
        return f"{item.reservation.unit.activity} – {item.reservation.unit.name}"

    unit_column.short_description = _("Unit")

    def certificate_column(self, item):
        return self.certificate_link(item)

    certificate_column.short_description = _("Certificate")

    def index_notice(self):
        count = undecided_absent_marks().count()
        if not count:
            return None
        return (
            ngettext(
                "%(count)d day marked absent with no absence declared awaits a decision.",
                "%(count)d days marked absent with no absence declared await a decision.",
                count,
            )
            % {"count": count},
            queue_url(AbsentMarkQueue),
        )


def record_absence(status):
    """Record the absence of a day marked absent, already decided (`absence_record`)."""
    return calls(absences.absence_record, "reservation", reason="note", status=status)


class AbsentMarkQueue(ReservationQueue):
    """Days marked "absent" at roll call with no absence declared: nobody is billed until
    staff record the absence as excused or billed."""

    base_url_path = "reservations/queues/absent-marks"
    menu_label = _("Absent, to decide")
    menu_icon = "warning"
    bulk_label = _("Decide several absent days")
    already_decided = _("This day is already decided.")
    list_display = (*RESERVATION_COLUMNS, "decision_column")
    decisions = absence_decisions(
        excuse=record_absence(AbsenceStatus.EXCUSED), bill=record_absence(AbsenceStatus.BILLED)
    )

    def with_related(self, queryset):
        return super().with_related(queryset).select_related("absence")

    def get_queryset(self, request):
        # Every day marked absent: those awaiting a decision and those decided.
        return RequestsQueue.get_queryset(self, request).filter(
            status__in=BOOKED_STATUSES, attendance=Attendance.ABSENT
        )

    def pending(self, queryset):
        return queryset.filter(absence__isnull=True)

    def decided(self, queryset):
        return queryset.filter(absence__isnull=False)

    def is_pending(self, item):
        return is_undecided_absent_mark(item)

    def rows(self, item):
        absence = getattr(item, "absence", None)
        decided = (
            [
                (field_label(Absence, "status"), absence.get_status_display()),
                (field_label(Absence, "decided_by"), user_name(absence.decided_by)),
                (field_label(Absence, "staff_note"), absence.staff_note or "—"),
            ]
            if absence is not None
            else [(_("Decision"), _("Awaiting a decision"))]
        )
        return [*super().rows(item)[:6], *decided]

    def decision_column(self, item):
        absence = getattr(item, "absence", None)
        return absence.get_status_display() if absence is not None else _("Awaiting a decision")

    decision_column.short_description = _("Decision")


class BookedDayQueue(AbsentMarkQueue):
    """« Enregistrer une absence »: any validated day, for staff told of an absence by
    phone or at the door. Recorded excused or billed at once (`absence_record`): the family
    is told and the decision is written on its file."""

    base_url_path = "reservations/queues/booked-days"
    menu_label = _("Record an absence")
    menu_icon = "edit"
    bulk_label = _("Record absences on several days")
    index_empty_message = _("No validated day without an absence here.")

    def get_queryset(self, request):
        return RequestsQueue.get_queryset(self, request).filter(status__in=BOOKED_STATUSES)

    def is_pending(self, item):
        return item.status in BOOKED_STATUSES and not hasattr(item, "absence")

    def index_notice(self):
        return None
